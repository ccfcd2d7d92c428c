"""The own-drafts ranker, calibration, plain verdicts and the order `predict` gives (unit tier,
small frames, no database)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_train import FEATURES, synthetic_frame

from influence.models import evaluate, train, verdicts
from influence.models.predict import Prediction, rank_predictions


@pytest.fixture(scope="module")
def trained() -> train.TrainResult:
    return train.train_models(synthetic_frame(1000, seed=1, authors_n=60), FEATURES)


def test_own_drafts_is_a_ranker_grouped_by_author_that_tells_drafts_apart(trained: train.TrainResult) -> None:
    drafts = trained.models["own_drafts"]
    assert drafts.target == "rank" and drafts.ratio is not None and drafts.ratio["slope"] > 0
    assert train.RANKER_PARAMS["objective"].startswith("rank:")
    m = trained.evaluation["own_drafts"]["author"]["model"]
    assert m["pairwise"] > 0.75 and m["tied_authors"] <= 0.1
    assert trained.best_rounds["own_drafts"]["regressor"] >= train.FEW_TREES
    # two drafts of one author that differ get different scores: few tied pairs within an author
    scores = trained.author_scores["own_drafts"]
    tied = pairs = 0
    for _, group in scores.groupby("author"):
        v = group["model_order"].to_numpy()
        same = v[:, None] == v[None, :]
        pairs += v.size * (v.size - 1) // 2
        tied += int((same.sum() - v.size) // 2)
    assert pairs > 500 and tied / pairs < 0.05, (tied, pairs)


def test_probabilities_are_calibrated_on_held_out_authors(trained: train.TrainResult) -> None:
    for name, c in trained.calibration.items():
        assert c["brier"] <= c["brier_base_rate"], name
        assert c["bins"] and sum(b["count"] for b in c["bins"]) == c["n"]
        assert c["params"]["a"] > 0  # a real signal keeps its direction


def test_platt_scaling_fixes_overconfident_probabilities_and_keeps_their_order() -> None:
    rng = np.random.default_rng(0)
    truth_p = rng.uniform(0.01, 0.2, 4000)
    y = (rng.uniform(size=truth_p.size) < truth_p).astype(float)
    said = np.clip(truth_p * 4, 0, 0.99)  # four times too sure
    params = evaluate.fit_platt(said[:2000], y[:2000])
    fixed = evaluate.apply_platt(said[2000:], params)
    assert evaluate.brier(y[2000:], fixed) < evaluate.brier(y[2000:], said[2000:])
    assert np.array_equal(np.argsort(fixed, kind="stable"), np.argsort(said[2000:], kind="stable"))
    flat = evaluate.fit_platt(said, np.zeros_like(said))  # one class: the observed rate, whatever was said
    assert flat["a"] == 0.0 and evaluate.apply_platt([0.9], flat)[0] < 0.01


def test_verdicts_say_in_words_what_the_author_split_measured(trained: train.TrainResult) -> None:
    v = trained.verdicts
    assert set(v) == {"known_author", "new_author", "own_drafts"}
    new = v["new_author"]
    assert (
        new["beats_baseline"]
        and new["baseline"] == "followers"
        and new["rank_by"] in ("predicted", "viral_probability")
    )
    assert new["ci"][0] <= new["figure"] <= new["ci"][1]
    assert new["figure"] == pytest.approx(
        trained.evaluation["new_author"]["author"]["model"][
            "spearman" if new["by"] == "predicted" else "spearman_probability"
        ]
    )
    assert "better than follower count" in new["sentence"] and f"{new['figure']:.2f}" in new["sentence"]
    drafts = v["own_drafts"]
    assert drafts["beats_baseline"] and drafts["rank_by"] == "times_usual"
    assert drafts["figure"] == pytest.approx(trained.evaluation["own_drafts"]["author"]["model"]["pairwise"])
    assert v["new_author"]["baseline_fit"]["slope"] > 0


def _scores(rng: np.random.Generator, n_authors: int, per: int, signal: float) -> pd.DataFrame:
    author = np.repeat([f"a{i}" for i in range(n_authors)], per)
    level = np.repeat(rng.normal(size=n_authors) * 2, per)
    truth = level + rng.normal(size=author.size)
    noise = rng.normal(size=author.size)
    return pd.DataFrame(
        {
            "author": author,
            "target": truth,
            "truth": truth,
            "viral": (truth > 1).astype(float),
            "model_value": level + signal * (truth - level) + noise,
            "model_probability": noise,
            "model_order": signal * (truth - level) + noise,
            "followers_value": level + 0.5 * rng.normal(size=author.size),
        }
    )


def test_a_model_that_does_not_beat_its_baseline_says_so_and_ranks_by_it() -> None:
    rng = np.random.default_rng(0)
    scores = _scores(rng, 80, 6, signal=0.0)  # the model's scores are noise
    v = verdicts.verdicts({"new_author": scores, "own_drafts": scores})
    assert not v["new_author"]["beats_baseline"] and v["new_author"]["rank_by"] == "followers"
    assert "no better than follower count" in v["new_author"]["sentence"]
    assert not v["own_drafts"]["beats_baseline"] and v["own_drafts"]["rank_by"] == "none"
    assert v["own_drafts"]["sentence"].startswith("Cannot tell one account's drafts apart better than chance")
    assert v["own_drafts"]["ci"][0] < 0.5 < v["own_drafts"]["ci"][1]
    again = verdicts.verdicts({"new_author": scores, "own_drafts": scores})
    assert again == v  # seeded bootstrap: the same data, the same intervals


def test_a_model_with_signal_beats_chance_within_authors() -> None:
    v = verdicts.verdicts({"own_drafts": _scores(np.random.default_rng(6), 80, 6, signal=1.0)})["own_drafts"]
    assert v["beats_baseline"] and v["figure"] > 0.6 and v["ci"][0] > 0.5


def test_a_one_tree_model_is_never_shipped_in_silence() -> None:
    frame = synthetic_frame(600, seed=4)
    frame["quality"] = 0.0  # nothing to learn beyond the author's level
    frame["irrelevant"] = np.random.default_rng(9).normal(size=len(frame))
    result = train.train_models(frame, ["irrelevant"], situations=("new_author", "own_drafts"))
    few = [n for s in result.best_rounds.values() for n in s.values() if n < train.FEW_TREES]
    assert few and len(result.warnings) >= 1
    assert all("stopped after" in w and "tree" in w for w in result.warnings)


def test_training_twice_gives_the_same_model_and_figures() -> None:
    frame = synthetic_frame(400, seed=3)
    a = train.train_models(frame, FEATURES)
    b = train.train_models(frame, FEATURES)
    for name in a.models:
        for role in ("classifier", "regressor"):
            assert getattr(a.models[name], role).save_raw() == getattr(b.models[name], role).save_raw()
    assert a.verdicts == b.verdicts
    assert str(a.evaluation) == str(b.evaluation)


def _pred(pid: str, basis: str, predicted: float, prob: float = 0.1) -> Prediction:
    return Prediction(id=pid, basis=basis, predicted=predicted, viral_probability=prob)


def test_predict_ranks_by_the_baseline_where_the_model_does_not_beat_it() -> None:
    v = {
        "new_author": {
            "rank_by": "followers",
            "beats_baseline": False,
            "figure": 0.1,
            "baseline_figure": 0.2,
            "baseline_fit": {"slope": 1.0, "intercept": 0.0, "fill": 3.0},
        }
    }
    preds = [_pred("small", "new_author", 900.0), _pred("big", "new_author", 10.0)]
    info = [{"followers_log": 2.0}, {"followers_log": 9.0}]
    out = rank_predictions(preds, info, v)
    assert [p.id for p in out] == ["big", "small"]
    assert "does not beat follower count" in out[0].note and out[0].rank_by == "followers"


def test_predict_orders_one_accounts_drafts_by_the_ranker_when_it_beats_chance() -> None:
    v = {
        "known_author": {"rank_by": "predicted", "beats_baseline": True},
        "own_drafts": {"rank_by": "times_usual", "beats_baseline": True, "figure": 0.55},
    }
    preds = [
        _pred("d1", "known_author", 100.0),
        _pred("d2", "known_author", 120.0),
        _pred("other", "known_author", 110.0),
    ]
    info = [
        {"author": "a", "draft_score": 2.0},
        {"author": "a", "draft_score": -1.0},
        {"author": "b", "draft_score": 0.0},
    ]
    out = rank_predictions(preds, info, v)
    # author a keeps its places (1st and 3rd); the ranker decides which draft takes which
    assert [p.id for p in out] == ["d1", "other", "d2"]
    assert out[0].rank_by == "predicted+times_usual" and out[0].note is None
    v["own_drafts"] = {"rank_by": "none", "beats_baseline": False, "figure": 0.51}
    out = rank_predictions(preds, info, v)
    assert [p.id for p in out] == ["d2", "other", "d1"]
    assert "cannot tell this account's drafts apart" in out[0].note


def test_predict_ranks_by_probability_when_that_ranked_best() -> None:
    v = {"new_author": {"rank_by": "viral_probability", "beats_baseline": True}}
    preds = [_pred("a", "new_author", 500.0, prob=0.01), _pred("b", "new_author", 5.0, prob=0.3)]
    out = rank_predictions(preds, [{}, {}], v)
    assert [p.id for p in out] == ["b", "a"]


def test_drafts_with_equal_levels_keep_the_rankers_order() -> None:
    v = {
        "known_author": {"rank_by": "predicted", "beats_baseline": True},
        "own_drafts": {"rank_by": "times_usual", "beats_baseline": True, "figure": 0.55},
    }
    preds = [
        _pred("first", "known_author", 100.0),
        _pred("second", "known_author", 100.0),
        _pred("third", "known_author", 90.0),
    ]
    info = [
        {"author": "a", "draft_score": -1.0},
        {"author": "a", "draft_score": 3.0},
        {"author": "a", "draft_score": 0.0},
    ]
    assert [p.id for p in rank_predictions(preds, info, v)] == ["second", "third", "first"]


def test_early_mode_labels_the_growth_after_the_first_look() -> None:
    from influence.models.criteria import load_criteria
    from influence.models.pipeline import _growth_labels

    frame = pd.DataFrame(
        {
            "engagement_log": [5.0, 5.0, 3.0, 8.0, 6.0],
            "early_engagement_log": [4.9, 2.0, 3.0, 7.0, 5.5],
            "author_past_median": [4.0, 4.0, 1.0, 1.0, 1.0],
            "target": 0.0,
            "viral": 0.0,
        }
    )
    out = _growth_labels(frame, load_criteria())  # default criteria: the top 10 %
    assert out["target"].tolist() == pytest.approx([0.1, 3.0, 0.0, 1.0, 0.5])
    assert out["viral"].tolist() == [0.0, 1.0, 0.0, 0.0, 0.0]  # the one that grew most, not the biggest
    assert out["early_vs_usual_log"].tolist() == pytest.approx([0.9, -2.0, 2.0, 6.0, 4.5])
