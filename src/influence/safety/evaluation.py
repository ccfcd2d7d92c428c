"""Precision and recall of each brand-safety check on a labelled set of captions, and the
false-alarm rate on real captions.

The set (``tests/fixtures/safety/labelled.csv``: ``label,text``) has four labels: ``hateful``
(hate speech without profanity), ``profane`` (swearing without hate), ``violent`` (threats and
reports of violence) and ``harmless``. Each check is judged against the label it is meant to
catch (:data:`TARGETS`); ``any flag`` against everything but ``harmless``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from influence.safety.checks import check_safety
from influence.safety.policy import Policy

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
        fired = [
            not r.safe
            if check == "any flag"
            else any(
                d.check == check if check in _CHECKS else (d.check == "policy_terms" and d.category == check)
                for d in r.details
            )
            for r in results
        ]
        positive = [label in target for label in labels]
        if not any(positive):
            continue
        tp = sum(f and p for f, p in zip(fired, positive, strict=True))
        flagged, actual = sum(fired), sum(positive)
        rows.append(
            {
                "check": check,
                "target": "/".join(target),
                "n": actual,
                "flagged": flagged,
                "tp": tp,
                "precision": tp / flagged if flagged else None,
                "recall": tp / actual if actual else None,
                "missed": [t for t, f, p in zip(texts, fired, positive, strict=True) if p and not f],
                "false_alarms": [t for t, f, p in zip(texts, fired, positive, strict=True) if f and not p],
            }
        )
    return rows


#: the labelled set of the rule matchers' kinds: ``kind,lang,theme,text``; the rules were written
#: from the dev half only, the test half was committed before them (README, "Brand safety: kinds")
KIND_LABELS = ("threat", "dehumanisation", "incitement", "harassment")
BENIGN = "benign"


def evaluate_kinds(rows: Sequence[Mapping[str, str]], policy: Policy) -> dict[str, Any]:
    """Precision and recall of each kind of :mod:`influence.safety.rules` on labelled
    ``rows`` (``kind``, ``lang``, ``theme``, ``text``; kind is one of :data:`KIND_LABELS` or
    ``benign``), and the false alarms on the benign near-misses.

    Returns ``{"kinds": [{kind, n, flagged, tp, precision, recall, missed, wrong}],
    "benign": {n, flagged_by_rules, rate_rules, flagged_any, rate_any, by_rules, by_any},
    "any_recall": {kind: share of that kind's captions with any flag}}``: ``wrong`` lists
    captions flagged as the kind but labelled otherwise; ``by_rules`` (benign captions a kind
    flagged) and ``by_any`` (benign captions any check flagged, with the flags) are
    ``(text, flags)`` pairs. Precision is None when nothing was flagged.
    """
    texts = [r["text"] for r in rows]
    labels = [r["kind"] for r in rows]
    results = check_safety(texts, None, policy, languages=[r.get("lang") or None for r in rows])
    kinds_of = [{d.category for d in res.details if d.check == "speech_rules"} for res in results]
    out: dict[str, Any] = {"kinds": [], "any_recall": {}}
    for kind in KIND_LABELS:
        fired = [kind in k for k in kinds_of]
        positive = [label == kind for label in labels]
        tp = sum(f and p for f, p in zip(fired, positive, strict=True))
        flagged, n = sum(fired), sum(positive)
        out["kinds"].append(
            {
                "kind": kind,
                "n": n,
                "flagged": flagged,
                "tp": tp,
                "precision": tp / flagged if flagged else None,
                "recall": tp / n if n else None,
                "missed": [t for t, f, p in zip(texts, fired, positive, strict=True) if p and not f],
                "wrong": [
                    (t, lab)
                    for t, f, p, lab in zip(texts, fired, positive, labels, strict=True)
                    if f and not p
                ],
            }
        )
        if n:
            out["any_recall"][kind] = (
                sum(1 for res, p in zip(results, positive, strict=True) if p and not res.safe) / n
            )
    benign = [
        (t, res, k) for t, res, k, lab in zip(texts, results, kinds_of, labels, strict=True) if lab == BENIGN
    ]
    by_rules = [(t, [f for f in res.flags if f.split(":", 1)[0] in KIND_LABELS]) for t, res, k in benign if k]
    by_any = [(t, list(res.flags)) for t, res, _k in benign if not res.safe]
    n = len(benign)
    out["benign"] = {
        "n": n,
        "flagged_by_rules": len(by_rules),
        "rate_rules": len(by_rules) / n if n else None,
        "flagged_any": len(by_any),
        "rate_any": len(by_any) / n if n else None,
        "by_rules": by_rules,
        "by_any": by_any,
    }
    return out


def crawl_captions(paths: Sequence[Path]) -> tuple[list[dict[str, str]], list[str]]:
    """Every non-empty caption of instagram-profilecrawl profile files (``posts[].description``),
    read in place: ``{"profile", "post", "text"}`` each, and the files that could not be read
    (with the reason)."""
    captions: list[dict[str, str]] = []
    unreadable: list[str] = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            unreadable.append(f"{path}: {e}")
            continue
        posts = data.get("posts") if isinstance(data, dict) else None
        for post in posts if isinstance(posts, list) else []:
            text = post.get("description") if isinstance(post, dict) else None
            if isinstance(text, str) and text.strip():
                captions.append({"profile": path.stem, "post": str(post.get("url") or ""), "text": text})
    return captions, unreadable


def crawl_flags(captions: Sequence[Mapping[str, str]], policy: Policy) -> dict[str, Any]:
    """The brand-safety verdicts on real captions: ``{"n", "flagged_rules": [...], "flagged_any": [...],
    "by_check": {category: posts}}``; each flagged entry is the caption's ``profile``, ``post``,
    ``text`` and ``flags`` (``flagged_rules``: the rule matchers' kinds only)."""
    results = check_safety([c["text"] for c in captions], None, policy)
    rules: list[dict[str, Any]] = []
    anyflag: list[dict[str, Any]] = []
    by_check: dict[str, int] = {}
    for cap, res in zip(captions, results, strict=True):
        if res.safe:
            continue
        entry = {**cap, "flags": list(res.flags)}
        anyflag.append(entry)
        for cat in {d.category for d in res.details}:
            by_check[cat] = by_check.get(cat, 0) + 1
        kinds = [f for f in res.flags if f.split(":", 1)[0] in KIND_LABELS]
        if kinds:
            rules.append({**cap, "flags": kinds})
    return {
        "n": len(captions),
        "flagged_rules": rules,
        "flagged_any": anyflag,
        "by_check": dict(sorted(by_check.items(), key=lambda kv: -kv[1])),
    }
