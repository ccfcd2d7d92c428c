"""Evaluation metrics for the virality predictor (pure functions on arrays).

Classification (is the post viral?): ROC-AUC, PR-AUC (average precision), precision@k, and
calibration (reliability bins and the Brier score). Regression (how fast does it spread?):
Spearman's rho and the mean absolute error, both on ``log1p`` of the target. A metric that is
undefined on the given data (one class only, constant predictions, too few rows) is ``NaN``,
never an exception, so a small held-out slice still produces a report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import spearmanr
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

NAN = float("nan")


def _arrays(y: ArrayLike, s: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(y, dtype=float).ravel()
    b = np.asarray(s, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"{a.shape[0]} labels but {b.shape[0]} scores")
    keep = ~(np.isnan(a) | np.isnan(b))
    return a[keep], b[keep]


def _two_classes(y: np.ndarray) -> bool:
    return y.size > 0 and 0 < int(y.sum()) < y.size


def roc_auc(y_true: ArrayLike, score: ArrayLike) -> float:
    """Area under the ROC curve; NaN with a single class."""
    y, s = _arrays(y_true, score)
    return float(roc_auc_score(y, s)) if _two_classes(y) else NAN


def pr_auc(y_true: ArrayLike, score: ArrayLike) -> float:
    """Area under the precision-recall curve (average precision); NaN without positives."""
    y, s = _arrays(y_true, score)
    return float(average_precision_score(y, s)) if _two_classes(y) else NAN


def precision_at_k(y_true: ArrayLike, score: ArrayLike, k: int) -> float:
    """Share of viral posts among the ``k`` highest-scored; ties broken by order (stable)."""
    y, s = _arrays(y_true, score)
    if k <= 0 or y.size == 0:
        return NAN
    top = np.argsort(-s, kind="stable")[: min(k, y.size)]
    return float(y[top].mean())


def brier(y_true: ArrayLike, prob: ArrayLike) -> float:
    """Brier score (mean squared error of the probabilities; lower is better)."""
    y, p = _arrays(y_true, prob)
    if y.size == 0:
        return NAN
    return float(brier_score_loss(y, np.clip(p, 0.0, 1.0)))


def calibration_bins(y_true: ArrayLike, prob: ArrayLike, n_bins: int = 10) -> list[dict[str, float]]:
    """Reliability table: for equal-width probability bins, mean predicted vs. observed rate.

    Empty bins are left out. Each row: ``lo``, ``hi``, ``count``, ``predicted``, ``observed``.
    """
    y, p = _arrays(y_true, prob)
    p = np.clip(p, 0.0, 1.0)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1], right=False), 0, n_bins - 1)
    rows = []
    for b in range(n_bins):
        mask = idx == b
        if mask.any():
            rows.append({
                "lo": float(edges[b]), "hi": float(edges[b + 1]), "count": float(mask.sum()),
                "predicted": float(p[mask].mean()), "observed": float(y[mask].mean()),
            })
    return rows


def expected_calibration_error(bins: Sequence[dict[str, float]]) -> float:
    """Count-weighted mean |predicted − observed| over the reliability bins."""
    total = sum(b["count"] for b in bins)
    if total == 0:
        return NAN
    return float(sum(b["count"] * abs(b["predicted"] - b["observed"]) for b in bins) / total)


def spearman(y_true: ArrayLike, pred: ArrayLike) -> float:
    """Spearman's rank correlation; NaN when either side is constant or too short."""
    y, s = _arrays(y_true, pred)
    if y.size < 3 or np.all(y == y[0]) or np.all(s == s[0]):
        return NAN
    return float(spearmanr(y, s).statistic)


def mae(y_true: ArrayLike, pred: ArrayLike) -> float:
    """Mean absolute error."""
    y, s = _arrays(y_true, pred)
    return float(np.abs(y - s).mean()) if y.size else NAN


def default_ks(n: int) -> list[int]:
    """The k values reported for precision@k on ``n`` held-out posts: 10, 100 and n/10."""
    if n <= 0:
        return []
    ks = [k for k in (10, 100) if k <= n]
    tenth = max(1, n // 10)
    if tenth not in ks:
        ks.append(tenth)
    return sorted(ks)


def classification_report(
    y_true: ArrayLike, score: ArrayLike, ks: Sequence[int] | None = None, probabilities: bool = True
) -> dict[str, Any]:
    """ROC-AUC, PR-AUC, precision@k, and (for probabilities) Brier score and calibration bins."""
    y, s = _arrays(y_true, score)
    ks = list(ks) if ks is not None else default_ks(int(y.size))
    out: dict[str, Any] = {
        "n": int(y.size),
        "positives": int(y.sum()),
        "roc_auc": roc_auc(y, s),
        "pr_auc": pr_auc(y, s),
    }
    for k in ks:
        out[f"precision_at_{k}"] = precision_at_k(y, s, k)
    if probabilities:
        bins = calibration_bins(y, s)
        out["brier"] = brier(y, s)
        out["ece"] = expected_calibration_error(bins)
        out["calibration"] = bins
    return out


def regression_report(y_true_log: ArrayLike, pred_log: ArrayLike) -> dict[str, float]:
    """Spearman's rho and MAE, both on the log1p scale the caller passes in."""
    return {"spearman": spearman(y_true_log, pred_log), "mae": mae(y_true_log, pred_log)}


def finite_or_none(value: float) -> float | None:
    """``value`` or None when NaN/inf (for JSON)."""
    return None if value is None or not math.isfinite(value) else float(value)


def pairwise_accuracy(groups: ArrayLike, y_true: ArrayLike, score: ArrayLike) -> tuple[float, int]:
    """Share of pairs *within a group* ordered right, and the number of pairs judged.

    For every two rows of one group (one author) whose true values differ, the pair is right
    when the score orders them the same way; a tie in the score counts half (so a score that is
    constant within each group — the author's median, the follower count — gets exactly 0.5,
    which is chance). This answers "which of my drafts will do better?" (Ding et al. 2019 report
    about 77 % from images, within a user). NaN with no pair.
    """
    g = np.asarray(groups, dtype=object).ravel()
    y = np.asarray(y_true, dtype=float).ravel()
    s = np.asarray(score, dtype=float).ravel()
    keep = ~(np.isnan(y) | np.isnan(s))
    g, y, s = g[keep], y[keep], s[keep]
    right = 0.0
    pairs = 0
    order = np.argsort(g.astype(str), kind="stable")
    g, y, s = g[order], y[order], s[order]
    bounds = np.flatnonzero(np.r_[True, g[1:] != g[:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if b - a < 2:
            continue
        dy = np.sign(y[a:b, None] - y[None, a:b])
        ds = np.sign(s[a:b, None] - s[None, a:b])
        upper = np.triu(np.ones((b - a, b - a), dtype=bool), k=1) & (dy != 0)
        n = int(upper.sum())
        if n == 0:
            continue
        agree = (dy == ds)[upper].sum() + 0.5 * (ds == 0)[upper].sum()
        right += float(agree)
        pairs += n
    return (right / pairs if pairs else NAN), pairs
