"""The campaign reach planner: greedy maximum coverage of the accounts' audiences within a budget
(of accounts or of cost), next to the top K by followers on the same objective."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.analytics.audience.members import (
    MIN_KNOWN_FOLLOWERS,
    audiences,
    coverage_rows,
    coverage_warnings,
    entry_is_thin,
    entry_words,
    floor_words,
)
from influence.analytics.audience.quality import quality
from influence.errors import ConfigError, InputError


@dataclass
class Pick:
    """One account the planner picked: its audience, what it added, and the running total."""

    rank: int
    id: str
    username: str
    followers: int | None
    audience: int
    gain: float
    reach: float
    cost: float | None


@dataclass
class Plan:
    """A greedy plan next to the top K by followers, on the same objective (distinct reach)."""

    picks: list[Pick]
    reach: float
    baseline: list[Pick]
    baseline_reach: float
    candidates: int
    budget: float
    objective: str  # "distinct audience" | "expected engaged audience"
    costs: bool
    notes: list[str] = field(default_factory=list)
    #: the picked accounts' coverage rows (see :class:`Overlap`) and warnings about thin coverage
    coverage: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """One row per pick of both plans: ``plan`` (``greedy`` / ``top_followers``), ``rank, id,
        username, followers, audience, gain, reach, cost`` (reach in people, or expected people)."""
        return [
            {
                "plan": name,
                "rank": k.rank,
                "id": k.id,
                "username": k.username,
                "followers": k.followers,
                "audience": k.audience,
                "gain": k.gain,
                "reach": k.reach,
                "cost": k.cost,
            }
            for name, picks in (("greedy", self.picks), ("top_followers", self.baseline))
            for k in picks
        ]

    @property
    def gain_over_baseline(self) -> float:
        """The plan's reach relative to the top by followers, minus one (0.25 = 25 % more; 0 without a baseline)."""
        return (self.reach / self.baseline_reach - 1.0) if self.baseline_reach else 0.0

    def followers_known(self) -> tuple[int, int]:
        """``(followers the graph knows, followers by the profiles)`` of the picked accounts whose
        follower count is known."""
        known = sum(c["known_followers"] for c in self.coverage)
        counted = sum(c["followers"] or 0 for c in self.coverage if c["coverage"] is not None)
        return known, counted


def greedy_coverage(
    sets: Mapping[str, set[str]],
    budget: float,
    costs: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[str, float]]:
    """Greedy maximum coverage: ``[(account, gain), …]`` in the order picked.

    Without ``costs``: ``int(budget)`` picks, each the largest marginal gain (ties: smallest
    id). With ``costs`` (all > 0): the cost-effective greedy — the largest gain ÷ cost that still
    fits the budget — or the single best affordable account when that reaches more. ``weights``
    (0..1, default 1) make a member's value the chance that at least one picked account engages
    them. Lazy evaluation (gains only shrink), so O(n log n) set scans in practice.
    """
    import heapq

    remaining: dict[str, float] = {}

    def gain(k: str) -> float:
        w = 1.0 if weights is None else weights.get(k, 1.0)
        if w <= 0.0:
            return 0.0
        return sum(w * remaining.get(m, 1.0) for m in sets[k])

    def cost_of(k: str) -> float:
        return 1.0 if costs is None else costs[k]

    if costs is not None and any(c <= 0 for c in costs.values()):
        raise ConfigError("costs must be > 0")
    limit = float(int(budget)) if costs is None else float(budget)
    heap = [(-gain(k) / cost_of(k), k) for k in sorted(sets)]
    heapq.heapify(heap)
    picked: list[tuple[str, float]] = []
    spent = 0.0
    while heap:
        neg, k = heapq.heappop(heap)
        if spent + cost_of(k) > limit + 1e-9:
            continue
        fresh = gain(k) / cost_of(k)
        if heap and fresh < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-fresh, k))
            continue
        if fresh <= 0.0:
            break
        g = gain(k)
        w = 1.0 if weights is None else weights.get(k, 1.0)
        for m in sets[k]:
            remaining[m] = remaining.get(m, 1.0) * (1.0 - w)
        picked.append((k, g))
        spent += cost_of(k)
    if costs is not None:
        affordable = [k for k in sets if costs[k] <= limit]
        if affordable:
            best = max(sorted(affordable), key=lambda k: _value({k}, sets, weights))
            if _value({best}, sets, weights) > sum(g for _, g in picked):
                return [(best, _value({best}, sets, weights))]
    return picked


