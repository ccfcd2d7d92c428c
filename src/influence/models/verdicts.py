"""Plain verdicts: for each scoring situation, one sentence a marketer reads, from the
author-split evaluation (authors the model never saw) with a 95 % bootstrap-by-author interval.

Each situation is judged by the figure its question needs (DESIGN.md): Spearman ρ of the
ranking of posts (known and new authors) against the baseline a user would otherwise use
(the author's usual engagement; follower count), and pairwise accuracy within an author (own
drafts) against chance (0.5). The model *beats* its baseline when the 95 % interval of the
difference (model − baseline, resampling whole authors) lies above zero. Where it does not,
``rank_by`` names the baseline, and ``predict`` ranks by it and says so on the row.

:func:`verdicts` returns, per situation (stored in ``model.json`` under ``verdicts``)::

    {"sentence", "beats_baseline", "rank_by", "figure", "metric", "ci": [lo, hi],
     "baseline", "baseline_figure", "difference_ci": [lo, hi], "authors", "posts"}

``rank_by`` is ``predicted`` or ``viral_probability`` (whichever ranked better), ``times_usual``
(own drafts), or the baseline: ``followers``, ``author_median`` or ``none`` (own drafts that
cannot be told apart).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from influence import glossary
from influence.models import evaluate

REPS = 400
SEED = 42
#: Difference in ρ above which "far better" is said rather than "better".
FAR = 0.15
#: Below this difference in ρ the sentence says "only slightly better" and shows three decimals.
SLIGHT = 0.02
RHO = glossary.metric_name("spearman")

WHO = {"known_author": "known accounts' posts", "new_author": "new accounts' posts"}
BASELINE = {
    "known_author": ("author_median", glossary.METHOD_PHRASES["author_median"]),
    "new_author": ("followers", glossary.METHOD_PHRASES["followers"]),
}


def _f(x: float) -> str:
    return f"{x:.2f}" if x == x else "–"


def _ci(lo: float, hi: float, digits: int = 2) -> str:
    if digits == 2:
        return f"95 % CI {_f(lo)}–{_f(hi)}"
    return f"95 % CI {lo:+.{digits}f} to {hi:+.{digits}f}"


#: Early mode: the one-line rules to beat (the first one present in the scores).
EARLY_BASELINES = {
    "known_author": [
        ("early_vs_usual", glossary.METHOD_PHRASES["early_vs_usual"]),
        ("early_engagement", glossary.METHOD_PHRASES["early_engagement"]),
    ],
    "new_author": [("early_engagement", glossary.METHOD_PHRASES["early_engagement"])],
}


def _baseline_for(name: str, scores: pd.DataFrame) -> tuple[str, str]:
    for base, words in EARLY_BASELINES.get(name, []):
        if (
            f"{base}_value" in scores.columns
            and np.isfinite(scores[f"{base}_value"].to_numpy(dtype=float)).any()
        ):
            return base, words
    return BASELINE[name]


def _ranking_verdict(name: str, scores: pd.DataFrame, reps: int, seed: int) -> dict[str, Any]:
    base_name, base_words = _baseline_for(name, scores)
    groups = scores["author"].to_numpy(dtype=object)
    truth = scores["target"].to_numpy(dtype=float)
    candidates = {"predicted": scores["model_value"], "viral_probability": scores["model_probability"]}
    base_col = f"{base_name}_value"
    base = scores[base_col] if base_col in scores.columns else pd.Series(np.nan, index=scores.index)
    if not np.isfinite(base.to_numpy(dtype=float)).any():
        base_name, base_words, base = "none", "chance", pd.Series(0.0, index=scores.index)
    figures = {k: evaluate.spearman(truth, v) for k, v in candidates.items()}
    best = max(figures, key=lambda k: figures[k] if figures[k] == figures[k] else -math.inf)
    figure = figures[best]
    base_figure = evaluate.spearman(truth, base) if base_name != "none" else 0.0
    if base_figure != base_figure:
        base_figure = 0.0
    boot = evaluate.bootstrap_spearman(groups, truth, {"model": candidates[best], "base": base}, reps, seed)
    model_b = np.asarray(boot["model"], dtype=float)
    base_b = np.asarray(boot["base"], dtype=float) if base_name != "none" else np.zeros_like(model_b)
    base_b = np.where(np.isnan(base_b), 0.0, base_b)  # a constant baseline ranks nothing: ρ 0
    lo, hi = evaluate.interval(model_b)
    dlo, dhi = evaluate.interval(model_b - base_b)
    beats = bool(dlo == dlo and dlo > 0)
    who = WHO[name]
    gain = figure - base_figure
    if beats:
        if gain < SLIGHT:  # real but small: two decimals would read "0.95 vs 0.95"
            sentence = (
                f"Ranks {who} only slightly better than {base_words}: {RHO} {figure:.3f} vs "
                f"{base_figure:.3f} (difference {_ci(dlo, dhi, 3)})."
            )
        else:
            how = "far better" if gain >= FAR else "better"
            sentence = (
                f"Ranks {who} {how} than {base_words}: {RHO} {_f(figure)} ({_ci(lo, hi)}) vs "
                f"{_f(base_figure)}."
            )
        rank_by = best
    else:
        sentence = (
            f"Ranks {who} no better than {base_words} on this data: {RHO} {_f(figure)} ({_ci(lo, hi)}) "
            f"vs {_f(base_figure)} — `predict` ranks them by {base_words}."
        )
        rank_by = base_name
    return {
        "sentence": sentence,
        "beats_baseline": beats,
        "rank_by": rank_by,
        "metric": "spearman",
        "figure": figure,
        "ci": [lo, hi],
        "by": best,
        "figures": figures,
        "baseline": base_name,
        "baseline_figure": base_figure,
        "difference_ci": [dlo, dhi],
        "authors": int(pd.Series(groups).nunique()),
        "posts": len(scores),
    }


def _drafts_verdict(scores: pd.DataFrame, reps: int, seed: int) -> dict[str, Any]:
    groups = scores["author"].to_numpy(dtype=object)
    truth = (
        scores["truth"].to_numpy(dtype=float)
        if "truth" in scores.columns
        else scores["target"].to_numpy(dtype=float)
    )
    by_group = {
        "model": evaluate.pairwise_by_group(groups, truth, scores["model_order"].to_numpy(dtype=float))
    }
    right = sum(r for r, _ in by_group["model"].values())
    pairs = sum(n for _, n in by_group["model"].values())
    figure = right / pairs if pairs else float("nan")
    boot = evaluate.bootstrap_pairwise(by_group, reps, seed)
    lo, hi = evaluate.interval(boot.get("model", []))
    beats = bool(lo == lo and lo > 0.5)
    tied = evaluate.tied_group_share(groups, scores["model_order"].to_numpy(dtype=float))
    if beats:
        sentence = (
            f"Tells one account's drafts apart better than chance, if modestly: right on {100 * figure:.0f} % of pairs "
            f"of its posts ({_ci(lo, hi)}) where chance is 50 % — post the top-ranked draft first."
        )
        rank_by = "times_usual"
    else:
        sentence = (
            f"Cannot tell one account's drafts apart better than chance on this data — {_f(figure)} of pairs "
            f"in the right order ({_ci(lo, hi)}), chance 0.50; images or exact posting times would help."
        )
        rank_by = "none"
    return {
        "sentence": sentence,
        "beats_baseline": beats,
        "rank_by": rank_by,
        "metric": "pairwise",
        "figure": figure,
        "ci": [lo, hi],
        "by": "times_usual",
        "baseline": "chance",
        "baseline_figure": 0.5,
        "difference_ci": [lo - 0.5, hi - 0.5],
        "tied_authors": tied,
        "authors": int(pd.Series(groups).nunique()),
        "posts": len(scores),
        "pairs": int(pairs),
    }


def verdicts(
    author_scores: Mapping[str, pd.DataFrame], reps: int = REPS, seed: int = SEED
) -> dict[str, dict[str, Any]]:
    """One verdict per situation from its author-split held-out rows (see the module doc).

    ``author_scores[situation]`` has ``author``, ``target`` and ``truth`` (the situation's figure
    scale and the log engagement), ``model_value``, ``model_probability``, ``model_order`` and the
    baselines' ``<name>_value`` columns (:class:`influence.models.train.TrainResult`).
    """
    out: dict[str, dict[str, Any]] = {}
    for name, scores in author_scores.items():
        if scores.empty:
            continue
        out[name] = (
            _drafts_verdict(scores, reps, seed)
            if name == "own_drafts"
            else _ranking_verdict(name, scores, reps, seed)
        )
    return out
