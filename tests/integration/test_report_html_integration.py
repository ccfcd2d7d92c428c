"""The marketer's HTML report: built from a real graph, every section, escaping, missing parts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape as html_escape
from neo4j import Driver
from PIL import Image

import report_graph
from influence import db
from influence.cli import cli
from influence.errors import InputError
from influence.report import formats, html
from influence.report.html import build_report


def _section(page: str, sid: str) -> str:
    m = re.search(rf'<section id="{sid}".*?</section>', page, re.S)
    assert m, f"section {sid} missing"
    return m.group(0)


# ------------------------------------------------------------------------------ unit tier


# ------------------------------------------------------------------------------ integration
@pytest.mark.integration
def test_report_of_an_analysed_graph(clean_db: Driver, tmp_path: Path) -> None:
    report_graph.load(clean_db, tmp_path)
    model = report_graph.trained_model(tmp_path / "model")
    preds = report_graph.predictions_file(tmp_path / "scored.json")
    drafts = report_graph.drafts_file(tmp_path / "drafts.csv")
    result = build_report(
        clean_db, tmp_path / "report", top=5, model_dir=model, predictions=preds, drafts=drafts
    )
    page = result.path.read_text(encoding="utf-8")

    # two viral posts are too few to compare their emotions with the others: said, not shown
    assert set(result.notes) <= {"emotions"} and "too few to compare" in result.notes.get(
        "emotions", "too few to compare"
    )
    for sid in html.SECTIONS:
        assert f'data-section="{sid}"' in page

    audience = _section(page, "audience")  # the top 5 share their community's followers
    assert (
        'src="assets/audience_overlap.png"' in audience
        and "Together they reach 5 distinct people the graph knows" in audience
    )
    assert "Coverage:" in audience  # followers known against the profiles' counts
    assert (tmp_path / "report" / "assets" / "audience_overlap.png").stat().st_size > 1000

    overview = _section(page, "overview")
    assert ">10<" in overview and ">40<" in overview  # 10 accounts with profiles, 40 posts
    assert "20 Mar 2024" in overview  # the scrape date
    assert "Data from 1 scrape (sample)" in overview and "not counted" not in overview

    influencers = _section(page, "influencers")
    ranked = influencers[influencers.index('id="influencers-table"') : influencers.index("</table>")]
    first_rows = re.findall(r"<td>@([^<]+)<", ranked)
    # PageRank order: u9 (the hostile name, escaped) first, then user8 …; top=5 rows only
    assert first_rows[0] == "x&lt;script&gt;alert(&#34;u&#34;)&lt;/script&gt;"
    assert first_rows[1:] == ["user8", "user7", "user6", "user5"]
    assert "10K" in influencers and "2.80%" in influencers  # u9 reach and engagement rate

    communities = _section(page, "communities")
    assert communities.count("<tr>") == 3  # header + two communities
    assert "#travel" in communities and "#food" in communities and ">de<" in communities
    # named by typical hashtags and top member; the Louvain id stays a column of its own
    hostile = "x&lt;script&gt;alert(&#34;u&#34;)&lt;/script&gt;"
    assert "<td><strong>#travel #beach · @user4</strong></td>" in communities
    assert f"<td><strong>#food #vegan · @{hostile}</strong></td>" in communities
    assert '<td class="n id">0</td>' in communities and '<td class="n id">1</td>' in communities
    assert "community 0" not in page and "community 1<" not in page
    # the influencers table names each account's community (the id on hover)
    assert '<span title="community id 1">#food #vegan · @' in influencers
    # hashtag topics are named by their most used hashtags, not by the id
    hashtags = _section(page, "hashtags")
    assert "<td>#travel #beach #sunset</td>" in hashtags and "<td>#food #vegan #recipe</td>" in hashtags

    network = _section(page, "network")
    assert "assets/hashtag_network.png" in network

    viral = _section(page, "viral")
    assert "p2_3" in viral and "40.0×" in viral  # 400/h against a usual 10/h
    assert "&lt;img src=x onerror=alert(1)&gt;" in viral
    assert "The 10 most influential accounts" in communities and 'href="network.html"' in communities
    assert 'href="javascript' not in page  # the hostile post URL is shown as text, not a link
    assert 'href="https://www.instagram.com/p/p2_3/"' in viral

    model_part = _section(page, "model")
    assert "Our model" in model_part and "Follower count alone" in model_part and "ROC-AUC" in model_part
    assert (
        "known author — newest posts held out" in model_part
        and "new author — whole authors held out" in model_part
    )
    assert "Pairwise within author" in model_part and "Chance" in model_part
    assert "What the model looks at most" in model_part  # the importance in model.json, with plain names
    assert 'href="model/model_card.md"' in model_part
    # plain verdicts first, the same words as `train` and the card; the metric tables in a fold
    meta = json.loads((model / "model.json").read_text(encoding="utf-8"))
    for v in meta["verdicts"].values():
        assert str(html_escape(v["sentence"])) in model_part
    assert model_part.index("What the model can do") < model_part.index("<details")
    assert model_part.index("<details") < model_part.index("known author — newest posts held out")
    assert "for always answering the base rate" in model_part and "reliability" in model_part.lower()
    for name in ("roc", "pr", "importance", "reliability"):
        assert f'src="model/{name}.png"' in model_part
        assert (result.path.parent / "model" / f"{name}.png").is_file()
    # one calibration chart: the reliability curve on held-out authors, not also the time split's
    assert 'src="model/calibration.png"' not in model_part

    scored = _section(page, "predictions")
    assert "Expected engagement once settled" in scored and "/ hour" not in scored  # the model's target
    assert '<tr class="unsafe">' in scored and "offensive language (97% likely)" in scored
    # brand-safety flags in plain words only; the raw codes stay in the JSON
    assert (
        "very negative tone (−0.90 on a scale from −1 to +1)" in scored and "blocked hashtag #nsfw" in scored
    )
    assert "negative_sentiment" not in page and "blocked_hashtag" not in page and ":-0.9" not in page
    # a long caption is cut in the cell, the full text on hover
    assert f'title="{report_graph.LONG_CAPTION}"' in scored
    assert (
        formats.shorten(report_graph.LONG_CAPTION) in scored
        and len(formats.shorten(report_graph.LONG_CAPTION)) < 150
    )
    assert '<table id="predictions-table" class="fixed">' in scored and "<colgroup>" in scored
    assert "draft-2 &lt;b&gt;bold&lt;/b&gt;" in scored
    assert "Not scored: caption is empty" in scored
    assert "82%" in scored and "number of hashtags (+0.41)" in scored

    assert "<script" not in page.lower().replace("&lt;script", "")
    chart_files = sorted(p.name for p in (result.path.parent / "assets").iterdir())
    assert chart_files == [
        "audience_overlap.png",
        "community_sizes.png",
        "followers_engagement.png",
        "hashtag_network.png",
        "top_hashtags.png",
        "viral_velocity.png",
    ]
    for img in result.images:
        with Image.open(img) as im:
            assert im.format == "PNG" and im.width > 200


@pytest.mark.integration
def test_report_of_a_loaded_but_not_analysed_graph(clean_db: Driver, tmp_path: Path) -> None:
    report_graph.load(clean_db, tmp_path, analysed=False)
    result = build_report(clean_db, tmp_path / "r")
    page = result.path.read_text(encoding="utf-8")
    for sid in ("communities", "network", "viral"):
        assert "influence analyze" in result.notes[sid]
        assert f'data-note="{sid}"' in page
    assert "influence analyze" in result.notes["influencers"]
    # without PageRank the influencers are ranked by followers, engagement computed from posts
    influencers = _section(page, "influencers")
    rows = re.findall(r"<td>@([^<]+)<", influencers)
    assert rows[1] == "user8" and len(rows) == 10
    assert "influence train" in result.notes["model"] and "influence predict" in result.notes["predictions"]
    assert (tmp_path / "r" / "assets" / "top_hashtags.png").is_file()


@pytest.mark.integration
def test_report_of_an_empty_graph(clean_db: Driver, tmp_path: Path) -> None:
    result = build_report(clean_db, tmp_path / "r")
    assert "influence load" in result.notes["overview"]
    assert result.images == []
    assert result.path.is_file()


@pytest.mark.integration
def test_bad_top_and_file_as_folder(clean_db: Driver, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--top"):
        build_report(clean_db, tmp_path / "r", top=0)
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(InputError, match="is a file"):
        build_report(clean_db, f)


@pytest.mark.integration
def test_cli_report_html(clean_db: Driver, tmp_path: Path, cli_env: dict[str, str]) -> None:
    report_graph.load(clean_db, tmp_path)
    preds = report_graph.predictions_file(tmp_path / "scored.json")
    out = tmp_path / "report"
    res = CliRunner().invoke(
        cli,
        [
            "-q",
            "report",
            "html",
            "-o",
            str(out),
            "--predictions",
            str(preds),
            "--top",
            "3",
            "--format",
            "json",
        ],
        env=cli_env,
    )
    assert res.exit_code == 0, res.output
    rows = {r["section"]: r for r in json.loads(res.stdout)}
    assert "Received notification" not in res.output  # no driver warnings for a marketer to puzzle over
    assert rows["influencers"]["rows"] == 3 and rows["predictions"]["rows"] == 3
    assert "influence train" in rows["model"]["note"]
    assert (out / "index.html").is_file()
    bad = CliRunner().invoke(cli, ["report", "html", "-o", str(out), "--top", "0"], env=cli_env)
    assert bad.exit_code == 2 and "--top" in bad.output


@pytest.mark.integration
def test_report_after_the_real_pipeline(clean_db: Driver, tmp_path: Path, cli_env: dict[str, str]) -> None:
    """sample → load → analyze → report html, all through the CLI: every graph section is filled."""
    runner = CliRunner()
    steps = [
        ["sample", str(tmp_path / "sample"), "--users", "60", "--images", "0"],
        ["load", "gallery-dl", str(tmp_path / "sample"), "--rejects", str(tmp_path / "rejects.jsonl")],
        ["analyze"],
        ["report", "html", "-o", str(tmp_path / "report"), "--format", "json"],
    ]
    for args in steps:
        res = runner.invoke(cli, ["-q", *args], env=cli_env)
        assert res.exit_code == 0, (args, res.output)
    rows = {r["section"]: r for r in json.loads(res.stdout)}
    for sid in ("overview", "influencers", "communities", "hashtags", "network", "viral"):
        assert rows[sid]["note"] == "" and rows[sid]["rows"] > 0, rows[sid]
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert 'href="network.html"' in page
    network = (tmp_path / "report" / "network.html").read_text(encoding="utf-8")
    assert "vis-network" in network and "cdn.jsdelivr" not in network
    viral = _section(page, "viral")
    assert re.search(r"\d+(\.\d)?×", viral)  # velocity against the author's usual, from Post.viralRatio
    # "Data from N scrapes": N is what a user counts (one per dated folder of the sample) and what
    # the graph holds; the load of the folder's own README/ground truth wrote nothing, and is named apart
    folders = sorted(p.name for p in (tmp_path / "sample").iterdir() if p.is_dir())
    with_data = db.read(
        clean_db, "MATCH (s:Scrape) WHERE EXISTS { (s)<-[:FROM_SCRAPE]-() } RETURN count(s) AS n"
    )
    empty = db.read(
        clean_db, "MATCH (s:Scrape) WHERE NOT EXISTS { (s)<-[:FROM_SCRAPE]-() } RETURN count(s) AS n"
    )
    assert with_data[0]["n"] == len(folders) > 1
    overview = _section(page, "overview")
    assert f"Data from {len(folders)} scrapes (gallery-dl)" in overview
    if empty[0]["n"]:
        assert f"{empty[0]['n']} more load" in overview and "not counted" in overview