def _value(
    chosen: set[str] | Sequence[str], sets: Mapping[str, set[str]], weights: Mapping[str, float] | None
) -> float:
    miss: dict[str, float] = {}
    for k in chosen:
        w = 1.0 if weights is None else weights.get(k, 1.0)
        for m in sets[k]:
            miss[m] = miss.get(m, 1.0) * (1.0 - w)
    return sum(1.0 - v for v in miss.values())


def plan(
    driver: Driver,
    budget: float,
    *,
    community: int | None = None,
    region: str | None = None,
    cost_column: str | None = None,
    engagement: bool = False,
    source: str = "all",
    candidates: int = 2000,
    min_quality: float | None = None,
    database: str | None = None,
    min_known: int = MIN_KNOWN_FOLLOWERS,
) -> Plan:
    """Pick accounts that together reach the most distinct audience (see the module docstring).

    ``budget``: the number of accounts, or with ``cost_column`` (a ``User`` property) the total
    cost. ``candidates``: the most-followed accounts with an audience considered (in the
    community / region). ``engagement``: weight by ``User.engagementRate`` (from
    ``influence analyze``; accounts without one count as 0). ``min_quality``: leave out accounts
    whose audience quality (:func:`quality`) is below it. ``min_known``: leave out accounts
    with fewer followers known (:func:`is_thin`) (``source`` all or followers). Raises
    :class:`InputError` when no candidate is left, :class:`ConfigError` for a bad budget or cost
    column.
    """
    if budget <= 0:
        raise ConfigError(f"--budget must be > 0, got {budget}")
    if cost_column is not None and not cost_column.replace("_", "").isalnum():
        raise ConfigError(f"--cost-column must be a property name, got {cost_column!r}")
    info = _candidates(driver, community, region, cost_column, candidates, database)
    notes: list[str] = []
    costs: dict[str, float] | None = None
    if cost_column is not None:
        info, costs = _with_costs(info, cost_column, notes)
    if min_quality is not None:
        info = _above_quality(driver, info, min_quality, notes, database)
    members = audiences(driver, list(info), source, database)
    if source != "engagers":
        members = _known_enough(info, members, min_known, notes)
    sets = {k: members[k]["audience"] for k in info if k in members and members[k]["audience"]}
    weights = _engagement_weights(info, sets) if engagement else None
    picked = greedy_coverage(sets, budget, costs, weights)
    picks = _as_picks([k for k, _ in picked], sets, weights, info, costs)
    baseline = _as_picks(_top_by_followers(sets, info, budget, costs), sets, weights, info, costs)
    cov = coverage_rows(members, [p.id for p in picks])
    return Plan(
        coverage=cov,
        warnings=coverage_warnings(cov, source),
        picks=picks,
        reach=picks[-1].reach if picks else 0.0,
        baseline=baseline,
        baseline_reach=baseline[-1].reach if baseline else 0.0,
        candidates=len(sets),
        budget=budget,
        objective="expected engaged audience" if engagement else "distinct audience",
        costs=costs is not None,
        notes=notes,
    )


def _candidates(
    driver: Driver,
    community: int | None,
    region: str | None,
    cost_column: str | None,
    limit: int,
    database: str | None,
) -> dict[str, dict[str, Any]]:
    """The most-followed accounts with an audience (in the community / region), by id."""
    rows = db.read(
        driver,
        cypher.load("audience_candidates"),
        {"community": community, "region": region, "costColumn": cost_column, "limit": limit},
        database=database,
    )
    if not rows:
        where = " and ".join(
            x
            for x in (
                f"community {community}" if community is not None else "",
                f"region {region}" if region else "",
            )
            if x
        )
        raise InputError(
            f"no account with a loaded audience{' in ' + where if where else ''} — load follower "
            "lists or likes first, or widen --community / --region"
        )
    return {r["id"]: dict(r) for r in rows}


