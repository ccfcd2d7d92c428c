"""Training on feature frames (unit tier, no database): split, author history, models vs baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from influence.errors import ModelError
from influence.models import train


def synthetic_frame(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Posts whose virality depends on a content signal the baselines cannot see."""
    rng = np.random.default_rng(seed)
    authors = [f"u{i}" for i in range(40)]
    followers = {a: float(10 ** rng.uniform(2, 6)) for a in authors}
    author = rng.choice(authors, n)
    quality = rng.normal(size=n)
    noise = rng.normal(scale=0.3, size=n)
    log_eng = np.log1p([followers[a] for a in author]) * 0.5 + 1.5 * quality + noise
    frame = pd.DataFrame({
        "id": [f"p{i}" for i in range(n)],
        "posted_at": np.sort(rng.uniform(1.6e9, 1.6e9 + 90 * 86400, n)),
        "author": author,
        "followers": [followers[a] for a in author],
        "log_followers": np.log1p([followers[a] for a in author]),
        "quality": quality,
        "irrelevant": rng.normal(size=n),
        "engagement_log": log_eng,
        "target": log_eng - np.log1p(24.0),
    })
    frame["viral"] = (quality > np.quantile(quality, 0.9)).astype(int)
    return frame.set_index("id")


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
    frame = pd.DataFrame({
        "author": ["a", "a", "a", "a", "b"],
        "posted_at": [1.0, 2.0, 2.0, 3.0, 1.0],
        "engagement_log": [1.0, 5.0, 7.0, 100.0, 3.0],
    })
    out = train.add_author_history(frame)
    assert np.isnan(out["author_past_median"][0]) and out["author_past_posts"][0] == 0
    # the two posts at t=2 see only the t=1 post, not each other
    assert out["author_past_median"][1] == 1.0 and out["author_past_median"][2] == 1.0
    assert out["author_past_posts"][1] == 1
    assert out["author_past_median"][3] == 5.0  # median(1, 5, 7); never its own 100
    assert np.isnan(out["author_past_median"][4])


def test_model_beats_both_baselines_on_a_signal_they_cannot_see() -> None:
    frame = synthetic_frame()
    result = train.train_models(frame, ["log_followers", "quality", "irrelevant"])
    m = result.metrics
    assert m["model"]["roc_auc"] > 0.9
    assert m["model"]["roc_auc"] > m["followers"]["roc_auc"] + 0.2
    assert m["model"]["roc_auc"] > m["author_median"]["roc_auc"] + 0.2
    assert m["model"]["spearman"] > m["followers"]["spearman"]
    assert m["model"]["mae"] < m["author_median"]["mae"]
    assert result.importance["quality"] > result.importance["irrelevant"]
    assert "author_past_median" in result.features
    # held-out rows are the newest posts
    assert result.test["posted_at"].min() > frame["posted_at"].iloc[result.split.train].max()


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
    frame = synthetic_frame(300, seed=2)
    frame["followers"] = np.nan
    result = train.train_models(frame, ["quality"])
    assert np.isnan(result.metrics["followers"]["roc_auc"]) and result.metrics["followers"]["n"] == 0
    assert result.metrics["author_median"]["n"] == result.split.test.size
