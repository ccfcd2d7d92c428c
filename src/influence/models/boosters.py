"""Fitting the predictor's XGBoost boosters: their parameters, the matrices they read, early
stopping, the within-author ranker of own drafts, and the Platt calibration of a classifier's
probability on held-out authors (pure: frames in, boosters out)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from influence.models import evaluate

SEED = 42

CLASSIFIER_PARAMS: dict[str, Any] = {
    "objective": "binary:logistic",
    "eval_metric": "logloss",
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.1,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 2.0,
    "lambda": 1.0,
    "seed": SEED,
    # one thread: on these sizes (tens of thousands of rows) a second OpenMP thread saves little,
    # and on a busy machine its spin-waiting made training 3-8 times slower (measured)
    "nthread": 1,
}
REGRESSOR_PARAMS: dict[str, Any] = {
    **CLASSIFIER_PARAMS,
    "objective": "reg:squarederror",
    "eval_metric": "mae",
}
#: The own-drafts ranker: learning to rank with the author as the query group (every pair of one
#: author's posts with different engagement is a training pair); early stopping on the
#: within-author pairwise accuracy of held-out authors.
RANKER_PARAMS: dict[str, Any] = {
    **{k: v for k, v in CLASSIFIER_PARAMS.items() if k != "eval_metric"},
    "objective": "rank:pairwise",
    "lambdarank_pair_method": "mean",
    "lambdarank_num_pair_per_sample": 8,
    "eta": 0.05,
    "max_depth": 3,
    "min_child_weight": 5.0,
    "disable_default_eval_metric": 1,
}
MAX_ROUNDS = 1000
EARLY_STOPPING = 50


def dmatrix(frame: pd.DataFrame, rows: np.ndarray, features: Sequence[str], label: str) -> xgb.DMatrix:
    x = frame.iloc[rows][list(features)].to_numpy(dtype=float)
    y = frame.iloc[rows][label].to_numpy(dtype=float)
    return xgb.DMatrix(x, label=y, feature_names=list(features), missing=np.nan, nthread=1)


def fit_booster(
    params: dict[str, Any], dtrain: xgb.DMatrix, dval: xgb.DMatrix | None = None, rounds: int | None = None
) -> xgb.Booster:
    if dval is None:
        return xgb.train(params, dtrain, num_boost_round=max(int(rounds or 1), 1), verbose_eval=False)
    return xgb.train(
        params,
        dtrain,
        num_boost_round=MAX_ROUNDS,
        evals=[(dval, "val")],
        early_stopping_rounds=EARLY_STOPPING,
        verbose_eval=False,
    )


def best_iteration_range(booster: xgb.Booster) -> tuple[int, int]:
    """The trees up to the early-stopping optimum (the whole model when none was recorded)."""
    best = booster.attr("best_iteration")
    return (0, int(best) + 1) if best is not None else (0, booster.num_boosted_rounds())


def _by_author(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """``rows`` reordered so each author's rows are contiguous (a ranking query group)."""
    authors = frame["author"].to_numpy(dtype=object)[rows].astype(str)
    return rows[np.argsort(authors, kind="stable")]


def _rank_dmatrix(frame: pd.DataFrame, rows: np.ndarray, features: Sequence[str], label: str) -> xgb.DMatrix:
    rows = _by_author(frame, rows)
    _, qid = np.unique(frame["author"].to_numpy(dtype=object)[rows].astype(str), return_inverse=True)
    x = frame.iloc[rows][list(features)].to_numpy(dtype=float)
    y = frame.iloc[rows][label].to_numpy(dtype=float)
    return xgb.DMatrix(x, label=y, qid=qid, feature_names=list(features), missing=np.nan, nthread=1)


def _pairwise_metric(groups: np.ndarray) -> Callable[[np.ndarray, xgb.DMatrix], tuple[str, float]]:
    """A custom XGBoost metric: within-author pairwise accuracy of the held-out rows (a tie
    counts half) — what the own-drafts situation is judged by, so early stopping aims at it."""

    def metric(predt: np.ndarray, dmat: xgb.DMatrix) -> tuple[str, float]:
        acc, _ = evaluate.pairwise_accuracy(groups, dmat.get_label(), predt)
        return "pairwise", float(acc) if acc == acc else 0.5

    return metric


