"""What a user would otherwise do, next to the predictor: one-feature baselines (follower count,
the author's usual engagement, early engagement) fitted on the same rows as the model and scored
on the same held-out rows, and the figures every method is judged by (pure: arrays in, figures out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression, LogisticRegression

from influence.models import evaluate
from influence.models.situations import Situation
from influence.models.splits import Split


def _one_feature(x: np.ndarray, fill: float) -> np.ndarray:
    x = np.asarray(x, dtype=float).copy()
    x[np.isnan(x)] = fill
    return x.reshape(-1, 1)


def one_feature_baseline(
    x_all: np.ndarray, y_cls: np.ndarray, y_reg: np.ndarray, fit_rows: np.ndarray, test_rows: np.ndarray
) -> dict[str, np.ndarray]:
    """Fit a one-feature baseline on ``fit_rows``; return its scores on ``test_rows``."""
    x_fit = x_all[fit_rows]
    if not np.isfinite(x_fit).any():  # e.g. no follower counts at all: this baseline does not exist
        nan = np.full(test_rows.size, np.nan)
        return {"probability": nan, "value": nan}
    fill = float(np.nanmedian(x_fit))
    xf, xt = _one_feature(x_fit, fill), _one_feature(x_all[test_rows], fill)
    ok = ~np.isnan(y_reg[fit_rows])
    value = (
        LinearRegression().fit(xf[ok], y_reg[fit_rows][ok]).predict(xt)
        if ok.sum() >= 2
        else np.full(test_rows.size, np.nan)
    )
    if len(set(y_cls[fit_rows].tolist())) == 2:
        prob = LogisticRegression().fit(xf, y_cls[fit_rows]).predict_proba(xt)[:, 1]
    else:
        prob = np.full(xt.shape[0], float(y_cls[fit_rows].mean()))
    return {"probability": prob, "value": value}


def baselines(
    frame: pd.DataFrame,
    situation: Situation,
    split: Split,
    y_reg: np.ndarray,
    extra_baselines: Mapping[str, str] | None,
) -> dict[str, dict[str, np.ndarray]]:
    """What a user would otherwise do, fitted on the train and validation rows, scored on the test rows."""
    y_cls = frame["viral"].to_numpy(dtype=float)
    test = split.test
    fit_rows = np.union1d(split.train, split.val)
    past = frame["author_past_median"].to_numpy(dtype=float)
    methods: dict[str, dict[str, np.ndarray]] = {}
    followers = one_feature_baseline(
        np.log1p(frame["followers"].to_numpy(dtype=float)), y_cls, y_reg, fit_rows, test
    )
    median = one_feature_baseline(past, y_cls, y_reg, fit_rows, test)
    if not situation.absolute:  # "your usual": a ratio of 1 for every draft (chance within the author)
        median = {**median, "value": np.zeros(test.size), "order": np.zeros(test.size)}
    if situation.name != "own_drafts":
        methods["followers"] = followers
    if situation.needs_history:
        methods["author_median"] = median
    for name, column in (extra_baselines or {}).items():  # early mode: the engagement seen so far
        if column in frame.columns and situation.absolute:
            methods[name] = one_feature_baseline(
                frame[column].to_numpy(dtype=float), y_cls, y_reg, fit_rows, test
            )
    return methods


def method_metrics(
    y_cls: np.ndarray,
    y_reg: np.ndarray,
    prob: np.ndarray,
    value: np.ndarray,
    authors: np.ndarray,
    truth: np.ndarray,
    order_score: np.ndarray,
) -> dict[str, Any]:
    out = evaluate.classification_report(y_cls, prob)
    out.update(evaluate.regression_report(y_reg, value))
    out["spearman_probability"] = evaluate.spearman(y_reg, prob)
    acc, pairs = evaluate.pairwise_accuracy(authors, truth, order_score)
    out["pairwise"] = acc
    out["pairs"] = pairs
    out["tied_authors"] = evaluate.tied_group_share(authors, order_score)
    return out


def base_rate_brier(y_fit: np.ndarray, y_test: np.ndarray) -> tuple[float, float]:
    """(base rate of the fitting rows, Brier of always answering it on the test rows)."""
    rate = float(np.nanmean(y_fit)) if y_fit.size else float("nan")
    return rate, evaluate.brier(y_test, np.full(y_test.size, rate))