def _with_costs(
    info: dict[str, dict[str, Any]], cost_column: str, notes: list[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, float]]:
    """The candidates with a positive cost, and their costs; a note for the ones left out."""
    costs: dict[str, float] = {}
    for k, r in info.items():
        try:
            c = float(r["cost"])
        except (TypeError, ValueError):
            continue
        if math.isfinite(c) and c > 0:
            costs[k] = c
    if not costs:
        raise ConfigError(f"no candidate has a positive number in the User property {cost_column!r}")
    if len(costs) < len(info):
        notes.append(f"{len(info) - len(costs):,} candidates without a positive {cost_column} left out")
        info = {k: v for k, v in info.items() if k in costs}
    return info, costs


def _above_quality(
    driver: Driver,
    info: dict[str, dict[str, Any]],
    min_quality: float,
    notes: list[str],
    database: str | None,
) -> dict[str, dict[str, Any]]:
    """The candidates whose audience quality is ``min_quality`` or more (unscored ones kept)."""
    scores = {r["id"]: r["score"] for r in quality(driver, list(info), database=database)}
    low = {k for k in info if scores.get(k) is not None and scores[k] < min_quality}
    if low:
        notes.append(f"{len(low):,} candidates with audience quality below {min_quality:g} left out")
        info = {k: v for k, v in info.items() if k not in low}
    if not info:
        raise InputError(
            f"no candidate has an audience quality of {min_quality:g} or more — lower --min-quality"
        )
    return info


def _known_enough(
    info: Mapping[str, Any], members: dict[str, dict[str, Any]], min_known: int, notes: list[str]
) -> dict[str, dict[str, Any]]:
    """The members of the candidates whose audience is not thin; InputError when all of them are."""
    thin = [k for k in info if k in members and entry_is_thin(members[k], min_known)]
    if thin and len(thin) == len([k for k in info if k in members]):
        worst = sorted(thin, key=lambda k: -(members[k]["followers"] or 0))[:3]
        raise InputError(
            f"every candidate has {floor_words(min_known)}, so no reach can be planned — "
            + "; ".join(entry_words(members[k]) for k in worst)
            + (f" (and {len(thin) - len(worst):,} more)" if len(thin) > len(worst) else "")
            + ". Load follower lists (`influence load follows`, gallery-dl follower dumps), plan on people who "
            "interact with them with --source engagers, or lower --min-known-followers"
        )
    if thin:
        notes.append(f"{len(thin):,} candidates with {floor_words(min_known)} left out")
        members = {k: v for k, v in members.items() if k not in set(thin)}
    return members


def _engagement_weights(
    info: Mapping[str, Mapping[str, Any]], sets: Mapping[str, set[str]]
) -> dict[str, float]:
    """Each candidate's engagement rate clamped to 0..1; InputError when none has one."""
    weights = {k: min(1.0, max(0.0, float(info[k]["engagementRate"] or 0.0))) for k in sets}
    if not any(weights.values()):
        raise InputError(
            "no candidate has an engagement rate — run `influence analyze` first, or plan without --engagement"
        )
    return weights


def _top_by_followers(
    sets: Mapping[str, set[str]],
    info: Mapping[str, Mapping[str, Any]],
    budget: float,
    costs: Mapping[str, float] | None,
) -> list[str]:
    """The baseline: the most-followed candidates that fit the budget."""
    by_followers = sorted(sets, key=lambda k: (-(info[k]["followers"] or len(sets[k])), k))
    if costs is None:
        return by_followers[: int(budget)]
    top: list[str] = []
    spent = 0.0
    for k in by_followers:
        if spent + costs[k] <= budget:
            top.append(k)
            spent += costs[k]
    return top


def _as_picks(
    order: Sequence[str],
    sets: Mapping[str, set[str]],
    weights: Mapping[str, float] | None,
    info: Mapping[str, Mapping[str, Any]],
    costs: Mapping[str, float] | None,
) -> list[Pick]:
    """``order`` as Picks: each with what it adds to the reach of the ones before it."""
    out: list[Pick] = []
    chosen: list[str] = []
    before = 0.0
    for rank, k in enumerate(order, 1):
        chosen.append(k)
        total = _value(chosen, sets, weights)
        out.append(
            Pick(
                rank,
                k,
                info[k]["username"] or k,
                info[k]["followers"],
                len(sets[k]),
                total - before,
                total,
                None if costs is None else costs[k],
            )
        )
        before = total
    return out
