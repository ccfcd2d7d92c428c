"""Audience quality: a 0–100 score from the signals loaded data carries (see :data:`SIGNALS`),
each risk shown, worst accounts first."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.analytics.audience.members import coverage, is_thin, resolve_accounts

#: Signals of audience quality: key → plain words. Each is a risk in 0..1; the score is
#: 100 × (1 − their mean over the signals the data can measure).
SIGNALS: dict[str, str] = {
    "follows_many": "audience members who follow very many accounts",
    "no_profile": "audience members with no profile (never seen as an account)",
    "no_posts": "audience members with a profile but no posts",
    "engagement_off_tier": "engagement rate far from its follower tier (|z| from 1 to 4)",
    "follower_jump": "largest follower-count jump between scrapes (10 % to 50 %)",
}
#: "Follows very many": at least this many times the median number of accounts followed (over
#: the users of the graph that follow any; a percentile would move with the share of bots).
MANY_FOLLOWING_MEDIAN_FACTOR = 3.0
#: Accounts with a smaller audience are not scored (too few members to judge).
MIN_AUDIENCE = 5


def _risk_between(x: float, lo: float, hi: float) -> float:
    return min(1.0, max(0.0, (x - lo) / (hi - lo)))


def score_signals(row: Mapping[str, Any]) -> dict[str, Any]:
    """Risks (0..1, ``None`` when not measurable) and the 0–100 score from one quality row.

    ``row``: ``audience, followsMany, noProfile, profiled, noPosts, tierZ, history`` as
    ``audience_quality.cypher`` returns them. Pure.
    """
    n = int(row["audience"])
    risks: dict[str, float | None] = {
        "follows_many": row["followsMany"] / n if n else None,
        "no_profile": row["noProfile"] / n if n else None,
        "no_posts": row["noPosts"] / row["profiled"] if row["profiled"] else None,
        "engagement_off_tier": None
        if row["tierZ"] is None
        else _risk_between(abs(float(row["tierZ"])), 1.0, 4.0),
        "follower_jump": None,
    }
    history = [int(h) for h in (row.get("history") or []) if h is not None]
    if len(history) >= 2:
        jumps = [(b - a) / a for a, b in zip(history, history[1:], strict=False) if a > 0]
        if jumps:
            risks["follower_jump"] = _risk_between(max(jumps), 0.10, 0.50)
            row = {**row, "jump": max(jumps)}
    measured = [v for v in risks.values() if v is not None]
    score = 100.0 * (1.0 - sum(measured) / len(measured)) if measured else None
    return {"score": score, "risks": risks, "jump": row.get("jump")}


def following_threshold(driver: Driver, database: str | None = None) -> tuple[int, bool]:
    """``(followed accounts that count as "very many", whether the graph holds posts)`` (see :data:`SIGNALS`)."""
    rows = db.read(driver, cypher.load("audience_following_threshold"), database=database)
    if not rows or rows[0]["median"] is None:
        return 1_000_000, bool(rows and rows[0]["hasPosts"])
    return max(2, math.ceil(MANY_FOLLOWING_MEDIAN_FACTOR * float(rows[0]["median"]))), bool(
        rows[0]["hasPosts"]
    )


def quality(
    driver: Driver,
    ids: Sequence[str] | None = None,
    *,
    min_audience: int = MIN_AUDIENCE,
    database: str | None = None,
) -> list[dict[str, Any]]:
    """Audience quality of ``ids`` (or of every account with ``min_audience`` members), worst first.

    Rows: ``id, username, followers, audience, score`` (0–100, higher is a more genuine audience)
    and per signal of :data:`SIGNALS` its risk (0..1, ``None`` = not measured: the data cannot
    tell: "no posts" in a graph without posts, or — with three accounts or more — a risk above 0
    that is the same for all of them), plus the raw
    ``follows_many_threshold``, ``tier_z`` and ``follower_jump`` (relative, e.g. 0.6 = +60 %),
    ``known_followers`` and ``coverage`` (0..1, None without a follower count). An account with
    fewer than :data:`MIN_KNOWN_FOLLOWERS` followers, likers or commenters known (:func:`is_thin`) is ``thin``: its score (``thin`` is True): its
    signals would describe a handful of members, not its audience.
    """
    threshold, has_posts = following_threshold(driver, database)
    rows = db.read(
        driver,
        cypher.load("audience_quality"),
        {
            "ids": None if ids is None else list(dict.fromkeys([*ids, *(i.lower() for i in ids)])),
            "manyFollowing": threshold,
            "minAudience": 1 if ids is not None else min_audience,
        },
        database=database,
    )
    if ids is not None:
        resolve_accounts(ids, {r["id"]: r for r in rows})
    scored = [(r, score_signals(dict(r) if has_posts else {**dict(r), "profiled": 0})) for r in rows]
    if len(scored) >= 3:  # a risk that is the same for every account says more about the data than them
        _drop_uniform_risks([s for _, s in scored])
    out: list[dict[str, Any]] = []
    for r, s in scored:
        cov = coverage(r["followers"], r["knownFollowers"])
        thin = is_thin(r["followers"], r["knownFollowers"], known_engagers=r["knownEngagers"])
        out.append(
            {
                "id": r["id"],
                "username": r["username"] or r["id"],
                "followers": r["followers"],
                "audience": int(r["audience"]),
                "score": s["score"],
                **s["risks"],
                "follows_many_threshold": threshold,
                "tier_z": r["tierZ"],
                "follower_jump_ratio": s["jump"],
                "known_followers": int(r["knownFollowers"] or 0),
                "coverage": cov,
                "thin": thin,
            }
        )
    out.sort(key=lambda x: (x["score"] if x["score"] is not None else 101.0, x["id"]))
    return out


def _drop_uniform_risks(scores: Sequence[dict[str, Any]]) -> None:
    """Unmeasure (None) each signal whose risk is the same above 0 for every account, and rescore."""
    for key in SIGNALS:
        values = {s["risks"][key] for s in scores}
        if len(values) == 1 and None not in values and values != {0.0}:
            for s in scores:
                s["risks"][key] = None
                measured = [v for v in s["risks"].values() if v is not None]
                s["score"] = 100.0 * (1.0 - sum(measured) / len(measured)) if measured else None
