"""Answers that say what the data can carry (issue 17, items 4-6), on small frames: no database."""

from __future__ import annotations

import numpy as np
import pandas as pd

from influence.analytics.audience import coverage, coverage_warnings, coverage_words, is_thin
from influence.analytics.timezones import date_only_times, estimate
from influence.analytics.viral import viral_scores
from influence.report.plots import followers_vs_engagement_figure, percent


def test_a_flag_from_the_follower_fallback_shows_the_ratio_that_flagged_it() -> None:
    # author "solo" has one in-window post, so it is scored against all posts per follower;
    # its ratio must say how far it beats the usual for its size, not 1.0x against itself
    rows = [
        {"post": f"b{i}", "author": f"acct{i}", "velocity": 10.0, "followers": 1000, "in_window": True}
        for i in range(30)
    ]
    rows.append({"post": "hot", "author": "solo", "velocity": 500.0, "followers": 1000, "in_window": True})
    scores = viral_scores(pd.DataFrame(rows)).set_index("post")
    assert scores.loc["hot", "isViral"] and scores.loc["hot", "basis"] == "followers"
    assert scores.loc["hot", "ratio"] > 20  # 500/h where an account of 1,000 followers usually gets 10/h
    assert abs(scores.loc["b0", "ratio"] - 1.0) < 1e-9


def test_every_flagged_post_is_well_above_its_usual() -> None:
    rng = np.random.default_rng(3)
    rows = [
        {
            "post": f"{a}-{i}",
            "author": a,
            "velocity": float(rng.lognormal(3, 0.4)),
            "followers": 5000,
            "in_window": True,
        }
        for a in "abcdef"
        for i in range(6)
    ]
    rows[0]["velocity"] = 2000.0
    scores = viral_scores(pd.DataFrame(rows))
    flagged = scores[scores["isViral"]]
    assert "a-0" in set(flagged["post"])
    assert (flagged["ratio"] >= 2.0).all() and (flagged["basis"] == "author").all()


def test_a_lifetime_average_is_never_viral_now() -> None:
    rows = [{"post": f"p{i}", "author": "a", "velocity": 1.0, "in_window": False} for i in range(5)]
    rows.append({"post": "old", "author": "a", "velocity": 90.0, "in_window": False})
    scores = viral_scores(pd.DataFrame(rows)).set_index("post")
    assert scores.loc["old", "score"] > 3 and not scores.loc["old", "isViral"]
    assert not scores.loc["old", "in_window"]


def test_a_time_of_day_shared_by_many_posts_is_a_date_without_time() -> None:
    common = [{"second": 18000, "posts": 9000}, {"second": 61200, "posts": 3}]
    assert date_only_times(10000, common) == [18000]
    # real posting times: no second of the day holds 5 % of the posts
    assert date_only_times(10000, [{"second": 61200, "posts": 40}]) == []
    assert date_only_times(30, [{"second": 0, "posts": 10}]) == []  # too few posts to tell


def test_an_account_whose_posts_all_share_one_time_gets_no_zone_from_hours() -> None:
    # three posts at 05:00 UTC: without the check this read as "UTC-11" with full confidence
    angle = 2 * np.pi * 5 / 24
    row = {
        "id": "u",
        "country": None,
        "posts": 3,
        "sumCos": 3 * np.cos(angle),
        "sumSin": 3 * np.sin(angle),
        "timesOfDay": 1,
    }
    assert estimate(row) is None
    assert estimate({**row, "timesOfDay": 3}) is not None
    assert estimate({**row, "country": "FR"})["source"] == "country"  # type: ignore[index]


def test_coverage_is_followers_known_against_the_profile_count() -> None:
    assert coverage(19_600_000, 0) == 0.0
    assert coverage(None, 10) is None and coverage(0, 3) is None
    assert coverage(100, 250) == 1.0
    assert is_thin(19_600_000, 0) and not is_thin(19_600_000, 1)  # only mentioners known: no audience
    assert is_thin(19_600_000, 4, floor=5) and not is_thin(3, 3, floor=5)  # all 3 followers known: whole
    assert is_thin(None, 0) and not is_thin(216_227, 0, known_engagers=40)  # likers are its audience too
    assert coverage_words("natgeo", 19_600_000, 0) == "natgeo: 0 of 19,600,000 followers known (0.0000 %)"
    rows = [
        {
            "username": "natgeo",
            "followers": 19_600_000,
            "known_followers": 5000,
            "coverage": coverage(19_600_000, 5000),
        },
        {"username": "small", "followers": 100, "known_followers": 90, "coverage": 0.9},
    ]
    (warning,) = coverage_warnings(rows, "all")
    assert "natgeo: 5,000 of 19,600,000" in warning and "small" not in warning
    assert "engagers only" in coverage_warnings(rows, "engagers")[0]


def test_rate_ticks_read_as_percentages_never_negative() -> None:
    assert [percent(v) for v in (0.0, -0.0, 0.0005, 0.001, 0.015, 0.1)] == [
        "0 %",
        "0 %",
        "0.05 %",
        "0.1 %",
        "1.5 %",
        "10 %",
    ]
    # rates from 0 to 40 % (zeros included): no tick below zero, every tick label distinct
    rng = np.random.default_rng(1)
    points = [
        (float(f), float(e), None)
        for f, e in zip(rng.lognormal(8, 2, 300), rng.lognormal(-4, 1.5, 300), strict=True)
    ]
    points += [(1000.0, 0.0, None)] * 5
    fig, _ = followers_vs_engagement_figure(points, [])
    ax = fig.axes[0]
    fig.canvas.draw()  # type: ignore[no-untyped-call]
    low, _high = ax.get_ylim()
    assert low > 0
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and not any(lbl.startswith(("-", "−")) for lbl in labels)
    assert len(set(labels)) == len(labels)
