"""Training the virality predictor: three situations, two splits, honest baselines (pure: frames
in, boosters and figures out; no database, no printing except through ``progress``).

The frame (:class:`influence.models.pipeline.TrainingData`) has one row per labelled post with
the features and ``posted_at`` (epoch s), ``author``, ``target`` (``log1p`` of the label value),
``viral`` (0/1), ``followers``, ``engagement_log``, ``author_past_median``, ``author_past_posts``,
``relative_target`` and optionally ``viral_overall``.

**Situations** (:data:`SITUATIONS`) — a marketer scores a post in one of three:

* ``known_author`` — the author is in the graph with earlier posts: every feature, including
  the author's place in the graph and history; trained on posts whose author had earlier posts;
* ``new_author`` — the author is not in the graph (or has no earlier post): only what a draft can
  carry (the author's public counts, content, media, hashtags' graph features, timing);
* ``own_drafts`` — which of an author's drafts will do better: a learning-to-rank booster
  (:data:`RANKER_PARAMS`, ``rank:pairwise`` with the author as the query group) over what
  differs between one author's drafts (the post against the author's habits,
  :mod:`influence.models.history`, content, hashtags, timing — no ``author_*`` feature),
  early-stopped on the within-author pairwise accuracy of held-out authors; a line fitted on
  held-out rows maps its score to the log ratio to the author's usual (``times_usual``).

**Calibration** — every classifier's probability is Platt-scaled on out-of-fold probabilities
(:data:`CALIBRATION_FOLDS` folds of authors), never worse than the base rate on those rows.
**Verdicts** — :mod:`influence.models.verdicts` turns the author split into one sentence per
situation with a bootstrap-by-author interval. A booster that stops at fewer than
:data:`FEW_TREES` trees is listed in ``warnings``.

**Splits** — every situation is evaluated twice: *time* (the newest 20 % of posts are held out:
no future leaks into training) and *author* (20 % of the authors, chosen by a hash of their
id, are held out with all their posts: the model has never seen them). Two XGBoost models per
situation — a classifier for ``viral`` and a regressor for the situation's target — are trained
with fixed seeds and early stopping on a validation slice of the training part; the shipped
models are refitted on every row with the number of trees found on the time split.

**Baselines** — what a user would otherwise do, fitted on the same training rows and scored on
the same held-out rows: follower count alone, the author's own median engagement over earlier
posts (one-feature logistic / linear fits), and chance (ROC-AUC 0.5, pairwise 0.5). Figures:
ROC-AUC, PR-AUC, precision@k, Brier for the label; Spearman ρ and MAE on the target; pairwise
accuracy within an author (:func:`influence.models.evaluate.pairwise_accuracy`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from influence.errors import ModelError
from influence.models import evaluate
from influence.models.baselines import base_rate_brier, baselines, method_metrics
from influence.models.boosters import (
    CALIBRATION_FOLDS,
    CLASSIFIER_PARAMS,
    EARLY_STOPPING,
    MAX_ROUNDS,
    RANKER_PARAMS,
    REGRESSOR_PARAMS,
    SEED,
    best_iteration_range,
    cross_fitted_platt,
    dmatrix,
    fit_booster,
    fit_ranker,
    ratio_map,
)
from influence.models.situations import (
    GRAPH_AUTHOR_FEATURES,
    SITUATIONS,
    Situation,
    SituationModel,
    situation_features,
)
from influence.models.splits import Split, author_split, time_split

__all__ = [
    "CALIBRATION_FOLDS",
    "CLASSIFIER_PARAMS",
    "EARLY_STOPPING",
    "FEW_TREES",
    "GRAPH_AUTHOR_FEATURES",
    "MAX_ROUNDS",
    "MIN_TEST",
    "MIN_TRAIN",
    "RANKER_PARAMS",
    "REGRESSOR_PARAMS",
    "REQUIRED",
    "ROLE_WORDS",
    "SEED",
    "SITUATIONS",
    "Situation",
    "SituationModel",
    "Split",
    "TrainResult",
    "author_split",
    "best_iteration_range",
    "metrics_rows",
    "situation_features",
    "time_split",
    "train_models",
]

REQUIRED = (
    "posted_at",
    "author",
    "target",
    "viral",
    "followers",
    "engagement_log",
    "author_past_median",
    "author_past_posts",
)
MIN_TRAIN = 20
MIN_TEST = 5

#: A booster that early stopping keeps at fewer trees than this found almost nothing that held
#: on held-out data: ``train`` says so (it is never shipped in silence).
FEW_TREES = 10


@dataclass
class TrainResult:
    """Everything a training run produces."""

    models: dict[str, SituationModel]
    #: situation -> split ("time" / "author") -> method ("model", baselines) -> metric -> value
    evaluation: dict[str, dict[str, dict[str, dict[str, Any]]]]
    #: situation -> split -> {"train", "val", "test", ...}
    splits: dict[str, dict[str, dict[str, Any]]]
    test: pd.DataFrame  # known author, time split: held-out rows with the scores of every method
    importance: dict[str, dict[str, float]]  # situation -> feature -> total gain of its classifier
    best_rounds: dict[str, dict[str, int]] = field(default_factory=dict)
    #: situation -> author-split held-out rows with every method's scores (for the verdicts)
    author_scores: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: situation -> Brier of the calibrated probability vs the base rate, reliability bins
    calibration: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: what a reader must know about the fit (boosters that stopped at very few trees, …)
    warnings: list[str] = field(default_factory=list)
    #: situation -> plain verdict (:func:`influence.models.verdicts.verdicts`)
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)


def _evaluate(
    frame: pd.DataFrame,
    situation: Situation,
    feats: list[str],
    split: Split,
    overall: bool,
    extra_baselines: Mapping[str, str] | None = None,
) -> tuple[dict[str, dict[str, Any]], pd.DataFrame, dict[str, int], SituationModel]:
    """Fit one situation on ``split``'s train rows, score its test rows, and the baselines.

    The classifier's probabilities are Platt-scaled on the validation rows (never the test
    rows); the own-drafts situation's ranker is early-stopped on the validation rows' pairwise
    accuracy within an author.
    """
    model = _fit_split(frame, situation, feats, split, overall)
    clf, reg, over = model.classifier, model.regressor, model.overall
    test = split.test
    dtest = dmatrix(frame, test, feats, "viral")
    raw = clf.predict(dtest, iteration_range=best_iteration_range(clf))
    y_cls = frame["viral"].to_numpy(dtype=float)
    # figures are on the situation's own scale: log engagement for known / new authors, the
    # log ratio to the author's usual for own drafts
    y_reg = frame["target" if situation.absolute else situation.target].to_numpy(dtype=float)
    authors = frame["author"].to_numpy(dtype=object)[test]
    truth = frame["target"].to_numpy(dtype=float)[test]
    methods = {
        "model": _model_scores(frame, situation, model, dtest, raw, test),
        **baselines(frame, situation, split, y_reg, extra_baselines),
    }
    metrics = {
        name: method_metrics(
            y_cls[test], y_reg[test], m["probability"], m["value"], authors, truth, m.get("order", m["value"])
        )
        for name, m in methods.items()
    }
    metrics["model"]["brier_uncalibrated"] = evaluate.brier(y_cls[test], raw)
    rate, base_brier = base_rate_brier(y_cls[np.union1d(split.train, split.val)], y_cls[test])
    metrics["chance"] = {
        "roc_auc": 0.5,
        "pairwise": 0.5,
        "n": int(test.size),
        "positives": int(np.nansum(y_cls[test])),
        "base_rate": rate,
        "brier": base_brier,
    }
    if over is not None:
        p_over = over.predict(dtest, iteration_range=best_iteration_range(over))
        metrics["model"]["roc_auc_overall"] = evaluate.roc_auc(
            frame["viral_overall"].to_numpy(dtype=float)[test], p_over
        )
    scores = pd.DataFrame(
        {
            "id": frame["id"].to_numpy()[test] if "id" in frame.columns else test,
            "posted_at": frame["posted_at"].to_numpy()[test],
            "author": authors,
            "viral": y_cls[test],
            "target": y_reg[test],
            "truth": truth,
            **{f"{n}_probability": m["probability"] for n, m in methods.items()},
            **{f"{n}_value": m["value"] for n, m in methods.items()},
            **{f"{n}_order": m.get("order", m["value"]) for n, m in methods.items()},
        }
    )
    rounds = {"classifier": best_iteration_range(clf)[1], "regressor": best_iteration_range(reg)[1]}
    if over is not None:
        rounds["overall"] = best_iteration_range(over)[1]
    return metrics, scores, rounds, model


def _fit_split(
    frame: pd.DataFrame, situation: Situation, feats: list[str], split: Split, overall: bool
) -> SituationModel:
    """The situation's boosters early-stopped on ``split``'s validation rows, the classifier's
    Platt calibration (cross-fitted on authors) and, for own drafts, the ranker's ratio map."""
    y_col = situation.target
    clf = fit_booster(
        CLASSIFIER_PARAMS,
        dmatrix(frame, split.train, feats, "viral"),
        dmatrix(frame, split.val, feats, "viral"),
    )
    ranking = situation.name == "own_drafts"
    reg_rows = [r[~frame[y_col].iloc[r].isna().to_numpy()] for r in (split.train, split.val)]
    if ranking:
        reg = fit_ranker(frame, reg_rows[0], reg_rows[1], feats, "target")
    else:
        reg = fit_booster(
            REGRESSOR_PARAMS,
            dmatrix(frame, reg_rows[0], feats, y_col),
            dmatrix(frame, reg_rows[1], feats, y_col),
        )
    over = None
    if overall:
        over = fit_booster(
            CLASSIFIER_PARAMS,
            dmatrix(frame, split.train, feats, "viral_overall"),
            dmatrix(frame, split.val, feats, "viral_overall"),
        )
    platt = cross_fitted_platt(frame, np.union1d(split.train, split.val), feats, best_iteration_range(clf)[1])
    ratio = None
    if ranking:
        dval = dmatrix(frame, split.val, feats, "viral")
        val_score = reg.predict(dval, iteration_range=best_iteration_range(reg))
        ratio = ratio_map(val_score, frame["relative_target"].to_numpy(dtype=float)[split.val])
    return SituationModel(
        situation.name,
        feats,
        clf,
        reg,
        over,
        "rank" if ranking else situation.target,
        calibration=platt,
        ratio=ratio,
    )


