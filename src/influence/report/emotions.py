"""The emotions of viral posts: :func:`emotion_comparison` compares the emotions
(:mod:`influence.signals.emotions`) of the posts analytics labelled viral with the others
("what emotions your viral posts carry")."""

from __future__ import annotations

from typing import Any

import numpy as np
from neo4j import Driver

from influence import cypher, db
from influence.signals import emotions as emo

#: Columns of :func:`emotion_comparison` rows.
EMOTION_COLUMNS = ["emotion", "viral_share", "other_share", "viral_mean", "other_mean", "lift"]


def emotion_comparison(
    driver: Driver, lexicon: str = emo.DEFAULT_LEXICON, database: str | None = None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Per emotion (and ``arousal``): the share of viral and other posts whose caption carries
    it (``viral_share``, ``other_share``; arousal: share with arousal > 0), the mean feature
    value in each group and ``lift`` = viral_share / other_share (None when other_share is 0).
    Also the counts ``{"viral": n, "other": n, "captions": n, "read": n, "english": n}``: the
    group sizes, the labelled captions, those in which the lexicon found at least one emotion
    word (what it could read: the lexicons are English, so other languages mostly count as
    carrying no emotion) and those detected as English (``Post.language`` "en"). Rows are empty
    when nothing is labelled or no post is viral."""
    records = db.read(driver, cypher.load("report_emotion_posts"), {}, database)
    viral = np.array([bool(r["isViral"]) for r in records], dtype=bool)
    counts = {
        "viral": int(viral.sum()),
        "other": int((~viral).sum()),
        "captions": len(records),
        "read": 0,
        "english": sum(1 for r in records if str(r.get("language") or "").lower().startswith("en")),
    }
    if not records:
        return [], counts
    cols = emo.emotion_features([str(r["caption"]) for r in records], lexicon)
    counts["read"] = int(np.any(np.vstack([cols[f"emo_{name}"] > 0 for name in emo.EMOTIONS]), axis=0).sum())
    if not counts["viral"] or not counts["other"]:
        return [], counts
    rows = []
    for name in (*emo.EMOTIONS, "arousal"):
        values = cols[f"emo_{name}"]
        present = values > 0
        vs, os_ = float(present[viral].mean()), float(present[~viral].mean())
        rows.append(
            {
                "emotion": name,
                "viral_share": vs,
                "other_share": os_,
                "viral_mean": float(values[viral].mean()),
                "other_mean": float(values[~viral].mean()),
                "lift": vs / os_ if os_ > 0 else None,
            }
        )
    return rows, counts
