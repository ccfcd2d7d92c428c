"""Pure parts of the analytics: weights, scores, options, parameters, guide, picture (no database)."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from influence.analytics import browser
from influence.analytics.base import AnalyzeOptions, StepResult
from influence.analytics.hashtags import cooccurrence_weights
from influence.analytics.influence import engagement_table, interaction_rows, tier_of
from influence.analytics.query import parse_params
from influence.analytics.run import STEPS, parse_steps
from influence.analytics.viral import viral_scores
from influence.errors import ConfigError
from influence.report.viz import VizGraph, _sizes, colour, render_html


def test_interaction_rows_weigh_each_kind() -> None:
    counts = pd.DataFrame(
        [
            ("a", "b", "mentions", 2),
            ("a", "b", "likes", 4),
            ("b", "a", "coauthors", 1),
            ("c", "a", "features", 1),
            ("d", "a", "comments", 3),
        ],
        columns=["src", "dst", "kind", "n"],
    )
    rows = {
        (r["src"], r["dst"]): r
        for r in interaction_rows(
            counts, {"mentions": 1.0, "likes": 0.25, "coauthors": 1.0, "features": 0.0, "comments": 0.5}
        )
    }
    assert rows[("a", "b")]["weight"] == pytest.approx(3.0) and rows[("a", "b")]["likes"] == 4
    assert rows[("d", "a")]["weight"] == pytest.approx(1.5) and rows[("d", "a")]["comments"] == 3
    assert rows[("b", "a")]["weight"] == pytest.approx(1.0)
    assert ("c", "a") not in rows  # weight 0: no relationship
    assert interaction_rows(counts.iloc[0:0], {}) == []


def test_tiers_and_engagement_rate_within_tier() -> None:
    assert [tier_of(f) for f in (0, 9_999, 10_000, 150_000, 2_000_000, 50_000_000, None)] == [
        "nano",
        "nano",
        "micro",
        "mid",
        "macro",
        "mega",
        None,
    ]
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e", "f"],
            "followers": [1000, 2000, 4000, 0, None, 5000],
            "posts": [3, 3, 3, 3, 3, 0],
            "meanEngagement": [100.0, 100.0, 100.0, 50.0, 50.0, None],
        }
    )
    out = engagement_table(frame).set_index("id")
    assert out.loc["a", "rate"] == pytest.approx(0.1) and out.loc["c", "rate"] == pytest.approx(0.025)
    assert (
        math.isnan(out.loc["d", "rate"])
        and math.isnan(out.loc["e", "rate"])
        and math.isnan(out.loc["f", "rate"])
    )
    logs = np.log([0.1, 0.05, 0.025])
    assert out.loc["a", "tierZ"] == pytest.approx((logs[0] - logs.mean()) / logs.std(ddof=1))
    assert out.loc["b", "tierZ"] == pytest.approx(0.0, abs=1e-12)


def test_cooccurrence_weights_jaccard_and_npmi() -> None:
    rows = cooccurrence_weights([{"a": "x", "b": "y", "count": 2, "usesA": 4, "usesB": 2}], tagged_posts=10)
    assert rows[0]["weight"] == pytest.approx(2 / 4)
    p_ab, p_a, p_b = 0.2, 0.4, 0.2
    assert rows[0]["npmi"] == pytest.approx(math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))


def test_viral_scores_flag_the_outlier_against_its_author() -> None:
    v = [10, 11, 9, 10.5, 9.5, 200]  # author a: one post at 20x
    frame = pd.DataFrame(
        {
            "post": [f"a{i}" for i in range(6)] + ["b0", "b1", "b2", "c0"],
            "author": ["a"] * 6 + ["b"] * 3 + ["c"],
            "velocity": v + [1000.0, 1100.0, 900.0, float("nan")],
        }
    )
    out = viral_scores(frame, min_author_posts=3, threshold=3.0).set_index("post")
    assert bool(out.loc["a5", "isViral"]) and out.loc["a5", "ratio"] > 15
    assert not out.drop(index="a5")["isViral"].any()  # b is big but regular: not viral
    assert "c0" not in out.index  # no velocity: no score
    assert out.loc["a5", "z"] > 1.5


def test_steps_and_options_are_checked() -> None:
    assert parse_steps(None) == list(STEPS)
    assert parse_steps("viral, influence") == ["influence", "viral"]
    with pytest.raises(ConfigError, match="unknown step"):
        parse_steps("pagerank")
    with pytest.raises(ConfigError, match="algorithm"):
        AnalyzeOptions(algorithm="hits").validate()
    with pytest.raises(ConfigError, match="concurrency"):
        AnalyzeOptions(concurrency=8).validate()
    with pytest.raises(ConfigError, match="interaction weight"):
        AnalyzeOptions(interaction_weights={"shares": 1.0}).validate()
    row = StepResult("x", 1000.0, 2000.0, 500.0, {"modularity": 0.5}).row()
    assert row["total_s"] == 3.5 and "modularity=0.5" in row["result"]


def test_query_params_are_text_unless_typed() -> None:
    assert parse_params(["top=5", "ok=true", 'ids=["a","b"]', "name=natgeo", "q=a=b", "id=43597949"]) == {
        "top": "5",
        "ok": "true",
        "ids": '["a","b"]',
        "name": "natgeo",
        "q": "a=b",
        "id": "43597949",
    }
    assert parse_params(["top:int=5", "ok:bool=no", 'ids:json=["a","b"]', "w:float=1e3", "s:str=7"]) == {
        "top": 5,
        "ok": False,
        "ids": ["a", "b"],
        "w": 1000.0,
        "s": "7",
    }
    with pytest.raises(ConfigError, match="NAME=VALUE"):
        parse_params(["novalue"])
    with pytest.raises(ConfigError, match="not a whole number"):
        parse_params(["top:int=1.5"])
    with pytest.raises(ConfigError, match="finite"):
        parse_params(["w:float=nan"])


def test_browser_guide_and_favorites(tmp_path: Path) -> None:
    queries = browser.saved_queries()
    assert len(queries) == 5
    needs = {q.name: q.params for q in queries}
    assert needs["03_hashtag_spread"] == (":param hashtag => 'climbing'",)
    page = browser.guide_html(queries)
    assert page.count("<slide") == 6 and page.count('class="pre-scrollable code runnable"') == 5 + 5
    assert "MATCH (h:Hashtag {name: toLower($hashtag)})" in page
    zpath = browser.write_favorites(tmp_path / "f.zip")
    assert sorted(zipfile.ZipFile(zpath).namelist()) == sorted(f"{q.name}.cypher" for q in queries)


def test_viz_html_colours_sizes_and_legend() -> None:
    graph = VizGraph(
        "Community 1 <x>",
        nodes=[
            {"id": "a", "label": "alice", "community": 1, "pagerank": 4.0, "followers": 10},
            {"id": "b", "label": "bob", "community": 1, "pagerank": 1.0, "followers": 5},
            {"id": "c", "label": "carol", "community": 2, "pagerank": None, "followers": None},
        ],
        edges=[{"src": "a", "dst": "b", "type": "FOLLOWS", "weight": 1.0}],
    )
    sizes = _sizes([4.0, 1.0, None])
    assert sizes[0] > sizes[1] >= sizes[2]
    order = {c: i for i, (c, _) in enumerate(graph.communities())}
    assert colour(1, order) != colour(2, order) and colour(None, order) == "#cccccc"
    page = render_html(graph)
    assert (
        "vis.Network" in page and "cdnjs.cloudflare.com/ajax/libs/vis-network" not in page
    )  # embedded, offline
    assert 'id="influence-legend"' in page and "community 1 (2)" in page and "Community 1 &lt;x&gt;" in page
    assert '"alice"' in page and colour(1, order) in page
