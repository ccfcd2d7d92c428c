"""Ordering scored posts by what ranked best on the author-split evaluation
(:func:`rank_predictions`), with a note on rows where the model does not beat its baseline."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from influence.models.prediction import Prediction


BASELINE_WORDS = {
    "followers": "follower count",
    "author_median": "the account's usual (median) engagement",
    "early_engagement": "engagement so far",
    "early_vs_usual": "engagement so far ÷ the account's usual",
}
SITUATION_WORDS = {"known_author": "known accounts", "new_author": "new accounts"}


def _level(p: Prediction, info: Mapping[str, Any], rank_by: str, fit: Mapping[str, float] | None) -> float:
    """The row's place on the log-engagement scale under ``rank_by``."""
    if (
        rank_by == "author_median"
        and info.get("usual") == info.get("usual")
        and info.get("usual") is not None
    ):
        return float(info["usual"])
    seen = info.get("seen")
    if rank_by in ("early_engagement", "early_vs_usual") and seen is not None and seen == seen:
        usual = info.get("usual")
        if rank_by == "early_vs_usual" and usual is not None and usual == usual:
            return float(seen) - float(usual)
        return float(seen)
    if rank_by == "followers" and fit:
        f = info.get("followers_log", math.nan)
        f = float(fit.get("fill", 0.0)) if f is None or f != f else float(f)
        return float(fit.get("intercept", 0.0)) + float(fit.get("slope", 0.0)) * f
    return float(np.log1p(p.predicted or 0.0))


def _rematch(keys: np.ndarray, members: list[int], order_by: np.ndarray, tiebreak: np.ndarray) -> None:
    """Give ``members`` their own key values, re-dealt in the order of ``order_by`` (highest
    first): the group keeps its places in the batch, ``order_by`` decides who takes which
    (``tiebreak`` records that order for members left with equal keys)."""
    values = np.sort(keys[members])[::-1]
    ranked = [members[i] for i in np.argsort(-order_by, kind="stable")]
    keys[ranked] = values
    tiebreak[ranked] = np.arange(len(ranked))


def rank_predictions(
    preds: list[Prediction], info: list[Mapping[str, Any]], verdicts: Mapping[str, Mapping[str, Any]]
) -> list[Prediction]:
    """Order scored rows by what ranked best on the author-split evaluation (``verdicts`` of
    ``model.json``) and say on a row when the model cannot beat its baseline.

    Each situation ranks by its verdict's ``rank_by``: the model's ``predicted`` engagement, its
    ``viral_probability``, or the baseline it could not beat (follower count, the account's
    usual). One account's drafts are then put in the order of the own-drafts ranker when it
    beats chance (``times_usual``); otherwise they keep the situation's order and the row says
    the model cannot tell them apart. A model without verdicts (older) ranks by probability.
    """
    if not preds:
        return preds
    if not verdicts:
        return sorted(preds, key=lambda p: -(p.viral_probability or 0.0))
    keys = np.zeros(len(preds))
    tiebreak = np.zeros(len(preds))
    for i, p in enumerate(preds):
        v = verdicts.get(p.basis or "", {})
        rank_by = str(v.get("rank_by") or "predicted")
        p.rank_by = rank_by
        keys[i] = _level(p, info[i], rank_by, v.get("baseline_fit"))
        if v and not v.get("beats_baseline", True):
            words = BASELINE_WORDS.get(rank_by, rank_by)
            p.note = (
                f"the model does not beat {words} for {SITUATION_WORDS.get(p.basis or '', 'these posts')} "
                f"({v.get('figure', math.nan):.2f} vs {v.get('baseline_figure', math.nan):.2f}): ranked by {words}"
            )
    for basis in {
        p.basis for p in preds
    }:  # a probability ranks within its situation, on its engagement scale
        members = [i for i, p in enumerate(preds) if p.basis == basis and p.rank_by == "viral_probability"]
        if len(members) > 1:
            _rematch(keys, members, np.array([preds[i].viral_probability or 0.0 for i in members]), tiebreak)
    drafts = verdicts.get("own_drafts", {})
    by_author: dict[Any, list[int]] = {}
    for i, p in enumerate(preds):
        if p.basis == "known_author" and info[i].get("author") is not None:
            by_author.setdefault(info[i]["author"], []).append(i)
    for members in by_author.values():
        if len(members) < 2:
            continue
        if drafts.get("beats_baseline") and all("draft_score" in info[i] for i in members):
            _rematch(keys, members, np.array([info[i]["draft_score"] for i in members]), tiebreak)
            for i in members:
                preds[i].rank_by = f"{preds[i].rank_by}+times_usual"
        elif drafts:
            for i in members:
                extra = (
                    f"cannot tell this account's drafts apart better than chance on this data "
                    f"({drafts.get('figure', math.nan):.2f} of pairs right)"
                )
                preds[i].note = f"{preds[i].note}; {extra}" if preds[i].note else extra
    order = np.lexsort((tiebreak, -keys))  # by key, then the order the group was re-dealt in
    return [preds[i] for i in order]
