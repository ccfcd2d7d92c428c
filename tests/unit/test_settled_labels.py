"""Labels for data seen once: the settled age measured from the data, the latest engagement,
and the author's habits from earlier posts (pure functions, no database)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from influence.models import history, velocity

W = {"likes": 1.0, "comments": 3.0}
T0 = pd.Timestamp("2024-01-01T00:00Z")


def _posts(n: int, rng: np.random.Generator) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "post": [f"p{i}" for i in range(n)],
            "author": [f"a{i % 20}" for i in range(n)],
            "posted_at": [T0 + pd.Timedelta(hours=float(h)) for h in rng.uniform(0, 2000, n)],
        }
    )


def test_settled_age_from_posts_observed_twice() -> None:
    """Engagement that grows until 48 h and is flat afterwards settles at the 48 h bin."""
    rng = np.random.default_rng(0)
    posts = _posts(600, rng)
    final = rng.uniform(100, 10000, len(posts))

    def eng(age_h: np.ndarray) -> np.ndarray:
        return final * np.minimum(age_h / 48.0, 1.0)

    first_age = rng.uniform(1, 400, len(posts))
    rows = []
    for i, (p, t) in enumerate(zip(posts["post"], posts["posted_at"], strict=True)):
        for age in (first_age[i], first_age[i] + 100.0):
            rows.append(
                {
                    "post": p,
                    "at": t + pd.Timedelta(hours=float(age)),
                    "likes": float(eng(np.array([age]))[0]),
                    "comments": 0.0,
                }
            )
    hours, how = velocity.settled_age_hours(pd.DataFrame(rows), posts, W)
    assert hours == 48.0 and "pairs of observations" in how


def test_a_count_that_disappears_is_not_a_fall_in_engagement() -> None:
    rng = np.random.default_rng(1)
    posts = _posts(300, rng)
    rows = []
    for p, t in zip(posts["post"], posts["posted_at"], strict=True):
        rows.append({"post": p, "at": t + pd.Timedelta(hours=30), "likes": 100.0, "comments": 50.0})
        rows.append({"post": p, "at": t + pd.Timedelta(hours=130), "likes": 300.0, "comments": None})
    # every pair changes which counts it carries: none is used, so the posts-seen-once rule answers
    hours, how = velocity.settled_age_hours(pd.DataFrame(rows), posts, W)
    assert "pairs of observations" not in how


def test_settled_age_from_posts_seen_once_compares_with_the_author_s_older_posts() -> None:
    rng = np.random.default_rng(2)
    posts = _posts(4000, rng)
    age = rng.uniform(2, 2000, len(posts))
    level = {f"a{i}": 10 ** rng.uniform(2, 5) for i in range(20)}
    share = np.minimum(age / 72.0, 1.0) ** 2  # far below the settled level until 72 h
    obs = pd.DataFrame(
        {
            "post": posts["post"],
            "at": posts["posted_at"] + pd.to_timedelta(age, unit="h"),
            "likes": [level[a] * s for a, s in zip(posts["author"], share, strict=True)],
            "comments": 0.0,
        }
    )
    hours, how = velocity.settled_age_hours(obs, posts, W)
    assert 48.0 <= hours <= 72.0 and "seen once" in how
    # without authors the data cannot tell: the default
    assert (
        velocity.settled_age_hours(obs, posts.drop(columns="author"), W)[0] == velocity.DEFAULT_SETTLED_HOURS
    )


def test_latest_engagement_uses_the_last_observation() -> None:
    posts = pd.DataFrame({"post": ["p", "q"], "posted_at": [T0, T0]})
    obs = pd.DataFrame(
        {
            "post": ["p", "p"],
            "at": [T0 + pd.Timedelta(hours=5), T0 + pd.Timedelta(hours=50)],
            "likes": [10, 40],
            "comments": [1, 2],
        }
    )
    out = velocity.latest_engagement(obs, posts, W).set_index("post")
    assert out.loc["p", "engagement"] == 46.0 and out.loc["p", "last_age_hours"] == 50.0
    assert math.isnan(out.loc["q", "engagement"])


def test_author_habits_come_from_earlier_posts_only() -> None:
    h = pd.DataFrame(
        {
            "author": ["a", "a", "a"],
            "postedAt": [0.0, 86400.0, 2 * 86400.0],
            "engagement_log": [1.0, 2.0, 3.0],
            "n_hashtags": [2.0, 4.0, 30.0],
            "caption_length": [10, 10, 10],
            "type": ["image", "image", "video"],
            "hour": [10.0, 12.0, 3.0],
            "hashtags": [["x"], ["x", "y"], ["z"]],
        }
    )
    draft = pd.DataFrame(
        {
            "author": ["a", "a"],
            "postedAt": [1.5 * 86400.0, 5 * 86400.0],
            "n_hashtags": [5.0, 5.0],
            "caption_length": [10, 10],
            "type": ["video", "image"],
            "hour": [11.0, 11.0],
            "hashtags": [["x", "new"], ["z"]],
        }
    )
    out = history.author_context(draft, h)
    assert out["author_past_posts"].tolist() == [2.0, 3.0]
    assert out["rel_hashtags"][0] == 5.0 - 3.0  # mean of 2 and 4, not the later 30
    assert out["type_share"].tolist()[0] == 0.0 and math.isclose(out["type_share"][1], 2 / 3)
    assert math.isclose(out["days_since_previous"][0], math.log1p(0.5))
    assert out["new_hashtags"].tolist() == [1.0, 0.0] and out["new_hashtag_share"][0] == 0.5
    assert math.isclose(out["hour_distance"][0], 0.0, abs_tol=1e-9)  # usual hour 11 (circular mean of 10, 12)
