"""`influence viz` and `influence browser-guide` against the real server."""

from __future__ import annotations

import json
import re
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from analytics_graph import build
from influence import db
from influence.analytics import browser
from influence.analytics.run import analyze
from influence.cli import cli

pytestmark = pytest.mark.integration


def _nodes(page: str) -> list[dict[str, object]]:
    m = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert m, "no node data in the page"
    return json.loads(m.group(1))


def test_viz_community_user_and_hashtag(clean_db: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    planted = build(clean_db)
    analyze(clean_db, ["interactions", "influence", "communities", "proximity"])
    community = db.read(
        clean_db, "MATCH (u:User {id: $id}) RETURN u.community AS c", {"id": planted.influencers[0]}
    )[0]["c"]
    runner = CliRunner()
    out = tmp_path / "c.html"
    result = runner.invoke(
        cli, ["viz", "--community", str(community), "--top", "10", "-o", str(out)], env=cli_env
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    nodes = _nodes(page)
    assert len(nodes) == 10 and "influence-legend" in page
    # the legend names the community by its hashtags and top member, not by its Louvain id
    legend = re.search(r"<li><span style=[^>]*></span>([^<]+) \(10\)</li>", page)
    assert legend and "@" in legend.group(1) and f"community {community}" not in legend.group(1), legend
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=[\"']https?://", page)  # opens offline
    biggest = max(nodes, key=lambda n: n["size"])  # type: ignore[arg-type, return-value]
    assert str(biggest["label"]).lower() == planted.influencers[0]  # sized by PageRank
    assert len({n["color"] for n in nodes}) == 1  # one community, one colour

    around = runner.invoke(
        cli, ["viz", "--user", planted.influencers[1].upper(), "-o", str(tmp_path / "u.html")], env=cli_env
    )
    assert around.exit_code == 0, around.output
    colours = {n["color"] for n in _nodes((tmp_path / "u.html").read_text(encoding="utf-8"))}
    assert len(colours) >= 2  # the influencer has followers in other communities

    tag = runner.invoke(cli, ["viz", "--hashtag", "#Everyone", "-o", str(tmp_path / "h.html")], env=cli_env)
    assert tag.exit_code == 0 and "Accounts using #everyone" in (tmp_path / "h.html").read_text(
        encoding="utf-8"
    )
    missing = runner.invoke(cli, ["viz", "--user", "nobody", "-o", str(tmp_path / "n.html")], env=cli_env)
    assert missing.exit_code == 1 and "no user 'nobody'" in missing.output
    both = runner.invoke(
        cli, ["viz", "--user", "x", "--hashtag", "y", "-o", str(tmp_path / "n.html")], env=cli_env
    )
    assert both.exit_code == 1 and "at most one" in both.output


def test_saved_browser_queries_run_and_guide_is_served(clean_db: Driver, tmp_path: Path) -> None:
    planted = build(clean_db)
    analyze(clean_db)
    params = {
        "top": 5,
        "community": db.read(clean_db, "MATCH (u:User {id: 'c0u0'}) RETURN u.community AS c")[0]["c"],
        "hashtag": "everyone",
        "post": "c0u1p0",
        "user": planted.influencers[0],
    }
    results = {q.name: db.run_read_only(clean_db, q.text, params)[1] for q in browser.saved_queries()}
    assert results["01_top_influencers"][0]["account"].lower() in planted.influencers
    assert results["02_community_members_hashtags"][0]["size"] == 20
    assert len(results["03_hashtag_spread"]) == 3  # used in all three communities
    assert [r["ageHours"] for r in results["04_post_engagement_curve"]] == [2.0, 20.0]
    assert results["05_similar_accounts"] and results["05_similar_accounts"][0]["embeddingCosine"] is not None

    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["browser-guide", "-o", str(tmp_path / "g" / "guide.html"), "--favorites", str(tmp_path / "fav.zip")],
    )
    assert result.exit_code == 0, result.output
    assert len(zipfile.ZipFile(tmp_path / "fav.zip").namelist()) == 5
    server = browser.serve(tmp_path / "g", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/guide.html") as resp:
            assert resp.headers["Access-Control-Allow-Origin"] == "*"
            assert "<carousel" in resp.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
