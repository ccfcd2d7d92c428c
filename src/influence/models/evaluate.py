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
            rows.append(
                {
                    "lo": float(edges[b]),
                    "hi": float(edges[b + 1]),
                    "count": float(mask.sum()),
                    "predicted": float(p[mask].mean()),
                    "observed": float(y[mask].mean()),
                }
            )
    return rows


def quantile_bins(y_true: ArrayLike, prob: ArrayLike, n_bins: int = 10) -> list[dict[str, float]]:
    """Reliability table with bins of equal *counts* (deciles of the probability): with a low
    base rate nearly every probability falls in the first equal-width bin, and the curve says
    nothing. Rows as :func:`calibration_bins`."""
    y, p = _arrays(y_true, prob)
    if y.size == 0:
        return []
    order = np.argsort(p, kind="stable")
    rows = []
    for part in np.array_split(order, min(n_bins, y.size)):
        if part.size:
            rows.append(
                {
                    "lo": float(p[part].min()),
                    "hi": float(p[part].max()),
                    "count": float(part.size),
                    "predicted": float(p[part].mean()),
                    "observed": float(y[part].mean()),
                }
            )
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
    per_group = pairwise_by_group(groups, y_true, score).values()
    right = sum(r for r, _ in per_group)
    pairs = sum(n for _, n in per_group)
    return (right / pairs if pairs else NAN), pairs


# ------------------------------------------------------------------ within-author pieces


def pairwise_by_group(groups: ArrayLike, y_true: ArrayLike, score: ArrayLike) -> dict[Any, tuple[float, int]]:
    """Per group (author): (pairs ordered right, a tie in the score counting half; pairs judged).

    The sums over groups give :func:`pairwise_accuracy`; a bootstrap by author resamples them.
    """
    g = np.asarray(groups, dtype=object).ravel()
    y = np.asarray(y_true, dtype=float).ravel()
    s = np.asarray(score, dtype=float).ravel()
    keep = ~(np.isnan(y) | np.isnan(s))
    g, y, s = g[keep], y[keep], s[keep]
    out: dict[Any, tuple[float, int]] = {}
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
        if n:
            out[g[a]] = (float((dy == ds)[upper].sum() + 0.5 * (ds == 0)[upper].sum()), n)
    return out


def tied_group_share(groups: ArrayLike, score: ArrayLike) -> float:
    """Share of the groups (authors) with at least two rows whose scores are all equal: an
    author whose drafts all get one score has drafts the model cannot tell apart. NaN without
    such a group."""
    frame = {"g": np.asarray(groups, dtype=object).ravel(), "s": np.asarray(score, dtype=float).ravel()}
    g, s = frame["g"], frame["s"]
    order = np.argsort(g.astype(str), kind="stable")
    g, s = g[order], s[order]
    bounds = np.flatnonzero(np.r_[True, g[1:] != g[:-1], True])
    tied = total = 0
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        part = s[a:b]
        part = part[~np.isnan(part)]
        if part.size < 2:
            continue
        total += 1
        tied += int(np.all(part == part[0]))
    return tied / total if total else NAN


# ------------------------------------------------------------------------ calibration


def fit_platt(prob: ArrayLike, y_true: ArrayLike) -> dict[str, float]:
    """Platt scaling (a logistic fit on the log-odds of ``prob``), fitted on rows the model was
    not trained on: ``{"a": slope, "b": intercept}`` for :func:`apply_platt`. With one class only
    (or nothing to fit) the slope is 0 and the intercept the log-odds of the observed rate.

    Strictly monotone for a positive slope, so two posts with different raw probabilities keep
    different calibrated ones (isotonic regression would tie them in steps).
    """
    from sklearn.linear_model import LogisticRegression

    y, p = _arrays(y_true, prob)
    if y.size == 0:
        return {"a": 0.0, "b": 0.0}
    rate = float(np.clip(y.mean(), 1e-4, 1 - 1e-4))
    if not _two_classes(y):
        return {"a": 0.0, "b": float(np.log(rate / (1 - rate)))}
    x = _logit(p).reshape(-1, 1)
    # a light L2 penalty: with few positives an unpenalised fit can overshoot the slope
    fit = LogisticRegression(C=1.0).fit(x, y.astype(int))
    return {"a": float(fit.coef_[0, 0]), "b": float(fit.intercept_[0])}


def _logit(p: ArrayLike) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    out: np.ndarray = np.log(q / (1 - q))
    return out


def apply_platt(prob: ArrayLike, params: dict[str, float] | None) -> np.ndarray:
    """Calibrated probabilities: ``1 / (1 + exp(-(a · logit(prob) + b)))``; ``prob`` unchanged
    without ``params``."""
    p = np.asarray(prob, dtype=float)
    if not params:
        return p
    z = float(params.get("a", 1.0)) * _logit(p) + float(params.get("b", 0.0))
    out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return out


# -------------------------------------------------------------------- bootstrap by author


def _group_index(groups: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    keys, inverse = np.unique(groups.astype(str), return_inverse=True)
    rows = [np.flatnonzero(inverse == i) for i in range(keys.size)]
    return keys, rows


def bootstrap_spearman(
    groups: ArrayLike, y_true: ArrayLike, scores: dict[str, ArrayLike], reps: int = 200, seed: int = 42
) -> dict[str, list[float]]:
    """Spearman ρ of each score over ``reps`` resamples of whole groups (authors, with
    replacement): ``{name: [ρ of each resample]}`` (NaN where undefined; entry i of every name
    is the same resample, so differences pair up). Seeded: the same input, the same intervals."""
    g = np.asarray(groups, dtype=object).ravel()
    y = np.asarray(y_true, dtype=float).ravel()
    s = {k: np.asarray(v, dtype=float).ravel() for k, v in scores.items()}
    _, rows = _group_index(g)
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {k: [] for k in s}
    if not rows:
        return out
    for _ in range(reps):
        pick = rng.integers(0, len(rows), len(rows))
        idx = np.concatenate([rows[i] for i in pick])
        for k, v in s.items():  # NaN kept: resample i of every score is the same authors
            out[k].append(spearman(y[idx], v[idx]))
    return out


def bootstrap_pairwise(
    by_group: dict[str, dict[Any, tuple[float, int]]], reps: int = 200, seed: int = 42
) -> dict[str, list[float]]:
    """Pairwise accuracy of each method over ``reps`` resamples of the authors (with
    replacement), from :func:`pairwise_by_group` of each method on the same rows."""
    names = list(by_group)
    if not names:
        return {}
    authors = sorted(set().union(*[set(map(str, d)) for d in by_group.values()]))
    table: dict[str, np.ndarray] = {}
    for k in names:  # group keys may not be strings: matched by their string form
        lookup = {str(a): v for a, v in by_group[k].items()}
        table[k] = np.array([lookup.get(a, (0.0, 0)) for a in authors], dtype=float).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {k: [] for k in names}
    if not authors:
        return out
    for _ in range(reps):
        pick = rng.integers(0, len(authors), len(authors))
        for k in names:
            right, pairs = table[k][pick].sum(axis=0)
            out[k].append(float(right / pairs) if pairs else NAN)
    return out


def interval(values: Sequence[float] | np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The central ``level`` interval of bootstrap values, NaN ignored (NaN, NaN when none)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not v.size:
        return NAN, NAN
    lo, hi = np.quantile(v, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(lo), float(hi)
