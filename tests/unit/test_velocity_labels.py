"""Velocity and viral labels on hand-built observation series."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from influence.errors import ConfigError
from influence.models.criteria import load_criteria
from influence.models.labels import label_posts, leave_one_out_median
from influence.models.velocity import post_velocity

T0 = pd.Timestamp("2024-03-01 12:00", tz="UTC")
LIKES = {"likes": 1.0}


def h(hours: float) -> pd.Timestamp:
    return T0 + pd.Timedelta(hours=hours)


def obs(rows: list[tuple[str, float, float, float | None]]) -> pd.DataFrame:
    """(post, hours after T0, likes, comments) → an observations frame."""
    return pd.DataFrame(
        {
            "post": [r[0] for r in rows],
            "at": [h(r[1]) for r in rows],
            "likes": [r[2] for r in rows],
            "comments": [np.nan if r[3] is None else r[3] for r in rows],
            "views": np.nan,
            "shares": np.nan,
        }
    )


def by_post(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    return frame.set_index("post").to_dict("index")


def viral_set(labels: pd.DataFrame) -> set[str]:
    return set(labels.loc[labels["is_viral"].fillna(False).astype(bool), "post"])


def unlabelled(labels: pd.DataFrame) -> set[str]:
    return set(labels.loc[labels["is_viral"].isna(), "post"])


def test_velocity_uses_latest_observation_in_window() -> None:
    posts = pd.DataFrame({"post": ["p"], "author": ["u"], "posted_at": [T0]})
    o = obs([("p", 1, 10, 0), ("p", 4, 40, 2), ("p", 30, 500, 9)])
    v = by_post(post_velocity(o, posts, 6, {"likes": 1, "comments": 3}))["p"]
    assert v["engagement"] == 46  # 40 likes + 3 * 2 comments at 4 h
    assert v["age_hours"] == 4
    assert v["velocity"] == pytest.approx(11.5)
    assert v["n_observations"] == 3
    assert v["last_age_hours"] == 30


def test_missing_counts_are_zero_and_weights_apply() -> None:
    posts = pd.DataFrame({"post": ["p"], "author": ["u"], "posted_at": [T0]})
    o = obs([("p", 2, 10, None)])
    o.loc[0, "views"] = 1000
    v = by_post(post_velocity(o, posts, 24, {"likes": 1, "comments": 3, "views": 0.1}))["p"]
    assert v["engagement"] == pytest.approx(110)
    assert v["velocity"] == pytest.approx(55)


def test_single_late_observation_uses_its_age() -> None:
    posts = pd.DataFrame({"post": ["late", "late2"], "author": ["u", "u"], "posted_at": [T0, T0]})
    o = obs([("late", 100, 1000, 0), ("late2", 50, 100, 0), ("late2", 80, 900, 0)])
    v = by_post(post_velocity(o, posts, 24, LIKES))
    assert v["late"]["velocity"] == pytest.approx(10)  # 1000 likes over its 100 hours
    # only observations after the window: the earliest one is the closest to it
    assert v["late2"]["age_hours"] == 50 and v["late2"]["velocity"] == pytest.approx(2)


def test_age_is_floored_and_missing_data_gives_nan() -> None:
    posts = pd.DataFrame(
        {"post": ["early", "none", "nodate", "early"], "author": "u", "posted_at": [T0, T0, None, T0]}
    )
    o = obs([("early", 0.01, 5, 0), ("nodate", 3, 5, 0), ("stranger", 1, 5, 0)])
    v = post_velocity(o, posts, 24, LIKES)
    assert list(v["post"]) == ["early", "none", "nodate"]  # one row per post of `posts`
    d = by_post(v)
    assert d["early"]["velocity"] == pytest.approx(5 / 0.25)
    assert math.isnan(d["none"]["velocity"]) and d["none"]["n_observations"] == 0
    assert math.isnan(d["nodate"]["velocity"]) and d["nodate"]["n_observations"] == 1


def test_naive_and_aware_datetimes_mix() -> None:
    posts = pd.DataFrame({"post": ["p"], "author": ["u"], "posted_at": [T0.tz_localize(None)]})
    o = obs([("p", 2, 10, 0)])
    assert by_post(post_velocity(o, posts, 24, LIKES))["p"]["velocity"] == pytest.approx(5)


def test_velocity_rejects_bad_arguments() -> None:
    posts = pd.DataFrame({"post": ["p"], "posted_at": [T0]})
    with pytest.raises(ConfigError, match="unknown metric 'saves'"):
        post_velocity(obs([("p", 1, 1, 0)]), posts, 24, {"saves": 1})
    with pytest.raises(ConfigError, match="window_hours"):
        post_velocity(obs([("p", 1, 1, 0)]), posts, 0, LIKES)
    with pytest.raises(ConfigError, match="lacks column"):
        post_velocity(obs([("p", 1, 1, 0)]).drop(columns="at"), posts, 24, LIKES)


def test_velocity_scales_to_a_million_observations() -> None:
    rng = np.random.default_rng(1)
    n_posts, n_obs = 50_000, 1_000_000
    posts = pd.DataFrame({"post": np.arange(n_posts), "posted_at": T0})
    o = pd.DataFrame({"post": rng.integers(0, n_posts, n_obs)})
    o["at"] = T0 + pd.to_timedelta(rng.integers(0, 72 * 3600, n_obs), unit="s")
    o["likes"] = rng.integers(0, 100, n_obs)
    v = post_velocity(o, posts, 24, LIKES)
    assert len(v) == n_posts and v["n_observations"].sum() == n_obs


def test_leave_one_out_median() -> None:
    g = pd.Series(list("aaaabbc") + ["d"])
    x = pd.Series([1, 2, 3, 10, 5, 7, 1, np.nan], dtype=float)
    assert leave_one_out_median(g, x).tolist()[:6] == [3, 3, 2, 2, 7, 5]
    out = leave_one_out_median(g, x)
    assert math.isnan(out[6]) and math.isnan(out[7])
    assert leave_one_out_median(g, x, min_others=3).notna().sum() == 4


def series_of_author(author: str, n: int, likes_at_24h: list[float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    posts = pd.DataFrame(
        {
            "post": [f"{author}{i}" for i in range(n)],
            "author": author,
            "posted_at": [h(-100 * i) for i in range(n)],
        }
    )
    rows = []
    for i in range(n):
        # two observations per post: at 12 h and at 24 h after posting
        rows.append((f"{author}{i}", -100 * i + 12, likes_at_24h[i] / 2, 0))
        rows.append((f"{author}{i}", -100 * i + 24, likes_at_24h[i], 0))
    return posts, obs(rows)


def test_author_median_baseline_finds_the_outlier_of_each_author() -> None:
    big_p, big_o = series_of_author("big", 6, [2400, 2400, 2400, 4800, 2400, 24000])
    small_p, small_o = series_of_author("small", 6, [24, 24, 48, 24, 240, 24])
    posts = pd.concat([big_p, small_p], ignore_index=True)
    posts["author_followers"] = np.where(posts["author"] == "big", 1_000_000, 1_000)
    c = replace(load_criteria(None), weights={"likes": 1.0}, threshold_value=10.0)
    v = post_velocity(pd.concat([big_o, small_o], ignore_index=True), posts, 24, c.weights)
    frame = label_posts(v, posts, c)
    assert frame["is_viral"].dtype == "boolean"
    labels = by_post(frame)
    assert labels["big5"]["velocity"] == pytest.approx(1000)
    # baseline excludes the post itself: the median of the other five big posts is 100/h
    assert labels["big5"]["baseline_value"] == pytest.approx(100)
    assert labels["big5"]["score"] == pytest.approx(10)
    assert labels["small4"]["score"] == pytest.approx(10)
    assert viral_set(frame) == {"big5", "small4"}
    assert not unlabelled(frame)
    # absolute velocity would only find the big account's posts
    a = label_posts(v, posts, replace(c, baseline="absolute", threshold_value=10.0))
    assert viral_set(a) == {"big5", "big3"}


def test_per_follower_baseline_and_z_threshold() -> None:
    posts = pd.DataFrame(
        {
            "post": list("abcdefgh"),
            "author": list("abcdefgh"),
            "posted_at": T0,
            "author_followers": [100, 100, 100, 100, 100, 100, 100, 0],
        }
    )
    o = obs(
        [
            (p, 24, likes, 0)
            for p, likes in zip("abcdefgh", [240, 264, 216, 240, 252, 228, 24000, 5], strict=True)
        ]
    )
    c = replace(
        load_criteria(None),
        weights={"likes": 1.0},
        baseline="per_follower",
        threshold="z",
        threshold_value=2.0,
    )
    frame = label_posts(post_velocity(o, posts, 24, c.weights), posts, c)
    assert by_post(frame)["a"]["score"] == pytest.approx(0.1)  # 10 likes/h over 100 followers
    assert viral_set(frame) == {"g"}
    assert unlabelled(frame) == {"h"}  # no followers: no baseline, no label


def test_too_young_and_unobserved_posts_are_not_labelled() -> None:
    posts = pd.DataFrame(
        {
            "post": ["old1", "old2", "young", "never"],
            "author": "u",
            "posted_at": [h(-100), h(-200), h(-3), h(-50)],
            "author_followers": 10,
        }
    )
    o = obs([("old1", -76, 100, 0), ("old2", -176, 10, 0), ("young", -1, 1000, 0)])
    c = replace(load_criteria(None), weights={"likes": 1.0}, baseline="absolute", threshold_value=50.0)
    frame = label_posts(post_velocity(o, posts, 24, c.weights), posts, c)
    assert unlabelled(frame) == {"young", "never"}
    assert math.isnan(by_post(frame)["young"]["score"])
    assert viral_set(frame) == {"old1"}


def test_scope_applies_threshold_per_group_with_global_fallback() -> None:
    n = 10
    posts = pd.DataFrame(
        {
            "post": [f"en{i}" for i in range(n)] + [f"fr{i}" for i in range(n)] + ["xx0"],
            "author": [f"a{i}" for i in range(2 * n + 1)],
            "posted_at": T0,
            "scope_key": ["en"] * n + ["fr"] * n + [None],
        }
    )
    likes = [1000 + 10 * i for i in range(n)] + [10 + i for i in range(n)] + [500]
    o = obs([(p, 24, lk, 0) for p, lk in zip(posts["post"], likes, strict=True)])
    c = replace(
        load_criteria(None),
        weights={"likes": 1.0},
        baseline="absolute",
        scope="language",
        min_scope_posts=5,
        threshold_value=10.0,
    )
    frame = label_posts(post_velocity(o, posts, 24, c.weights), posts, c)
    # the best French post is viral among French posts; the post without a language is
    # compared with everyone (rank 11 of 21: not in the top 10 %)
    assert viral_set(frame) == {"en9", "fr9"}
    glob = label_posts(post_velocity(o, posts, 24, c.weights), posts, replace(c, scope="global"))
    assert viral_set(glob) == {"en9", "en8", "en7"}


def test_label_posts_needs_the_columns_its_criteria_use() -> None:
    posts = pd.DataFrame({"post": ["a"], "author": ["u"], "posted_at": [T0]})
    v = post_velocity(obs([("a", 30, 1, 0)]), posts, 24, LIKES)
    with pytest.raises(ConfigError, match="author_followers"):
        label_posts(v, posts, replace(load_criteria(None), baseline="per_follower"))
    with pytest.raises(ConfigError, match="scope_key"):
        label_posts(v, posts, replace(load_criteria(None), scope="country"))
