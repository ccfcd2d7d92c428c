"""Scored draft posts for the HTML report: ``influence predict --format json`` read back through
:class:`~influence.models.predict.Prediction`, with captions and authors from the drafts file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from influence.errors import InfluenceError, InputError
from influence.glossary import flag_words


def read_predictions(path: Path) -> tuple[list[dict[str, Any]], str | None]:
    """Scored draft posts from ``influence predict --format json`` output (each row read with
    :meth:`~influence.models.predict.Prediction.from_dict`), and a note when unusable."""
    from influence.models.prediction import Prediction

    hint = "write it with `influence predict DRAFTS --format json > FILE`"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return [], f"cannot read predictions file {path} ({e}) — {hint}"
    if not isinstance(raw, list):
        return [], f"{path} does not hold a list of predictions — {hint}"
    try:
        predictions = [Prediction.from_dict(p, f"{path}, row {i + 1}") for i, p in enumerate(raw)]
    except InputError as e:
        return [], str(e)
    if not predictions:
        return [], f"{path} holds no predictions — {hint}"
    return [_scored(p) for p in predictions], None


def _scored(p: Any) -> dict[str, Any]:
    """One :class:`~influence.models.predict.Prediction` as the report's row (flags in words)."""
    flags = [flag_words(f) for f in p.flags]
    return {
        "id": p.id,
        "caption": None,  # from the drafts file (add_draft_text)
        "author": None,
        "probability": p.viral_probability,
        "velocity": p.predicted,
        "times_usual": p.times_usual,
        "basis": (p.basis or "").replace("_", " ") or None,
        "up": list(p.up),
        "down": list(p.down),
        "unsafe": p.safe is False or (p.safe is None and bool(flags)),
        "checked": p.safe is not None or bool(flags),
        "flags": flags,
        "error": p.error,
        "note": p.note,
    }


def add_draft_text(scored: list[dict[str, Any]], drafts: Path) -> str | None:
    """Fill each scored draft's caption and author from the drafts file, matched by ``id``.

    ``drafts`` is what ``influence predict`` read (CSV, JSON, gallery-dl output). Returns a note
    when the file cannot be read or shares no id with the predictions; scores are kept either way.
    """
    from influence.models.predict import read_drafts

    try:
        rows = read_drafts(drafts)
    except InfluenceError as e:
        return f"Captions not shown: {e}"
    by_id = {str(r.get("id")): r for r in rows if isinstance(r, Mapping) and r.get("id") is not None}
    matched = 0
    for p in scored:
        row = by_id.get(str(p["id"]))
        if row is None:
            continue
        matched += 1
        caption, author = row.get("caption") or row.get("text"), row.get("author")
        if not p.get("caption") and isinstance(caption, str) and caption.strip():
            p["caption"] = caption
        if not p.get("author") and isinstance(author, str) and author.strip():
            p["author"] = author.strip().lstrip("@")
    if not matched:
        return (
            f"Captions not shown: no draft id in {drafts} matches the predictions — pass the file "
            "`influence predict` scored."
        )
    return None
