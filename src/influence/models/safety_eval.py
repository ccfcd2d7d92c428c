"""Precision and recall of each brand-safety check on a labelled set of captions.

The set (``tests/fixtures/safety/labelled.csv``: ``label,text``) has four labels: ``hateful``
(hate speech without profanity), ``profane`` (swearing without hate), ``violent`` (threats and
reports of violence) and ``harmless``. Each check is judged against the label it is meant to
catch (:data:`TARGETS`); ``any flag`` against everything but ``harmless``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from influence.models.safety import Policy, check_safety

#: check (a flag's ``category``, or a model check) → the label it should catch
TARGETS: dict[str, tuple[str, ...]] = {
    "offensive_language": ("profane",),
    "hate_speech": ("hateful",),
    "hate_pattern": ("hateful",),
    "hate": ("hateful",),
    "violence": ("violent",),
    "any flag": ("hateful", "profane", "violent"),
}
#: checks whose name is a model or rule (the rest are term categories of the policy)
_CHECKS = ("offensive_language", "hate_speech", "hate_pattern")


def evaluate_checks(texts: Sequence[str], labels: Sequence[str], policy: Policy) -> list[dict[str, Any]]:
    """One row per check of :data:`TARGETS`: ``check``, ``target``, ``flagged``, ``tp``,
    ``precision``, ``recall`` (None when undefined) and ``missed`` (texts of the target label
    the check did not flag)."""
    results = check_safety(list(texts), None, policy)
    rows: list[dict[str, Any]] = []
    for check, target in TARGETS.items():
        fired = [not r.safe if check == "any flag" else
                 any(d.check == check if check in _CHECKS else (d.check == "policy_terms" and d.category == check)
                     for d in r.details)
                 for r in results]
        positive = [label in target for label in labels]
        if not any(positive):
            continue
        tp = sum(f and p for f, p in zip(fired, positive, strict=True))
        flagged, actual = sum(fired), sum(positive)
        rows.append({
            "check": check, "target": "/".join(target), "n": actual, "flagged": flagged, "tp": tp,
            "precision": tp / flagged if flagged else None, "recall": tp / actual if actual else None,
            "missed": [t for t, f, p in zip(texts, fired, positive, strict=True) if p and not f],
            "false_alarms": [t for t, f, p in zip(texts, fired, positive, strict=True) if f and not p],
        })
    return rows
