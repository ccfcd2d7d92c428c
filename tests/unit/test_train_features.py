"""Feature assembly on tiny frames (no database): history, early engagement, hashtags, drafts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from influence.models import features, predict

W = {"likes": 1.0, "comments": 1.0}


def test_author_past_median_sees_only_earlier_posts() -> None:
    history = pd.DataFrame(
        {
            "author": ["a", "a", "a", "b"],
            "post": ["p1", "p2", "p3", "q1"],
            "postedAt": [10.0, 20.0, 30.0, 10.0],
            "likes": [np.expm1(1.0), np.expm1(3.0), 1e9, 5.0],
            "comments": [0, 0, 0, 0],
            "views": [None] * 4,
            "shares": [None] * 4,
        }
    )
    posts = pd.DataFrame(
        {
            "id": ["p3", "draft", "early", "nobody"],
            "author": ["a", "a", "a", "z"],
            "postedAt": [30.0, np.nan, 5.0, 50.0],
            "hashtags": [[]] * 4,
            "caption": [""] * 4,
            "type": [None] * 4,
        }
    )
    history = history.assign(hashtags=[[]] * 4, caption_length=[0] * 4, type=[None] * 4)
    out = features.author_history_block(posts, history, W)
    assert math.isclose(out["author_past_median"][0], 2.0)  # median(1, 3): never its own 1e9
    assert out["author_past_posts"][0] == 2
    assert out["author_past_posts"][1] == 0  # a draft without a date has no place in the history
    assert math.isnan(out["author_past_median"][2]) and out["author_past_posts"][2] == 0
    assert math.isnan(out["author_past_median"][3])


def test_early_block_uses_the_latest_observation_inside_the_window() -> None:
    spec = features.FeatureSpec(mode="early", early_hours=2.0, weights=W)
    posts = pd.DataFrame({"id": ["p", "late"], "postedAt": [0.0, 0.0]})
    obs = pd.DataFrame(
        {
            "post": ["p", "p", "p", "late"],
            "at": [1800.0, 5400.0, 36000.0, 36000.0],
            "likes": [10, 99, 5000, 7],
            "comments": [0, 1, 0, 0],
            "views": None,
            "shares": None,
        }
    )
    out = features.early_block(posts, obs, spec)
    assert math.isclose(out["early_engagement_log"][0], math.log1p(100))
    assert math.isclose(out["early_velocity_log"][0], math.log1p(100 / 1.5))
    assert out["early_observations"][0] == 2
    assert math.isnan(out["early_engagement_log"][1]) and out["early_observations"][1] == 0


def test_hashtag_uses_count_only_earlier_posts_when_training() -> None:
    posts = pd.DataFrame({"postedAt": [1.0, 2.0, 3.0, 3.0], "hashtags": [["x"], ["x", "y"], ["x"], []]})
    tags = pd.DataFrame(
        {"name": ["x", "y"], "uses": [100, 100], "pagerank": [0.5, 1.5], "communitySpread": [1, 3]}
    )
    prior = features._hashtag_block(posts, tags, prior_uses=True)
    assert np.allclose(prior["tag_uses_max"].tolist()[:3], [0.0, math.log1p(1), math.log1p(2)])
    assert math.isnan(prior["tag_uses_max"][3])
    assert prior["tag_pagerank_mean"][1] == 1.0 and prior["tag_spread_max"][1] == 3.0
    total = features._hashtag_block(posts, tags, prior_uses=False)
    assert total["tag_uses_max"][0] == math.log1p(100)


def test_explain_groups_embedding_dimensions_and_orders_by_push() -> None:
    names = ["hour", "emb_0", "emb_1", "author_followers_log", "tag_uses_mean", "tag_uses_max"]
    contribs = np.array([[0.5, 0.2, 0.35, -0.7, -0.1, -0.15, 0.1]])  # last column is the bias
    why = predict.explain(contribs, names)
    # the embedding dimensions are one reason; a hashtag mean and max are one reason
    assert why.up[0] == ["account's position in the network (embedding) (+0.55)", "posting hour (+0.50)"]
    assert why.up_features[0] == ["emb_*", "hour"]
    assert why.down[0] == ["followers (-0.70)", "hashtags' popularity (-0.25)"]
    assert why.down_features[0] == ["author_followers_log", "tag_uses_mean"]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"caption": "hi"}, "id is missing"),
        ({"id": "x", "author": "a", "caption": ["a list"]}, "caption must be text"),
        ({"id": "x", "caption": "hi"}, "author is missing"),
        ({"id": "x", "caption": "hi", "author": float("nan")}, "author is missing"),
        ({"id": "x", "caption": "hi", "author": "a", "posted_at": "soon"}, "not a date"),
        ({"id": "x", "caption": "hi", "author": "a", "author_followers": -3}, "negative count"),
        (
            {"id": "x", "caption": "hi", "author": "a", "author_posts": "many"},
            "author_posts must be a whole number",
        ),
        (
            {"id": "x", "caption": "hi", "author": "a", "author_verified": "perhaps"},
            "author_verified must be true or false",
        ),
        ({"id": "x", "caption": "hi", "author": "a\x00b"}, "not a username or an account id"),
        ({"id": "x", "caption": "hi", "author": "a", "hashtags": 7}, "hashtags must be"),
    ],
)
def test_bad_drafts_are_refused_with_a_reason(row: dict, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        predict.validate_draft(row, 1)


@pytest.mark.parametrize("caption", ["", "  ", None, float("nan")])
def test_draft_without_a_caption_is_scored_on_the_rest(caption: object) -> None:
    # 1.6 % of the crawl's posts have no caption: a draft without one is a real post, not a bad row
    row = predict.validate_draft({"id": "x", "author": "a", "caption": caption, "hashtags": "summer"}, 1)
    assert row["caption"] == "" and row["hashtags"] == ["summer"] and row["mentions"] == 0


def test_good_draft_merges_hashtags_from_column_and_caption() -> None:
    row = predict.validate_draft(
        {
            "id": "d",
            "author": "@Some.User",
            "caption": "new drop #Sale @friend",
            "hashtags": "#summer, style",
            "posted_at": "2024-05-01T10:00:00Z",
            "author_followers": "12k",
        },
        1,
    )
    assert row["author"] == "some.user"
    assert row["hashtags"] == ["summer", "style", "sale"]
    assert row["author_followers"] == 12000.0 and row["mentions"] == 1
    assert row["type"] == "image"  # a draft without a type is a single image


def test_draft_author_columns_and_loader_ids() -> None:
    row = predict.validate_draft(
        {
            "id": "d",
            "author": "reddit:r/pics",
            "caption": "hi",
            "author_following": "1,200",
            "author_posts": 30,
            "author_verified": "yes",
            "type": "Video",
        },
        1,
    )
    assert row["author"] == "reddit:r/pics"  # the ids the project's own loaders create are kept
    assert (
        row["author_following"] == 1200.0 and row["author_posts"] == 30.0 and row["author_verified"] is True
    )
    assert row["type"] == "video"


def test_author_block_takes_the_draft_columns_for_an_author_not_in_the_graph() -> None:
    spec = features.FeatureSpec()
    posts = pd.DataFrame(
        {
            "author": ["known", "new"],
            "author_followers": [5.0, 999.0],
            "author_following": [np.nan, 20.0],
            "author_posts": [np.nan, 7.0],
            "author_verified": [None, True],
        }
    )
    authors = pd.DataFrame(
        [{"id": "known", "followers": 100, "following": 10, "postsCount": 3, "verified": False}]
    )
    out = features._author_block(posts, authors, spec)
    assert out["author_followers_log"].tolist() == [math.log1p(100), math.log1p(999)]  # the graph wins
    assert out["author_following_log"][1] == math.log1p(20) and out["author_posts_log"][1] == math.log1p(7)
    assert out["author_verified"].tolist() == [0.0, 1.0]
