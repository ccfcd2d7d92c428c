"""What a marketer reads outside the predictor reads true on the real 2017 crawl (issue 17, items 4-6).

Data set: ``crawl`` only (the conftest loads one data set at a time; keep this module on it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from influence import db

Cli = Any  # tests/real/conftest.py's Cli: runs `influence …` against the suite's server


@pytest.fixture(scope="module")
def crawl(real_graph: Callable[[str], Driver]) -> Driver:
    return real_graph("crawl")


@pytest.fixture(scope="module")
def report_page(crawl: Driver, run: Cli, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("crawl-report")
    run("report", "html", "-o", str(out))
    return (Path(out) / "index.html").read_text(encoding="utf-8")


def _section(page: str, sid: str) -> str:
    start = page.index(f'data-section="{sid}"')
    return page[start : page.index("</section>", start)]


# ----------------------------------------------------------------------------- item 4


def test_top_influencers_all_have_a_profile_with_figures(crawl: Driver, run: Cli) -> None:
    rows = run.json("report", "influencers", "--top", "20")
    assert len(rows) == 20
    assert all(r["followers"] is not None and r["followers"] > 0 for r in rows)
    assert sum(1 for r in rows if r["posts"] > 0) >= 18  # the crawl loaded most profiles' latest posts
    assert sum(1 for r in rows if r["engagementRate"] is not None) >= 18


def test_mentioned_only_accounts_are_listed_apart(crawl: Driver, run: Cli) -> None:
    seen = run.json("report", "influencers", "--seen-only", "--top", "20")
    names = {r["username"] for r in seen}
    ranked = {r["username"] for r in run.json("report", "influencers", "--top", "200")}
    assert seen and not names & ranked
    assert all(r["pointedBy"] >= 1 for r in seen)
    assert seen[0]["pointedBy"] >= 5  # brands the crawled accounts keep mentioning (natgeo, zara …)
    followers = {
        r[0]: r[1]
        for r in db.read(
            crawl,
            "MATCH (u:User) WHERE u.username IN $n RETURN u.username, u.followers",
            {"n": sorted(names)},
        )
    }
    assert all(v is None for v in followers.values())
    table = run("report", "influencers", "--top", "5").stdout
    assert "Seen only through others' posts and follows" in table


def test_html_influencer_table_is_not_a_column_of_dashes(report_page: str) -> None:
    section = _section(report_page, "influencers")
    table = section[
        section.index('id="influencers-table"') : section.index(
            "</table>", section.index('id="influencers-table"')
        )
    ]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 20
    reach = [re.findall(r'<td class="n"[^>]*>([^<]*)</td>', r)[1] for r in rows]
    assert all(v.strip() not in ("—", "") for v in reach)
    assert 'id="seen-only-table"' in section


# ----------------------------------------------------------------------------- item 5


def test_cli_and_html_viral_views_agree_and_pass_the_rule(crawl: Driver, run: Cli, report_page: str) -> None:
    cli_rows = run.json("report", "viral", "--top", "20")
    for r in cli_rows:  # every listed post passes "viral now"
        assert r["isViral"] is True and r["inWindow"] is True
        assert r["viralScore"] >= 3.0 and r["viralRatio"] is not None and r["viralRatio"] >= 2.0
    section = _section(report_page, "viral")
    html_posts = re.findall(r'<a href="https://www\.instagram\.com/p/([^/"]+)/?"', section)
    cli_posts = [r["post"] for r in cli_rows]  # Instagram post ids are shortcodes
    assert html_posts == cli_posts
    ratios = [float(x) for x in re.findall(r"([\d.]+)×</td>", section)]
    assert all(x >= 2.0 for x in ratios)
    if not cli_rows:
        assert "No post is viral now" in section
        assert "No post is viral now" in run("report", "viral").stdout


def test_report_viral_all_lists_candidates_with_why_they_do_not_pass(crawl: Driver, run: Cli) -> None:
    rows = run.json("report", "viral", "--all", "--top", "50")
    assert len(rows) == 50
    for r in rows:
        if r["isViral"]:
            assert r["inWindow"] and r["viralScore"] >= 3.0
    # the 87.99x post of the issue: a lifetime average of a post first seen long after posting
    assert any(not r["inWindow"] for r in rows)
    assert all(r["isViral"] is False for r in rows if not r["inWindow"])
    text = run("report", "viral").stdout
    assert "Viral now = " in text


# ----------------------------------------------------------------------------- item 6


def test_no_time_zone_from_date_only_posts(crawl: Driver, run: Cli) -> None:
    hours = db.read(
        crawl,
        "MATCH (p:Post) WHERE p.postedAt IS NOT NULL "
        "RETURN count(DISTINCT p.postedAt.epochSeconds % 86400) AS n, count(p) AS posts",
    )[0]
    assert hours["posts"] > 10000 and hours["n"] <= 3  # the crawl's dates carry no time of day
    from_hours = db.read(crawl, "MATCH (u:User) WHERE u.timeZoneSource = 'posting hours' RETURN count(u)")[0][
        0
    ]
    assert from_hours == 0
    communities = run.json("report", "communities", "--top", "20")
    assert communities and all(c["timeZone"] is None for c in communities)
    table = run("report", "communities", "--top", "5").stdout
    assert "UTC-11" not in table and "unknown" in table


def test_audience_overlap_refuses_without_follower_lists(crawl: Driver, run: Cli) -> None:
    result = run("audience", "overlap", "natgeo", "instagram", ok=False)
    assert result.exit_code != 0
    assert "followers known" in result.output and "--source engagers" in result.output
    engagers = run("audience", "overlap", "natgeo", "instagram", "--source", "engagers")
    assert "engagers only" in engagers.stdout and "Coverage:" in engagers.stdout


def test_plan_refuses_reach_without_follower_lists(crawl: Driver, run: Cli) -> None:
    result = run("plan", "--budget", "3", ok=False)
    assert result.exit_code != 0 and "followers known" in result.output
    assert "+576" not in result.output


def test_audience_quality_states_thin_coverage(crawl: Driver, run: Cli) -> None:
    rows = run.json("audience", "quality", "--top", "50")
    assert rows and all(r["known_followers"] == 0 for r in rows)  # the crawl holds no follower lists
    assert all(r["thin"] for r in rows if r["coverage"] is not None)
    table = run("audience", "quality", "--top", "5").stdout
    assert "Warning: for 5 of these accounts" in table and "followers known" in table


def test_report_states_audience_and_emotion_coverage(report_page: str) -> None:
    audience = _section(report_page, "audience")
    assert "followers known" in audience and "Together they reach" not in audience
    emotions = _section(report_page, "emotions")
    m = re.search(r"found emotion words in ([\d,]+) of the ([\d,]+) captions", emotions)
    assert m is not None
    read, total = (int(x.replace(",", "")) for x in m.groups())
    assert 0 < read < total