def _model_scores(
    frame: pd.DataFrame,
    situation: Situation,
    model: SituationModel,
    dtest: xgb.DMatrix,
    raw: np.ndarray,
    test: np.ndarray,
) -> dict[str, np.ndarray]:
    """The model's calibrated probability, value on the situation's scale and (own drafts) the
    ranker's order, on the test rows."""
    value = model.regressor.predict(dtest, iteration_range=best_iteration_range(model.regressor))
    order = value
    if model.target == "rank" and model.ratio is not None:
        value = model.ratio["intercept"] + model.ratio["slope"] * value  # the log ratio to the author's usual
    if situation.target == "relative_target" and situation.absolute:
        value = value + frame["author_past_median"].to_numpy(dtype=float)[test]
    scores = {"probability": evaluate.apply_platt(raw, model.calibration), "value": value}
    if not situation.absolute:  # drafts are ranked by the ranker's score
        scores["order"] = order
    return scores


def _refit(
    frame: pd.DataFrame,
    situation: Situation,
    feats: list[str],
    rounds: Mapping[str, int],
    overall: bool,
    fitted: SituationModel,
) -> SituationModel:
    """The shipped boosters: every row, the numbers of trees early stopping found; the
    calibration and ratio map of ``fitted`` (fitted on held-out authors)."""
    rows = np.arange(len(frame))
    reg_rows = rows[~frame[situation.target].isna().to_numpy()]
    clf = fit_booster(CLASSIFIER_PARAMS, dmatrix(frame, rows, feats, "viral"), rounds=rounds["classifier"])
    if fitted.target == "rank":
        reg = fit_ranker(frame, reg_rows, None, feats, "target", rounds=rounds["regressor"])
    else:
        reg = fit_booster(
            REGRESSOR_PARAMS, dmatrix(frame, reg_rows, feats, situation.target), rounds=rounds["regressor"]
        )
    over = (
        fit_booster(CLASSIFIER_PARAMS, dmatrix(frame, rows, feats, "viral_overall"), rounds=rounds["overall"])
        if overall
        else None
    )
    return SituationModel(
        situation.name,
        feats,
        clf,
        reg,
        over,
        fitted.target,
        calibration=fitted.calibration,
        ratio=fitted.ratio,
    )


