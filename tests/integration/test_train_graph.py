"""Training from a real Neo4j graph: features, labels, time split, models, metadata, model card."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from neo4j import Driver

import trainer_graph
from influence.errors import InputError
from influence.models import pipeline, predict, store, train
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
def trained(
    graph: tuple[Driver, set[str]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, set[str]]:
    driver, planted = graph
    out = tmp_path_factory.mktemp("model")
    pipeline.train_from_graph(driver, load_criteria(), out)
    return out, planted


def test_training_frame_reads_features_and_labels_from_the_graph(graph: tuple[Driver, set[str]]) -> None:
    driver, planted = graph
    data = pipeline.training_frame(driver, load_criteria())
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
    assert meta["target"] == "velocity" and "measured velocity" in meta["target_reason"]
    # six held-out authors (of 30) are a harder and noisier test than the newest posts
    for split, floor in (("time", 0.95), ("author", 0.75)):
        m = meta["evaluation"]["known_author"][split]
        assert m["model"]["roc_auc"] > floor
        assert m["model"]["roc_auc"] > m["followers"]["roc_auc"] + 0.2
        assert m["model"]["roc_auc"] > m["author_median"]["roc_auc"] + 0.2
        # with a velocity target the regressor predicts the absolute speed, which follower count
        # already orders well here (one post in twelve is planted): about level, never far behind
        assert m["model"]["spearman"] > m["followers"]["spearman"] - 0.05
        new = meta["evaluation"]["new_author"][split]
        assert new["model"]["roc_auc"] > floor and new["model"]["roc_auc"] > new["followers"]["roc_auc"] + 0.2
        drafts = meta["evaluation"]["own_drafts"][split]
        # one post in twelve is planted 15x its author's usual; the other pairs are noise
        assert drafts["model"]["pairwise"] > 0.55 and drafts["chance"]["pairwise"] == 0.5
        # the own-drafts features leave out the author (the same for every draft): a little below
        assert drafts["model"]["roc_auc"] > floor - 0.05
    assert meta["split"]["test"] > 50
    for name in (
        "known_author.classifier.ubj",
        "new_author.regressor.ubj",
        "own_drafts.regressor.ubj",
        "model_card.md",
        "roc.png",
        "pr.png",
        "calibration.png",
        "importance.png",
    ):
        assert (out / name).stat().st_size > 0, name
    card = (out / "model_card.md").read_text()
    assert (
        "| Our model |" in card
        and "| Follower count alone |" in card
        and "| Author's usual (median) engagement |" in card
    )
    assert "### new author — author split" in card and "SMP Challenge" in card
    assert meta["libraries"]["xgboost"] and len(meta["data_fingerprint"]) == 64
    # the known-author model may use the graph; the new-author model only what a draft carries
    assert "author_pagerank" in meta["features"]["known_author"]
    assert not any(
        f.startswith(("author_pagerank", "emb_", "author_past")) for f in meta["features"]["new_author"]
    )


def test_training_and_scoring_compute_the_author_history_the_same_way(
    graph: tuple[Driver, set[str]], trained: tuple[Path, set[str]]
) -> None:
    """One implementation: a post in the graph scored by id sees the same earlier-posts median
    and habits as the training frame gave it."""
    driver, _ = graph
    data = pipeline.training_frame(driver, load_criteria())
    model = store.load(trained[0])
    ids = list(data.frame.index[:40])
    scored = predict.score_post_ids(driver, model, ids)
    from influence.models import features as feat
    from influence.models import graphread

    posts = graphread.read_posts(driver, ids)
    history = graphread.read_author_history(driver, posts["author"].dropna().unique().tolist())
    at_scoring = feat.author_history_block(posts, history, data.spec.weights).set_index(posts["id"])
    cols = ["author_past_median", "author_past_posts", "rel_hashtags", "days_since_previous", "new_hashtags"]
    pd_testing = __import__("pandas").testing
    pd_testing.assert_frame_equal(at_scoring.loc[ids, cols], data.frame.loc[ids, cols], check_names=False)
    assert {p.basis for p in scored.predictions} <= {"known_author", "new_author"}


def test_every_test_post_is_later_than_every_train_post(graph: tuple[Driver, set[str]]) -> None:
    driver, _ = graph
    data = pipeline.training_frame(driver, load_criteria())
    frame = data.frame.reset_index()
    split = train.time_split(frame["posted_at"])
    t = frame["posted_at"].to_numpy()
    assert t[split.test].min() > t[np.concatenate([split.train, split.val])].max()


def test_early_mode_adds_early_engagement_and_its_baseline(
    graph: tuple[Driver, set[str]], tmp_path: Path
) -> None:
    driver, _ = graph
    report = pipeline.train_from_graph(driver, load_criteria(), tmp_path, mode="early", early_hours=2)
    meta = store.load(tmp_path).meta
    assert "early_engagement_log" in meta.features["known_author"]
    assert "early_engagement" in report.evaluation["known_author"]["time"]
    assert "early_engagement" in report.evaluation["new_author"]["author"]
    assert "early_vs_usual" in report.evaluation["known_author"]["author"]
    # early mode labels the growth after the first look; every post of this graph keeps a quarter
    # of its final engagement at that look, so the growth is noise: the model must not claim to
    # beat "engagement so far ÷ the account's usual", and says so
    v = report.verdicts["known_author"]
    assert v["baseline"] == "early_vs_usual" and not v["beats_baseline"] and v["rank_by"] == "early_vs_usual"
    assert "no better than engagement so far ÷ the account's usual" in v["sentence"]


def test_a_scope_gives_probabilities_within_the_region_and_overall(
    graph: tuple[Driver, set[str]], tmp_path: Path
) -> None:
    driver, _ = graph
    criteria_file = tmp_path / "by_country.toml"
    criteria_file.write_text('scope = "country"\nmin_scope_posts = 20\n', encoding="utf-8")
    report = pipeline.train_from_graph(driver, load_criteria(criteria_file), tmp_path / "m")
    model = store.load(tmp_path / "m")
    assert model.meta.scope == "country" and sorted(model.meta.spec["regions"]) == ["BR", "DE", "US"]
    assert "region_DE" in model.situations["known_author"].features
    assert "roc_auc_overall" in report.evaluation["known_author"]["time"]["model"]
    draft = {
        "id": "d",
        "author": "author003",
        "caption": "Big news today!! #boom",
        "hashtags": "boom",
        "posted_at": "2024-03-05T18:00:00Z",
    }
    own = predict.score_drafts(driver, model, [draft]).predictions[0]
    assert own.region == "US"  # author003 lives in COUNTRIES[3 % 3]
    assert own.viral_probability is not None and own.viral_probability_overall is not None
    asked = predict.score_drafts(driver, model, [draft], region="DE").predictions[0]
    assert asked.region == "DE" and asked.viral_probability != own.viral_probability
    with pytest.raises(InputError, match="scope"):
        predict.score_drafts(driver, _global_model(driver, tmp_path), [draft], region="DE")


def _global_model(driver: Driver, tmp_path: Path) -> store.SavedModel:
    pipeline.train_from_graph(driver, load_criteria(), tmp_path / "global")
    return store.load(tmp_path / "global")
