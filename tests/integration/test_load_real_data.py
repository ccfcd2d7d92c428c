"""Real data through `influence load`: counts in the graph match figures computed here from the raw files."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence import db
from influence.cli import cli
from load_output import summary_value

pytestmark = pytest.mark.integration

SHORTCODE_RE = re.compile(r"/p/([A-Za-z0-9_-]+)")
USERNAME_RE = re.compile(r"[A-Za-z0-9._]{1,30}")


def count(driver: Driver, query: str) -> int:
    return int(db.read(driver, query)[0][0])


def load(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(cli, ["load", *args, "--quiet"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def raw_profilecrawl(folder: Path) -> tuple[set[str], set[str], set[str]]:
    """(accounts, post shortcodes, names of files that are not profiles) read straight from the JSON files."""
    accounts: set[str] = set()
    posts: set[str] = set()
    junk: set[str] = set()
    for file in sorted(folder.glob("*.json")):
        doc: Any = json.loads(file.read_text(encoding="utf-8"))
        # the crawler's error pages carry their message where the account name belongs
        if not isinstance(doc, dict) or not USERNAME_RE.fullmatch(str(doc.get("alias") or "")):
            junk.add(file.name)
            continue
        accounts.add(str(doc["alias"]).lower())
        for post in doc.get("posts") or []:
            m = SHORTCODE_RE.search(post.get("url") or "")
            if m:
                posts.add(m.group(1))
    return accounts, posts, junk


def test_profilecrawl_2017(
    clean_db: Driver, cli_env: dict[str, str], shared_data: Path, tmp_path: Path
) -> None:
    folder = shared_data / "instagram-profilecrawl-2017" / "profiles"
    accounts, posts, junk = raw_profilecrawl(folder)
    assert len(accounts) > 1600 and len(posts) > 15000 and junk == {"Sorry, something went wrong..json"}
    rejects = tmp_path / "rejects.jsonl"
    out = load(
        cli_env, "profilecrawl", str(folder), "--rejects", str(rejects), "--observed-at", "2017-04-26T23:00Z"
    )

    crawled = {
        r["id"] for r in db.read(clean_db, "MATCH (u:User)-[:FROM_SCRAPE]->(:Scrape) RETURN u.id AS id")
    }
    assert crawled == accounts
    stored = {r["id"] for r in db.read(clean_db, "MATCH (p:Post) RETURN p.id AS id")}
    assert stored == posts
    assert summary_value(out, "posts written") == len(posts)
    # every post has exactly one author, a crawled account, and its counts as one observation
    assert count(clean_db, "MATCH (p:Post) WHERE COUNT { (:User)-[:POSTED]->(p) } <> 1 RETURN count(p)") == 0
    assert (
        count(clean_db, "MATCH (u:User)-[:POSTED]->() WHERE NOT (u)-[:FROM_SCRAPE]->() RETURN count(u)") == 0
    )
    assert count(clean_db, "MATCH (:Post)-[:HAS_OBSERVATION]->(o:Observation) RETURN count(o)") == len(posts)
    seen = db.read(clean_db, "MATCH (p:Post) RETURN DISTINCT p.lastObservedAt AS t")
    assert [r["t"].to_native() for r in seen] == [datetime(2017, 4, 26, 23, 0, tzinfo=UTC)]  # --observed-at
    # the crawler's error page is in the rejects file, with a reason
    lines = [json.loads(line) for line in rejects.read_text().splitlines()]
    sources = {Path(ln["source"]).name for ln in lines}
    assert junk <= sources
    assert all(ln["reason"] for ln in lines)
    assert summary_value(out, "rejected") == len(lines)

    # loading the same crawl again changes nothing
    again = load(
        cli_env,
        "profilecrawl",
        str(folder),
        "--rejects",
        str(tmp_path / "again.jsonl"),
        "--observed-at",
        "2017-04-26T23:00Z",
    )
    assert summary_value(again, "nodes created") == 0
    assert summary_value(again, "relationships created") == 0


def raw_reddit(file: Path) -> tuple[dict[str, tuple[str, int, int]], int]:
    """Per post id its (latest capture hour, score, comments) there, and the distinct (post, hour) pairs."""
    latest: dict[str, tuple[str, int, int]] = {}
    pairs: set[tuple[str, str]] = set()
    with file.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pairs.add((row["id"], row["date"]))
            seen = latest.get(row["id"])
            if seen is None or row["date"] >= seen[0]:
                latest[row["id"]] = (row["date"], int(row["score"]), int(row["num_comments"]))
    return latest, len(pairs)


def test_reddit_hourly_observations(
    clean_db: Driver, cli_env: dict[str, str], shared_data: Path, tmp_path: Path
) -> None:
    file = shared_data / "engagement-timeseries" / "reddit_rall_top100_hourly_2023-12.csv"
    latest, n_observations = raw_reddit(file)
    assert len(latest) > 500 and n_observations > 4000
    out = load(cli_env, "csv", "--kind", "observations", str(file), "--rejects", str(tmp_path / "r.jsonl"))
    assert summary_value(out, "observations written") == n_observations
    assert count(clean_db, "MATCH (o:Observation) RETURN count(o)") == n_observations
    rows = db.read(
        clean_db,
        "MATCH (p:Post) RETURN p.id AS id, p.likes AS likes, p.comments AS comments, "
        "COUNT { (p)-[:HAS_OBSERVATION]->() } AS n",
    )
    graph = {r["id"]: (r["likes"], r["comments"]) for r in rows}
    assert graph == {f"reddit:{pid}": (score, comments) for pid, (_, score, comments) in latest.items()}
    per_post = Counter(r["n"] for r in rows)
    assert max(per_post) > 5  # posts observed over many hours: a time series, not one value
    # an older capture loaded again (here: the same file) moves no latest count
    load(cli_env, "csv", "--kind", "observations", str(file), "--rejects", str(tmp_path / "r2.jsonl"))
    again = {
        r["id"]: (r["likes"], r["comments"])
        for r in db.read(
            clean_db, "MATCH (p:Post) RETURN p.id AS id, p.likes AS likes, p.comments AS comments"
        )
    }
    assert again == graph
