"""Training from a real Neo4j graph: features, labels, time split, models, metadata, model card."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from neo4j import Driver

import trainer_graph
from influence.models import features, store, train
from influence.models.criteria import load_criteria

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def graph(driver: Driver, tmp_path_factory: pytest.TempPathFactory) -> tuple[Driver, set[str]]:
    from influence import db

    db.reset(driver)
    db.init_schema(driver)
    planted = trainer_graph.build(driver, tmp_path_factory.mktemp("graph"))
    return driver, planted


@pytest.fixture(scope="module")
def trained(graph: tuple[Driver, set[str]], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    driver, planted = graph
    out = tmp_path_factory.mktemp("model")
    train.train_from_graph(driver, load_criteria(), out)
    return out, planted


def test_training_frame_reads_features_and_labels_from_the_graph(graph: tuple[Driver, set[str]]) -> None:
    driver, planted = graph
    data = features.training_frame(driver, load_criteria())
    frame = data.frame
    assert data.counts["posts"] == 600
    assert {"author_followers_log", "type_video", "tag_uses_max", "author_past_median"} <= set(frame.columns)
    assert "author_followers_log" in data.features and "followers" not in data.features
    # labels follow the planted posts (engagement 15x the author's median)
    viral = set(frame.index[frame["viral"] == 1])
    assert len(viral & planted) / len(viral) > 0.8
    # hashtag uses count only earlier posts: the first #boom post has none before it
    boom = frame.loc[frame.index.isin(planted)].sort_values("posted_at")
    assert boom["tag_uses_max"].iloc[0] < boom["tag_uses_max"].iloc[-1]


def test_planted_viral_posts_score_above_the_rest(trained: tuple[Path, set[str]]) -> None:
    out, planted = trained
    meta = json.loads((out / "model.json").read_text())
    m = meta["metrics"]
    assert m["model"]["roc_auc"] > 0.95
    assert m["model"]["roc_auc"] > m["followers"]["roc_auc"]
    assert m["model"]["roc_auc"] > m["author_median"]["roc_auc"]
    assert m["model"]["spearman"] > m["followers"]["spearman"]
    assert meta["split"]["test"] > 50
    for name in ("model.ubj", "velocity.ubj", "model_card.md", "roc.png", "pr.png", "calibration.png", "importance.png"):
        assert (out / name).stat().st_size > 0, name
    card = (out / "model_card.md").read_text()
    assert "| model |" in card and "| followers |" in card and "| author_median |" in card
    assert meta["libraries"]["xgboost"] and len(meta["data_fingerprint"]) == 64


def test_every_test_post_is_later_than_every_train_post(graph: tuple[Driver, set[str]]) -> None:
    driver, _ = graph
    data = features.training_frame(driver, load_criteria())
    frame = data.frame.reset_index()
    split = train.time_split(frame["posted_at"])
    t = frame["posted_at"].to_numpy()
    assert t[split.test].min() > t[np.concatenate([split.train, split.val])].max()


def test_early_mode_adds_early_engagement_and_its_baseline(graph: tuple[Driver, set[str]], tmp_path: Path) -> None:
    driver, _ = graph
    report = train.train_from_graph(driver, load_criteria(), tmp_path, mode="early", early_hours=2)
    meta = store.load(tmp_path).metadata
    assert "early_engagement_log" in meta["features"]
    assert "early_engagement" in report.metrics
    assert report.metrics["model"]["roc_auc"] > 0.9
