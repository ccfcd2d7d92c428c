"""Metrics on hand-made arrays."""

from __future__ import annotations

import math

import numpy as np

from influence.models import evaluate


def test_perfect_and_inverted_rankings() -> None:
    y = [0, 0, 1, 1]
    assert evaluate.roc_auc(y, [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert evaluate.roc_auc(y, [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert evaluate.pr_auc(y, [0.1, 0.2, 0.8, 0.9]) == 1.0


def test_precision_at_k() -> None:
    y = [1, 0, 1, 0, 0]
    s = [0.9, 0.8, 0.7, 0.1, 0.0]
    assert evaluate.precision_at_k(y, s, 1) == 1.0
    assert evaluate.precision_at_k(y, s, 2) == 0.5
    assert math.isclose(evaluate.precision_at_k(y, s, 3), 2 / 3)


def test_calibration_bins_and_brier() -> None:
    y = np.array([0, 0, 1, 1])
    p = np.array([0.05, 0.05, 0.95, 0.95])
    bins = evaluate.calibration_bins(y, p, n_bins=10)
    assert [b["count"] for b in bins] == [2.0, 2.0]
    assert bins[0]["observed"] == 0.0 and bins[1]["observed"] == 1.0
    assert math.isclose(evaluate.brier(y, p), 0.0025)
    assert math.isclose(evaluate.expected_calibration_error(bins), 0.05)


def test_spearman_and_mae() -> None:
    assert math.isclose(evaluate.spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1.0)
    assert math.isclose(evaluate.mae([1, 2, 3], [2, 2, 2]), 2 / 3)


def test_degenerate_inputs_give_nan_not_errors() -> None:
    assert math.isnan(evaluate.roc_auc([1, 1, 1], [0.1, 0.2, 0.3]))
    assert math.isnan(evaluate.pr_auc([0, 0], [0.1, 0.2]))
    assert math.isnan(evaluate.spearman([1, 1, 1], [1, 2, 3]))
    report = evaluate.classification_report([0, 0, 0], [0.1, 0.2, 0.3])
    assert math.isnan(report["roc_auc"]) and report["positives"] == 0


def test_nan_rows_are_ignored() -> None:
    assert evaluate.roc_auc([0, 1, np.nan], [0.1, 0.9, 0.5]) == 1.0
