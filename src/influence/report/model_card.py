"""The model card: a Markdown page with ROC, PR, calibration and feature-importance plots.

Pure apart from writing its files; plots use matplotlib's Agg backend (no display needed).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import precision_recall_curve, roc_curve  # noqa: E402

from influence.models import evaluate  # noqa: E402

METHODS = ("model", "followers", "author_median", "early_engagement")
TABLE_KEYS = ("roc_auc", "pr_auc", "spearman", "mae", "brier", "ece")


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def metrics_table(metrics: Mapping[str, Mapping[str, Any]]) -> str:
    """The metrics as a Markdown table, one row per method."""
    keys = list(TABLE_KEYS) + sorted({k for m in metrics.values() for k in m if k.startswith("precision_at_")},
                                     key=lambda k: int(k.rsplit("_", 1)[1]))
    head = "| method | " + " | ".join(keys) + " |"
    sep = "|---" * (len(keys) + 1) + "|"
    rows = [f"| {name} | " + " | ".join(_fmt(m.get(k)) for k in keys) + " |" for name, m in metrics.items()]
    return "\n".join([head, sep, *rows])


def _save(fig: Any, directory: Path, name: str) -> str:
    """Write ``fig`` as ``directory/name`` (PNG), close it, return ``name``."""
    fig.tight_layout()
    fig.savefig(directory / name, dpi=110)
    plt.close(fig)
    return name


def _curves(test: pd.DataFrame, methods: list[str], directory: Path) -> dict[str, str]:
    y = test["viral"].to_numpy(dtype=float)
    files: dict[str, str] = {}
    if not (0 < y.sum() < y.size):
        return files
    fig, ax = plt.subplots(figsize=(4.5, 4))
    for m in methods:
        fpr, tpr, _ = roc_curve(y, test[f"{m}_probability"])
        ax.plot(fpr, tpr, label=f"{m} ({evaluate.roc_auc(y, test[f'{m}_probability']):.3f})")
    ax.plot([0, 1], [0, 1], ":", color="grey")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC (held-out, newest posts)")
    ax.legend(fontsize=8)
    files["roc"] = _save(fig, directory, "roc.png")

    fig, ax = plt.subplots(figsize=(4.5, 4))
    for m in methods:
        p, r, _ = precision_recall_curve(y, test[f"{m}_probability"])
        ax.plot(r, p, label=f"{m} ({evaluate.pr_auc(y, test[f'{m}_probability']):.3f})")
    ax.axhline(y.mean(), linestyle=":", color="grey", label=f"base rate {y.mean():.3f}")
    ax.set(xlabel="recall", ylabel="precision", title="Precision–recall")
    ax.legend(fontsize=8)
    files["pr"] = _save(fig, directory, "pr.png")

    fig, ax = plt.subplots(figsize=(4.5, 4))
    for m in methods:
        bins = evaluate.calibration_bins(y, test[f"{m}_probability"])
        ax.plot([b["predicted"] for b in bins], [b["observed"] for b in bins], "o-", label=m)
    ax.plot([0, 1], [0, 1], ":", color="grey")
    ax.set(xlabel="predicted probability", ylabel="observed viral rate", title="Calibration")
    ax.legend(fontsize=8)
    files["calibration"] = _save(fig, directory, "calibration.png")
    return files


def _importance(importance: Mapping[str, float], directory: Path, top: int = 20) -> str | None:
    grouped: dict[str, float] = {}
    for name, gain in importance.items():
        key = "author_embedding" if name.startswith("emb_") else name
        grouped[key] = grouped.get(key, 0.0) + float(gain)
    items = sorted(((k, v) for k, v in grouped.items() if v > 0), key=lambda kv: kv[1], reverse=True)[:top]
    if not items:
        return None
    fig, ax = plt.subplots(figsize=(6, 0.3 * len(items) + 1))
    ax.barh([k for k, _ in items][::-1], np.array([v for _, v in items][::-1]))
    ax.set(xlabel="total gain (classifier)", title="Feature importance")
    return _save(fig, directory, "importance.png")


def write_model_card(directory: Path, metadata: Mapping[str, Any], test: pd.DataFrame,
                     importance: Mapping[str, float]) -> Path:
    """Write ``model_card.md`` and its PNG plots into ``directory``; return the card's path."""
    directory.mkdir(parents=True, exist_ok=True)
    metrics = metadata.get("metrics", {})
    methods = [m for m in METHODS if f"{m}_probability" in test.columns and m in metrics
               and test[f"{m}_probability"].notna().all()]  # a baseline without data has no curve
    plots = _curves(test, methods, directory)
    imp = _importance(importance, directory)
    split = metadata.get("split", {})
    criteria = metadata.get("criteria", {})
    lines = [
        f"# Virality model card — {metadata.get('mode', 'pre')} mode",
        "",
        f"Trained {metadata.get('created_at', '')} on {split.get('train', '?')} posts (validation "
        f"{split.get('val', '?')}, early stopping), tested on the {split.get('test', '?')} **newest** posts "
        f"(published from {split.get('test_from_iso', '?')}; the split is by time, never random).",
        "",
        f"Target: `{metadata.get('target', 'velocity')}`. Label: the criteria below "
        f"({criteria.get('baseline', '?')} baseline, threshold {criteria.get('threshold', '?')}).",
        "",
        "## Held-out metrics",
        "",
        metrics_table(metrics),
        "",
        "Baselines are what a user would do without the model: rank by the author's follower count, or by "
        "the author's own median engagement over earlier posts (each fitted on the training rows with one "
        "feature; \"–\" when the data has no such value, e.g. no follower counts). ROC-AUC / PR-AUC / precision@k / Brier / ECE are for the viral label; Spearman and MAE "
        "are on log1p of the target.",
        "",
    ]
    for key, title in (("roc", "ROC"), ("pr", "Precision–recall"), ("calibration", "Calibration")):
        if key in plots:
            lines += [f"![{title}]({plots[key]})", ""]
    if imp:
        lines += ["## Feature importance", "", f"![Feature importance]({imp})", ""]
    lines += [
        "## Data",
        "",
        f"- data fingerprint: `{metadata.get('data_fingerprint', '?')}`",
        f"- counts: {metadata.get('counts', {})}",
        f"- embedding version: {metadata.get('spec', {}).get('embedding_version')}",
        f"- libraries: {metadata.get('libraries', {})}",
        "",
        "## Criteria",
        "",
        "```json",
        __import__("json").dumps(criteria, indent=2),
        "```",
        "",
        "## Caveats",
        "",
        "- Graph features computed by analytics over the whole graph (PageRank, community, embedding, "
        "hashtag spread) include the held-out period; counts of hashtag uses are restricted to earlier posts, "
        "and `User.engagementRate` is not used because it averages over the posts being predicted.",
        "- Follower counts are as of the latest scrape, not as of each post's publication.",
        "",
    ]
    card = directory / "model_card.md"
    card.write_text("\n".join(lines), encoding="utf-8")
    return card