def fit_ranker(
    frame: pd.DataFrame,
    train_rows: np.ndarray,
    val_rows: np.ndarray | None,
    feats: Sequence[str],
    label: str,
    rounds: int | None = None,
) -> xgb.Booster:
    dtrain = _rank_dmatrix(frame, train_rows, feats, label)
    if val_rows is None:
        return xgb.train(RANKER_PARAMS, dtrain, num_boost_round=max(int(rounds or 1), 1), verbose_eval=False)
    ordered = _by_author(frame, val_rows)
    dval = _rank_dmatrix(frame, val_rows, feats, label)
    groups = frame["author"].to_numpy(dtype=object)[ordered].astype(str)
    return xgb.train(
        RANKER_PARAMS,
        dtrain,
        num_boost_round=MAX_ROUNDS,
        evals=[(dval, "val")],
        custom_metric=_pairwise_metric(groups),
        maximize=True,
        early_stopping_rounds=EARLY_STOPPING,
        verbose_eval=False,
    )


def ratio_map(score: np.ndarray, relative: np.ndarray) -> dict[str, float]:
    """Least-squares line of the log ratio to the author's usual on the ranking score, so
    ``times_usual`` = exp(intercept + slope · score) keeps the ranker's order (slope ≥ 0)."""
    ok = np.isfinite(score) & np.isfinite(relative)
    if ok.sum() < 3 or np.all(score[ok] == score[ok][0]):
        return {"slope": 0.0, "intercept": float(np.nanmedian(relative)) if ok.any() else 0.0}
    slope, intercept = np.polyfit(score[ok], relative[ok], 1)
    slope = max(float(slope), 0.0)
    return {"slope": slope, "intercept": float(np.mean(relative[ok]) - slope * np.mean(score[ok]))}


CALIBRATION_FOLDS = 3


def cross_fitted_platt(
    frame: pd.DataFrame, rows: np.ndarray, feats: Sequence[str], trees: int
) -> dict[str, float]:
    """Platt scaling fitted on out-of-fold probabilities: the rows' authors fall in
    :data:`CALIBRATION_FOLDS` folds (by hash); each fold is scored by a classifier (``trees``
    trees) trained on the other folds, so every probability it is fitted on comes from authors
    held out of that classifier's training. When the scaled probabilities do no better than
    always answering the base rate on those rows, the base rate is what it returns (slope 0):
    a probability is never worse than no model."""
    y = frame["viral"].to_numpy(dtype=float)
    authors = frame["author"].to_numpy(dtype=object)[rows]
    fold = np.array(
        [
            int.from_bytes(hashlib.sha256(f"fold:{a}".encode()).digest()[:4], "big") % CALIBRATION_FOLDS
            for a in authors
        ]
    )
    oof = np.full(rows.size, np.nan)
    for k in range(CALIBRATION_FOLDS):
        fit, held = rows[fold != k], rows[fold == k]
        if held.size == 0 or len(set(y[fit].tolist())) < 2:
            continue
        booster = fit_booster(CLASSIFIER_PARAMS, dmatrix(frame, fit, feats, "viral"), rounds=trees)
        oof[fold == k] = booster.predict(dmatrix(frame, held, feats, "viral"))
    ok = np.isfinite(oof)
    platt = evaluate.fit_platt(oof[ok], y[rows][ok])
    rate = float(np.clip(np.nanmean(y[rows]), 1e-4, 1 - 1e-4))
    constant = {"a": 0.0, "b": float(np.log(rate / (1 - rate)))}
    if not ok.any() or evaluate.brier(y[rows][ok], evaluate.apply_platt(oof[ok], platt)) >= evaluate.brier(
        y[rows][ok], np.full(int(ok.sum()), rate)
    ):
        return constant
    return platt
