"""Feature assembly on tiny frames (no database): history, early engagement, hashtags, drafts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from influence.models import features, predict

W = {"likes": 1.0, "comments": 1.0}


def test_author_past_median_sees_only_earlier_posts() -> None:
    history = pd.DataFrame({
        "author": ["a", "a", "a", "b"], "post": ["p1", "p2", "p3", "q1"],
        "postedAt": [10.0, 20.0, 30.0, 10.0], "likes": [np.expm1(1.0), np.expm1(3.0), 1e9, 5.0],
        "comments": [0, 0, 0, 0], "views": [None] * 4, "shares": [None] * 4,
    })
    posts = pd.DataFrame({"id": ["p3", "draft", "early", "nobody"], "author": ["a", "a", "a", "z"],
                          "postedAt": [30.0, np.nan, 5.0, 50.0]})
    out = features.author_past_median(posts, history, W)
    assert math.isclose(out["author_past_median"][0], 2.0)  # median(1, 3): never its own 1e9
    assert out["author_past_posts"][0] == 2
    assert out["author_past_posts"][1] == 3  # a draft without a date sees every post
    assert math.isnan(out["author_past_median"][2]) and out["author_past_posts"][2] == 0
    assert math.isnan(out["author_past_median"][3])


def test_early_block_uses_the_latest_observation_inside_the_window() -> None:
    spec = features.FeatureSpec(mode="early", early_hours=2.0, weights=W)
    posts = pd.DataFrame({"id": ["p", "late"], "postedAt": [0.0, 0.0]})
    obs = pd.DataFrame({"post": ["p", "p", "p", "late"], "at": [1800.0, 5400.0, 36000.0, 36000.0],
                        "likes": [10, 99, 5000, 7], "comments": [0, 1, 0, 0], "views": None, "shares": None})
    out = features.early_block(posts, obs, spec)
    assert math.isclose(out["early_engagement_log"][0], math.log1p(100))
    assert math.isclose(out["early_velocity_log"][0], math.log1p(100 / 1.5))
    assert out["early_observations"][0] == 2
    assert math.isnan(out["early_engagement_log"][1]) and out["early_observations"][1] == 0


def test_hashtag_uses_count_only_earlier_posts_when_training() -> None:
    posts = pd.DataFrame({"postedAt": [1.0, 2.0, 3.0, 3.0], "hashtags": [["x"], ["x", "y"], ["x"], []]})
    tags = pd.DataFrame({"name": ["x", "y"], "uses": [100, 100], "pagerank": [0.5, 1.5], "communitySpread": [1, 3]})
    prior = features._hashtag_block(posts, tags, prior_uses=True)
    assert np.allclose(prior["tag_uses_max"].tolist()[:3], [0.0, math.log1p(1), math.log1p(2)])
    assert math.isnan(prior["tag_uses_max"][3])
    assert prior["tag_pagerank_mean"][1] == 1.0 and prior["tag_spread_max"][1] == 3.0
    total = features._hashtag_block(posts, tags, prior_uses=False)
    assert total["tag_uses_max"][0] == math.log1p(100)


def test_explain_groups_embedding_dimensions_and_orders_by_push() -> None:
    names = ["a", "emb_0", "emb_1", "b"]
    contribs = np.array([[0.5, 0.2, 0.3, -0.7, 0.1]])  # last column is the bias
    up, down = predict.explain(contribs, names)
    assert {u.split(" ")[0] for u in up[0]} == {"a", "author_embedding"}
    assert down[0] == ["b (-0.70)"]


@pytest.mark.parametrize(("row", "reason"), [
    ({"id": "x", "caption": "  "}, "caption is missing"),
    ({"id": "x"}, "caption is missing"),
    ({"caption": "hi"}, "id is missing"),
    ({"id": "x", "caption": "hi", "posted_at": "soon"}, "not a date"),
    ({"id": "x", "caption": "hi", "author_followers": -3}, "negative count"),
    ({"id": "x", "caption": "hi", "author": "not a user!"}, "not a valid username"),
    ({"id": "x", "caption": "hi", "hashtags": 7}, "hashtags must be"),
])
def test_bad_drafts_are_refused_with_a_reason(row: dict, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        predict.validate_draft(row, 1)


def test_good_draft_merges_hashtags_from_column_and_caption() -> None:
    row = predict.validate_draft({"id": "d", "author": "@Some.User", "caption": "new drop #Sale @friend",
                                  "hashtags": "#summer, style", "posted_at": "2024-05-01T10:00:00Z",
                                  "author_followers": "12k"}, 1)
    assert row["author"] == "some.user"
    assert row["hashtags"] == ["summer", "style", "sale"]
    assert row["author_followers"] == 12000.0 and row["mentions"] == 1