def _follower_fit(rows: pd.DataFrame) -> dict[str, float]:
    """The follower-count baseline as a line: log1p(engagement) ≈ intercept + slope · log1p(followers)
    (``fill``: the log follower count used when it is unknown)."""
    x = np.log1p(rows["followers"].to_numpy(dtype=float))
    y = rows["target"].to_numpy(dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.all(x[ok] == x[ok][0]):
        return {
            "slope": 0.0,
            "intercept": float(np.nanmedian(y)) if np.isfinite(y).any() else 0.0,
            "fill": 0.0,
        }
    slope, intercept = np.polyfit(x[ok], y[ok], 1)
    return {"slope": float(slope), "intercept": float(intercept), "fill": float(np.median(x[ok]))}


def _situation_rows(frame: pd.DataFrame, situation: Situation) -> pd.DataFrame:
    rows = frame
    if situation.needs_history:
        rows = rows[(rows["author_past_posts"] > 0) & rows["author_past_median"].notna()]
    return rows[rows[situation.target].notna()].reset_index(drop=True)


ROLE_WORDS = {
    "classifier": "viral classifier",
    "regressor": "engagement model",
    "overall": "overall viral classifier",
}


def _few_trees(situation: Situation, rounds: Mapping[str, int], split: str) -> list[str]:
    """Plain warnings for boosters that early stopping kept at fewer than :data:`FEW_TREES` trees."""
    out = []
    held = "newer posts" if split == "time" else "held-out authors"
    for role, n in rounds.items():
        if n < FEW_TREES:
            what = (
                "within-author ranker"
                if situation.name == "own_drafts" and role == "regressor"
                else ROLE_WORDS[role]
            )
            out.append(
                f"{situation.title}: the {what} stopped after {n} tree{'s' if n != 1 else ''} — beyond that it "
                f"found nothing that held on {held}, so it adds little over its starting point"
            )
    return out


def _calibration_summary(
    metrics: Mapping[str, Mapping[str, Any]], platt: Mapping[str, float] | None, scores: pd.DataFrame
) -> dict[str, Any]:
    """Brier of the calibrated probability vs always answering the base rate, on held-out
    authors, and the reliability curve in deciles of the probability."""
    model, chance = metrics["model"], metrics["chance"]
    return {
        "method": "platt",
        "params": dict(platt or {}),
        "split": "author",
        "brier": model.get("brier"),
        "brier_uncalibrated": model.get("brier_uncalibrated"),
        "brier_base_rate": chance.get("brier"),
        "base_rate": chance.get("base_rate"),
        "n": model.get("n"),
        "positives": model.get("positives"),
        "bins": evaluate.quantile_bins(scores["viral"], scores["model_probability"]),
    }


def train_models(
    frame: pd.DataFrame,
    features: Sequence[str],
    *,
    test_fraction: float = 0.2,
    val_fraction: float = 0.15,
    progress: Callable[[str], None] | None = None,
    situations: Sequence[str] = tuple(SITUATIONS),
    extra_baselines: Mapping[str, str] | None = None,
    relative_known: bool = True,
) -> TrainResult:
    """Train and evaluate every situation of ``situations`` on ``frame`` (see the module doc).

    ``relative_known``: the known-author regressor learns a correction to the author's usual
    engagement (right when the target *is* engagement); with a velocity target pass False and
    it learns the target itself. ``extra_baselines`` maps a baseline name to a frame column scored like the standard ones
    (early mode: ``{"early_engagement": "early_engagement_log"}``). A situation without enough rows (fewer than :data:`MIN_TRAIN` to train or :data:`MIN_TEST`
    to test, or one class only) is left out with a message; :class:`ModelError` when the known-
    or new-author situation cannot be trained at all. Deterministic: the same frame gives the
    same boosters and figures (fixed seeds, one thread, author buckets by hash).
    """
    say = progress or (lambda _m: None)
    frame, overall = _prepared_frame(frame, features)
    result = TrainResult(models={}, evaluation={}, splits={}, test=pd.DataFrame(), importance={})
    follower_fits: dict[str, dict[str, float]] = {}
    for name in situations:
        situation = SITUATIONS[name]
        if name == "known_author" and not relative_known:
            situation = replace(situation, target="target")
        rows = _situation_rows(frame, situation)
        splits = _usable_splits(rows, situation, test_fraction, val_fraction, say)
        if splits is None:
            continue
        say(f"{situation.title}: {len(rows):,} posts")
        feats = situation_features(situation, features)
        _train_situation(result, rows, situation, feats, splits, overall, extra_baselines)
        follower_fits[name] = _follower_fit(rows)
    if "known_author" not in result.models and "new_author" not in result.models:
        raise ModelError("no situation could be trained — load more posts")
    from influence.models.verdicts import verdicts

    result.verdicts = verdicts(result.author_scores)
    for name, v in result.verdicts.items():
        if v.get("baseline") == "followers" and name in follower_fits:
            v["baseline_fit"] = follower_fits[name]  # predict ranks by it when the model does not beat it
    return result


def _prepared_frame(frame: pd.DataFrame, features: Sequence[str]) -> tuple[pd.DataFrame, bool]:
    """The labelled rows of ``frame`` with ``relative_target``, and whether it has a distinct
    ``viral_overall`` label to learn; ModelError for missing columns or a single label."""
    frame = frame.reset_index(drop=False)
    frame = frame[~frame["viral"].isna()].reset_index(drop=True)
    missing = [c for c in (*REQUIRED, *features) if c not in frame.columns]
    if missing:
        raise ModelError(
            f"the training frame lacks columns {missing} — build it with influence.models.pipeline"
        )
    if frame["viral"].nunique(dropna=True) < 2:
        raise ModelError(
            "every labelled post has the same label, so there is nothing to learn — load more posts or "
            "loosen the threshold in the criteria file"
        )
    if "relative_target" not in frame.columns:
        frame["relative_target"] = frame["engagement_log"] - frame["author_past_median"]
    overall = bool(
        "viral_overall" in frame.columns
        and frame["viral_overall"].notna().all()
        and not frame["viral_overall"].equals(frame["viral"])
    )
    return frame, overall


def _usable_splits(
    rows: pd.DataFrame,
    situation: Situation,
    test_fraction: float,
    val_fraction: float,
    say: Callable[[str], None],
) -> dict[str, Split] | None:
    """``{"time": …, "author": …}`` splits of a situation's rows, or None (said) when own drafts
    have too few rows; ModelError when another situation has too few."""
    try:
        splits = {
            "time": time_split(rows["posted_at"], test_fraction, val_fraction),
            "author": author_split(rows["author"], rows["posted_at"], test_fraction, val_fraction),
        }
    except ModelError as e:
        if situation.name == "own_drafts":
            say(f"{situation.title}: not trained — {e}")
            return None
        raise
    usable = all(
        s.train.size >= MIN_TRAIN and s.test.size >= MIN_TEST and rows["viral"].iloc[s.train].nunique() == 2
        for s in splits.values()
    )
    if usable:
        return splits
    message = (
        f"too few labelled posts for {situation.title} ({len(rows)} rows; need at least {MIN_TRAIN} "
        f"to train and {MIN_TEST} to test on both a time and an author split, with viral and non-viral "
        "posts in training)"
    )
    if situation.name == "own_drafts":
        say(f"{message} — left out")
        return None
    raise ModelError(f"{message} — load more posts or loosen the threshold in the criteria file")


def _train_situation(
    result: TrainResult,
    rows: pd.DataFrame,
    situation: Situation,
    feats: list[str],
    splits: Mapping[str, Split],
    overall: bool,
    extra_baselines: Mapping[str, str] | None,
) -> None:
    """Evaluate one situation on both splits and refit its shipped boosters, into ``result``."""
    name = situation.name
    result.evaluation[name], result.splits[name] = {}, {}
    fitted: dict[str, tuple[dict[str, int], SituationModel]] = {}
    for split_name, split in splits.items():
        metrics, scores, rounds, model = _evaluate(rows, situation, feats, split, overall, extra_baselines)
        result.evaluation[name][split_name] = metrics
        result.splits[name][split_name] = {**split.sizes(), "test_from": split.test_from}
        fitted[split_name] = (rounds, model)
        if split_name == "time":
            gain = model.classifier.get_score(importance_type="total_gain")
            result.importance[name] = {f: float(np.sum(gain.get(f, 0.0))) for f in feats}
            if name == "known_author":
                result.test = scores
        else:
            result.author_scores[name] = scores
    # the shipped boosters keep the trees found on the time split (no future leaks), except the
    # ranker, which is judged on held-out authors; calibration comes from held-out authors
    rounds = dict(fitted["time"][0])
    if name == "own_drafts":
        rounds["regressor"] = fitted["author"][0]["regressor"]
    result.best_rounds[name] = rounds
    for split_name in ("time", "author"):
        for warning in _few_trees(situation, fitted[split_name][0], split_name):
            if warning not in result.warnings:
                result.warnings.append(warning)
    author_model = fitted["author"][1]
    result.calibration[name] = _calibration_summary(
        result.evaluation[name]["author"], author_model.calibration, result.author_scores[name]
    )
    result.models[name] = _refit(rows, situation, feats, rounds, overall, author_model)


def metrics_rows(
    evaluation: Mapping[str, Mapping[str, Mapping[str, Mapping[str, Any]]]],
) -> list[dict[str, Any]]:
    """The evaluation as table rows: one per situation, split and method."""
    rows = []
    for situation, splits in evaluation.items():
        for split, methods in splits.items():
            for method, m in methods.items():
                row: dict[str, Any] = {"situation": situation, "split": split, "method": method}
                row.update({k: v for k, v in m.items() if k != "calibration"})
                rows.append(row)
    return rows
