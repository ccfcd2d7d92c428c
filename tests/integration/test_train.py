"""Training on feature frames (unit tier, no database): split, author history, models vs baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from influence.errors import ModelError
from influence.models import evaluate, train
from influence.models.history import author_context


def synthetic_frame(n: int = 600, seed: int = 0, authors_n: int = 40) -> pd.DataFrame:
    """Posts whose engagement depends on the author's size and on a content signal (``quality``)
    that follower count and the author's median cannot see; the author history columns are
    computed the way training computes them (earlier posts only)."""
    rng = np.random.default_rng(seed)
    authors = [f"u{i}" for i in range(authors_n)]
    followers = {a: float(10 ** rng.uniform(2, 6)) for a in authors}
    author = rng.choice(authors, n)
    quality = rng.normal(size=n)
    noise = rng.normal(scale=0.3, size=n)
    log_eng = np.log1p([followers[a] for a in author]) * 0.5 + 1.5 * quality + noise
    frame = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "postedAt": np.sort(rng.uniform(1.6e9, 1.6e9 + 90 * 86400, n)),
            "author": author,
            "followers": [followers[a] for a in author],
            "log_followers": np.log1p([followers[a] for a in author]),
            "quality": quality,
            "irrelevant": rng.normal(size=n),
            "engagement_log": log_eng,
        }
    )
    frame["posted_at"] = frame["postedAt"]
    frame["target"] = frame["engagement_log"]
    history = author_context(frame, frame)
    frame["author_past_median"] = history["author_past_median"]
    frame["author_past_posts"] = history["author_past_posts"]
    frame["relative_target"] = frame["engagement_log"] - frame["author_past_median"]
    score = frame["relative_target"].fillna(frame["engagement_log"] - frame["engagement_log"].median())
    frame["viral"] = (score > np.quantile(score, 0.9)).astype(int)
    return frame.drop(columns=["postedAt"]).set_index("id")


FEATURES = ["log_followers", "quality", "irrelevant", "author_past_median", "author_past_posts"]


def test_time_split_puts_every_test_post_after_every_train_post() -> None:
    rng = np.random.default_rng(1)
    days = rng.integers(0, 30, 500) * 86400.0  # day precision: many ties
    split = train.time_split(days, test_fraction=0.2, val_fraction=0.15)
    assert split.test.size > 0 and split.val.size > 0 and split.train.size > 0
    assert days[split.test].min() > days[split.val].max()
    assert days[split.val].min() > days[split.train].max()
    assert sorted(np.concatenate([split.train, split.val, split.test]).tolist()) == list(range(500))


def test_time_split_refuses_a_single_timestamp() -> None:
    with pytest.raises(ModelError, match="one publication time"):
        train.time_split([5.0] * 50)


def test_author_history_uses_only_strictly_earlier_posts() -> None:
    frame = pd.DataFrame(
        {
            "author": ["a", "a", "a", "a", "b"],
            "postedAt": [1.0, 2.0, 2.0, 3.0, 1.0],
            "engagement_log": [1.0, 5.0, 7.0, 100.0, 3.0],
        }
    )
    out = author_context(frame, frame)
    assert np.isnan(out["author_past_median"][0]) and out["author_past_posts"][0] == 0
    # the two posts at t=2 see only the t=1 post, not each other
    assert out["author_past_median"][1] == 1.0 and out["author_past_median"][2] == 1.0
    assert out["author_past_posts"][1] == 1
    assert out["author_past_median"][3] == 5.0  # median(1, 5, 7); never its own 100
    assert np.isnan(out["author_past_median"][4])


def test_author_split_holds_out_whole_authors_stably() -> None:
    frame = synthetic_frame(800, seed=4, authors_n=60)
    split = train.author_split(frame["author"], frame["posted_at"])
    test_authors = set(frame["author"].iloc[split.test])
    train_authors = set(frame["author"].iloc[np.union1d(split.train, split.val)])
    assert test_authors and not test_authors & train_authors
    again = train.author_split(frame["author"].iloc[::-1], frame["posted_at"].iloc[::-1])
    assert set(frame["author"].iloc[::-1].iloc[again.test]) == test_authors  # by id, not by position


def test_every_situation_beats_its_baselines_on_a_signal_they_cannot_see() -> None:
    frame = synthetic_frame(1000, seed=1, authors_n=60)
    result = train.train_models(frame, FEATURES)
    assert set(result.models) == {"known_author", "new_author", "own_drafts"}
    for split in ("time", "author"):
        known = result.evaluation["known_author"][split]
        assert (
            known["model"]["roc_auc"]
            > max(known["followers"]["roc_auc"], known["author_median"]["roc_auc"]) + 0.1
        )
        assert known["model"]["spearman"] > known["author_median"]["spearman"]
        new = result.evaluation["new_author"][split]
        assert new["model"]["spearman"] > new["followers"]["spearman"] + 0.15
        drafts = result.evaluation["own_drafts"][split]
        assert drafts["model"]["pairwise"] > 0.75 and drafts["author_median"]["pairwise"] == 0.5
        assert drafts["chance"]["pairwise"] == 0.5
    # the new-author model never sees the author's place in the graph or history
    assert "author_past_median" not in result.models["new_author"].features
    assert "author_past_median" in result.models["known_author"].features
    assert result.importance["known_author"]["quality"] > result.importance["known_author"]["irrelevant"]
    # held-out rows of the time split are the newest posts
    known_rows = frame[frame["author_past_posts"] > 0]
    assert result.test["posted_at"].min() >= known_rows["posted_at"].quantile(0.75)


def test_training_is_reproducible() -> None:
    frame = synthetic_frame(300, seed=3)
    a = train.train_models(frame, ["log_followers", "quality"])
    b = train.train_models(frame, ["log_followers", "quality"])
    assert np.array_equal(a.test["model_probability"].to_numpy(), b.test["model_probability"].to_numpy())


def test_one_class_is_refused_with_advice() -> None:
    frame = synthetic_frame(100)
    frame["viral"] = 0
    with pytest.raises(ModelError, match="same label"):
        train.train_models(frame, ["quality"])


def test_a_baseline_without_data_is_reported_missing_not_as_a_coin_flip() -> None:
    frame = synthetic_frame(600, seed=2)
    frame["followers"] = np.nan
    result = train.train_models(frame, ["quality"])
    m = result.evaluation["known_author"]["time"]
    assert np.isnan(m["followers"]["roc_auc"]) and m["followers"]["n"] == 0
    assert m["author_median"]["n"] == result.splits["known_author"]["time"]["test"]


def test_pairwise_accuracy_counts_pairs_within_an_author_only() -> None:
    groups = ["a", "a", "a", "b", "b"]
    truth = [1.0, 2.0, 3.0, 10.0, 0.0]
    acc, pairs = evaluate.pairwise_accuracy(groups, truth, [1, 2, 3, 0, 1])
    assert pairs == 4 and acc == 0.75  # a: 3 right; b: 1 wrong; never a-vs-b
    assert evaluate.pairwise_accuracy(groups, truth, [5, 5, 5, 5, 5]) == (0.5, 4)  # ties: chance
    assert np.isnan(evaluate.pairwise_accuracy(["a", "b"], [1.0, 2.0], [1, 2])[0])
