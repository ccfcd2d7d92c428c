"""The model card: a Markdown page with ROC, PR, calibration and feature-importance plots.

Pure apart from writing its files; plots use matplotlib's Agg backend (no display needed).
"""

from __future__ import annotations

import json
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

from influence import glossary  # noqa: E402
from influence.glossary import metric_name  # noqa: E402
from influence.models import catalogue, evaluate  # noqa: E402
from influence.models.store import ModelMeta  # noqa: E402

METHODS = ("model", "followers", "author_median", "early_engagement", "early_vs_usual")
TABLE_KEYS = ("roc_auc", "pr_auc", "spearman", "mae", "pairwise", "brier")
#: Published figures the evaluation is compared with (the README cites them in full).
PUBLISHED = (
    "SMP Challenge (Social Media Prediction, ACM MM 2019–2023): Spearman ρ ≈ 0.77 on popularity with the "
    "users known from training;",
    'Ding et al. 2019 ("Intrinsic image popularity assessment"): about 77 % pairwise accuracy within one '
    "user, from the images;",
    'Cheng et al. 2014 ("Can cascades be predicted?"): ROC-AUC about 0.56 from content features alone.',
)


SITUATION_ORDER = ("new_author", "known_author", "own_drafts")


def verdict_sentences(verdicts: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(situation in plain words, the verdict's sentence), in a fixed order — the same words in
    ``train``, the model card and the HTML report."""
    names = [n for n in SITUATION_ORDER if n in verdicts] + [n for n in verdicts if n not in SITUATION_ORDER]
    return [(glossary.SITUATIONS.get(n, n), str(verdicts[n].get("sentence", ""))) for n in names]


def _pct(x: Any) -> str:
    return f"{100 * x:.1f} %" if isinstance(x, int | float) and math.isfinite(x) else "–"


def calibration_sentence(situation: str, c: Mapping[str, Any]) -> str:
    """One line: the calibrated Brier score against always answering the base rate."""
    brier, base = c.get("brier"), c.get("brier_base_rate")
    if not isinstance(brier, int | float) or not isinstance(base, int | float):
        return f"{glossary.SITUATIONS.get(situation, situation)}: no calibration figures"
    better = "better than" if brier < base else ("as good as" if brier == base else "worse than")
    return (
        f"{glossary.SITUATIONS.get(situation, situation)}: {metric_name('brier')} {brier:.4f} vs {base:.4f} for always answering the "
        f"base rate ({_pct(c.get('base_rate'))} viral) — {better} no model, on {c.get('n', '?')} posts of "
        "held-out authors"
    )


def reliability_text(c: Mapping[str, Any]) -> str:
    """The reliability curve in words: each probability bin's mean prediction vs the observed rate."""
    bins = [b for b in c.get("bins") or [] if isinstance(b, Mapping)]
    return "; ".join(
        f"said {_pct(b.get('predicted'))} → {_pct(b.get('observed'))} viral ({int(b.get('count', 0)):,} posts)"
        for b in bins
    )


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def metrics_table(metrics: Mapping[str, Mapping[str, Any]]) -> str:
    """One split's metrics as a Markdown table, one row per method (plain names)."""
    keys = [k for k in TABLE_KEYS if any(k in m for m in metrics.values())] + ["n"]
    head = "| method | " + " | ".join(metric_name(k) for k in keys) + " |"
    sep = "|---" * (len(keys) + 1) + "|"
    rows = [
        f"| {glossary.METHODS.get(name, name)} | " + " | ".join(_fmt(m.get(k)) for k in keys) + " |"
        for name, m in metrics.items()
    ]
    return "\n".join([head, sep, *rows])


#: The figure each situation is judged by first (the targets in DESIGN.md), then ROC-AUC.
HEADLINE = {
    "known_author": ("spearman", "roc_auc"),
    "new_author": ("spearman", "roc_auc"),
    "own_drafts": ("pairwise", "roc_auc"),
}


def summary_table(evaluation: Mapping[str, Mapping[str, Mapping[str, Mapping[str, Any]]]]) -> str:
    """One Markdown row per situation × split × headline figure: the model next to each baseline."""
    methods: tuple[str, ...] = ("model", "followers", "author_median", "chance")
    if any("early_engagement" in m for splits in evaluation.values() for m in splits.values()):
        methods = (*methods[:3], "early_engagement", "early_vs_usual", "chance")
    head = "| situation | split | figure | " + " | ".join(glossary.METHODS[m] for m in methods) + " | posts |"
    rows = [head, "|---" * (len(methods) + 4) + "|"]
    for situation, splits in evaluation.items():
        for split, metrics in splits.items():
            for key in HEADLINE.get(situation, ("roc_auc",)):
                cells = [_fmt(metrics.get(m, {}).get(key)) if m in metrics else "" for m in methods]
                rows.append(
                    f"| {glossary.SITUATIONS.get(situation, situation)} | {split} | {metric_name(key)} | "
                    + " | ".join(cells)
                    + f" | {metrics.get('model', {}).get('n', '')} |"
                )
    return "\n".join(rows)


def evaluation_table(evaluation: Mapping[str, Mapping[str, Mapping[str, Mapping[str, Any]]]]) -> str:
    """Every situation × split as Markdown: what a user would otherwise get next to the model."""
    parts = []
    for situation, splits in evaluation.items():
        for split, metrics in splits.items():
            held = "newest 20 % of posts held out" if split == "time" else "20 % of the authors held out"
            parts += [
                f"### {glossary.SITUATIONS.get(situation, situation)} — {split} split ({held})",
                "",
                metrics_table(metrics),
                "",
            ]
    return "\n".join(parts)


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
        ax.plot(
            fpr,
            tpr,
            label=f"{glossary.METHODS.get(m, m)} ({evaluate.roc_auc(y, test[f'{m}_probability']):.3f})",
        )
    ax.plot([0, 1], [0, 1], ":", color="grey")
    ax.set(
        xlabel="false positive rate",
        ylabel="true positive rate",
        title="ROC — known authors, newest posts held out",
    )
    ax.legend(fontsize=8)
    files["roc"] = _save(fig, directory, "roc.png")

    fig, ax = plt.subplots(figsize=(4.5, 4))
    for m in methods:
        p, r, _ = precision_recall_curve(y, test[f"{m}_probability"])
        ax.plot(
            r, p, label=f"{glossary.METHODS.get(m, m)} ({evaluate.pr_auc(y, test[f'{m}_probability']):.3f})"
        )
    ax.axhline(y.mean(), linestyle=":", color="grey", label=f"base rate {y.mean():.3f}")
    ax.set(xlabel="recall", ylabel="precision", title="Precision–recall")
    ax.legend(fontsize=8)
    files["pr"] = _save(fig, directory, "pr.png")

    fig, ax = plt.subplots(figsize=(4.5, 4))
    for m in methods:
        bins = evaluate.calibration_bins(y, test[f"{m}_probability"])
        ax.plot(
            [b["predicted"] for b in bins],
            [b["observed"] for b in bins],
            "o-",
            label=glossary.METHODS.get(m, m),
        )
    ax.plot([0, 1], [0, 1], ":", color="grey")
    ax.set(xlabel="predicted probability", ylabel="observed viral rate", title="Calibration")
    ax.legend(fontsize=8)
    files["calibration"] = _save(fig, directory, "calibration.png")
    return files


def reliability_plot(calibration: Mapping[str, Mapping[str, Any]], directory: Path) -> str | None:
    """``reliability.png``: each situation's calibrated reliability curve on held-out authors."""
    curves = {n: [b for b in c.get("bins") or [] if isinstance(b, Mapping)] for n, c in calibration.items()}
    curves = {n: b for n, b in curves.items() if b}
    if not curves:
        return None
    fig, ax = plt.subplots(figsize=(4.5, 4))
    top = 0.0
    for name, bins in curves.items():
        xs, ys = [b["predicted"] for b in bins], [b["observed"] for b in bins]
        top = max(top, *xs, *ys)
        ax.plot(xs, ys, "o-", label=glossary.SITUATIONS.get(name, name))
    top = min(1.0, top * 1.1 + 0.01)
    ax.plot([0, top], [0, top], ":", color="grey", label="perfect calibration")
    ax.set(
        xlabel="predicted probability",
        ylabel="observed viral rate",
        xlim=(0, top),
        ylim=(0, top),
        title="Reliability — held-out authors",
    )
    ax.legend(fontsize=8)
    return _save(fig, directory, "reliability.png")


def _importance(importance: Mapping[str, float], directory: Path, top: int = 20) -> str | None:
    grouped: dict[str, float] = {}
    for name, gain in importance.items():
        key = catalogue.plain_name(name)
        grouped[key] = grouped.get(key, 0.0) + float(gain)
    items = sorted(((k, v) for k, v in grouped.items() if v > 0), key=lambda kv: kv[1], reverse=True)[:top]
    if not items:
        return None
    fig, ax = plt.subplots(figsize=(8.0, 0.3 * len(items) + 1))
    ax.barh([k for k, _ in items][::-1], np.array([v for _, v in items][::-1]))
    ax.set(xlabel="total gain (classifier)", title="Known-author model: what it uses most")
    return _save(fig, directory, "importance.png")


def _feature_lines(meta: ModelMeta) -> list[str]:
    """The "Features" section: every feature by its plain name, emotions with their lexicon."""
    from influence.models.catalogue import plain_name
    from influence.signals.emotions import LICENCES

    names: list[str] = []
    for features in meta.features.values():
        names += [f for f in features if f not in names]
    if not names:
        names = list(dict.fromkeys(meta.importance.get("known_author", {})))
    plain = list(dict.fromkeys(plain_name(f) for f in names))
    lexicon = meta.spec.get("emotion_lexicon", "empath")
    emotions = [f for f in names if f.startswith("emo_")]
    out = ["## Features", ""]
    if plain:
        out += [f"{len(names)} features: " + ", ".join(plain) + ".", ""]
    if emotions:
        imp = meta.importance.get("known_author", {})
        share = sum(float(imp.get(f, 0.0)) for f in emotions) / max(
            sum(float(v) for v in imp.values()), 1e-12
        )
        out += [
            f"Emotions ({', '.join(f.removeprefix('emo_') for f in emotions)}) come from the lexicon "
            f"**{lexicon}** — {LICENCES.get(lexicon, lexicon)}; together they carry {share:.1%} of the "
            "known-author model's importance.",
            "",
        ]
    return out


def write_model_card(directory: Path, meta: ModelMeta, test: pd.DataFrame) -> Path:
    """Write ``model_card.md`` and its PNG plots into ``directory``; return the card's path.

    ``test`` holds the known-author time split's held-out rows with ``<method>_probability``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    known_time = meta.evaluation.get("known_author", {}).get("time", {})
    methods = [
        m
        for m in METHODS
        if f"{m}_probability" in test.columns and m in known_time and test[f"{m}_probability"].notna().all()
    ]  # a baseline without data has no curve
    plots = _curves(test, methods, directory) if not test.empty else {}
    reliability = reliability_plot(meta.calibration, directory)
    if reliability:
        plots["reliability"] = reliability
    imp = _importance(meta.importance.get("known_author", {}), directory)
    split = meta.split
    criteria = meta.criteria
    lines = [
        f"# Virality model card — {meta.mode} mode",
        "",
        f"Trained {meta.created_at}. Target: **{meta.target}** — {meta.target_reason}.",
        f"Label: the criteria below ({criteria.get('baseline', '?')} baseline, threshold "
        f"{criteria.get('threshold', '?')}, scope {meta.scope}). Labelled {meta.counts.get('labelled', '?')} of "
        f"{meta.counts.get('posts', '?')} dated posts"
        + "".join(f"; {k}: {v}" for k, v in meta.exclusions.items() if v)
        + ".",
        "",
        "## What the model can do — plain verdicts",
        "",
        "Judged on authors the model never saw (an author split), with a 95 % interval from resampling those "
        "authors:",
        "",
        *[f"- **{who}**: {sentence}" for who, sentence in verdict_sentences(meta.verdicts)],
        "",
        *[f"- {w}" for w in meta.warnings],
        *([""] if meta.warnings else []),
        f"## Calibration — {metric_name('brier')} vs the base rate",
        "",
        f"`viral_probability` is Platt-scaled on authors held out of training. The {metric_name('brier')} (mean squared "
        "error of the probability; lower is better) next to always answering the base rate, and the reliability "
        "curve (what the model said vs how many were viral), on held-out authors:",
        "",
        *[
            line
            for name, c in meta.calibration.items()
            if c.get("brier") is not None
            for line in (f"- {calibration_sentence(name, c)}", f"  - reliability: {reliability_text(c)}")
        ],
        "",
        *(
            [f"![Reliability on held-out authors]({plots['reliability']})", ""]
            if "reliability" in plots
            else []
        ),
        "## Held-out figures, by situation",
        "",
        "Each situation is scored on a **time** split (the newest posts held out, published from "
        f"{split.get('test_from_iso', '?')} for known authors) and an **author** split (whole authors held out). "
        "Baselines are what a user would otherwise do: rank by follower count, by the author's usual (median) "
        f"engagement over earlier posts, or by chance. {metric_name('roc_auc')} / {metric_name('pr_auc')} / "
        f"{metric_name('brier')} are for the viral label; {metric_name('spearman')} and {metric_name('mae')} on "
        "log1p of the target (own drafts: the log ratio to the author's usual); "
        f'"{metric_name("pairwise")}" is the share of two posts by one author put in the right order.',
        "",
        "<details><summary>Every figure, by situation and split</summary>",
        "",
        evaluation_table(meta.evaluation),
        "</details>",
        "",
        "Published figures to compare with:",
        "",
        *[f"- {p}" for p in PUBLISHED],
        "",
    ]
    for key in ("roc", "pr", "calibration"):
        if key in plots:
            lines += [f"![{glossary.PLOT_TITLES[key]}]({plots[key]})", ""]
    if imp:
        lines += ["## Feature importance", "", f"![Feature importance]({imp})", ""]
    lines += _feature_lines(meta)
    lines += [
        "## Data",
        "",
        f"- data fingerprint: `{meta.data_fingerprint}`",
        f"- counts: {meta.counts}",
        f"- embedding version: {meta.spec.get('embedding_version')}",
        f"- libraries: {meta.libraries}",
        "",
        "## Criteria",
        "",
        "```json",
        json.dumps(criteria, indent=2),
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
