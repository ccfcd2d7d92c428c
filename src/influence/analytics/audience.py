"""The audience behind each account: overlap, a campaign reach planner, audience quality.

An account's **audience** is the set of users who follow it (``FOLLOWS``), liked or commented on
its posts (``LIKED``, ``COMMENTED``) or mention it in their posts (``MENTIONS``); ``source``
narrows it to followers or to engagers.

- :func:`overlap`: pairwise Jaccard |A ∩ B| / |A ∪ B| of the audiences of a set of accounts, by
  GDS Node Similarity over the projected account → member graph, with the shared counts and a
  matrix.
- :func:`plan`: greedy maximum coverage — pick the account that adds the most members not yet
  reached, K times (Nemhauser, Wolsey & Fisher 1978: within 1 − 1/e of the best K). With a cost
  per account and a budget, the cost-effective greedy (gain ÷ cost) against the best single
  affordable account (Khuller, Moss & Naor 1999). With ``engagement`` each member counts as the
  chance that at least one picked account engages them (1 − Π(1 − engagement rate)), which is
  still submodular. Compared with the top K by followers on the same objective.
- :func:`quality`: a 0–100 audience quality score from the signals loaded data carries (see
  :data:`SIGNALS`), each shown.

**Coverage.** Every figure counts the audience members the graph knows, which is rarely the whole
audience: a crawl of profiles carries no follower lists, a follower dump stops early. Each
account's coverage is the followers the graph knows (``FOLLOWS`` edges into it) against the
follower count on its profile (:func:`coverage`). Overlap, the planner and quality state it; an
account with fewer than :data:`MIN_KNOWN_FOLLOWERS` (1) followers, likers or commenters known —
an audience made only of accounts that mention it — is refused by :func:`overlap` and left
out by :func:`plan`, and :func:`quality` marks it ``thin``: its figures would describe a handful of
accounts that mention it — other creators talking about it, not its audience.
The floor counts people, not a share: a share of an audience, or an overlap, estimated from a
sample depends on how many members were seen, while the share seen of a big account is always
tiny (a follower dump of a 440,000-follower account stops after a few hundred). Below
:data:`WARN_COVERAGE` (10 %) of the followers known every figure carries a warning, since counts
of people reached (the planner's) cover only the known part. ``source="engagers"`` compares likers,
commenters and mentioners only: no follower floor applies, and the words say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from neo4j import Driver

from influence import cypher, db
from influence.analytics.projection import DEFAULT_CONCURRENCY, projected
from influence.errors import ConfigError, InputError

Source = Literal["all", "followers", "engagers"]
SOURCES: tuple[str, ...] = ("all", "followers", "engagers")

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
#: With fewer followers, likers and commenters known than this (and not all its followers), an
#: account's audience figures are refused (see the module docstring): by default, an audience made
#: only of accounts that mention it.
MIN_KNOWN_FOLLOWERS = 1


def floor_words(floor: int = MIN_KNOWN_FOLLOWERS) -> str:
    """The floor in words: "no follower, liker or commenter known" (1) or "fewer than 5 followers, …"."""
    if floor <= 1:
        return "no follower, liker or commenter known"
    return f"fewer than {floor} followers, likers or commenters known"


#: Below this share of its followers known, audience figures carry a warning.
WARN_COVERAGE = 0.10


def coverage(followers: Any, known_followers: Any) -> float | None:
    """Followers known ÷ the follower count (0..1, capped at 1); ``None`` when the count is unknown or 0."""
    if not isinstance(followers, int | float) or isinstance(followers, bool) or followers <= 0:
        return None
    return min(1.0, float(known_followers or 0) / float(followers))


def coverage_words(username: str, followers: Any, known_followers: Any, known_engagers: Any = None) -> str:
    """``"natgeo: 0 of 19,600,000 followers known (0.00 %)"`` (or "follower count unknown"), and
    ``", 12 likers or commenters"`` when ``known_engagers`` is given and above 0."""
    cov = coverage(followers, known_followers)
    engaged = f", {int(known_engagers):,} likers or commenters" if known_engagers else ""
    if cov is None:
        return f"{username}: {int(known_followers or 0):,} followers known, follower count unknown{engaged}"
    digits = 2 if cov >= 0.001 else 4
    return (
        f"{username}: {int(known_followers or 0):,} of {int(followers):,} followers known "
        f"({100 * cov:.{digits}f} %){engaged}"
    )


def is_thin(
    followers: Any, known_followers: Any, floor: int = MIN_KNOWN_FOLLOWERS, known_engagers: Any = 0
) -> bool:
    """Whether too little of the audience is known to stand for it: fewer than ``floor``
    followers, likers or commenters known (mentioners do not count), unless the profile's count
    says all followers are known."""
    known = int(known_followers or 0)
    if known + int(known_engagers or 0) >= floor:
        return False
    return coverage(followers, known) != 1.0


def _thin(entry: Mapping[str, Any], floor: int) -> bool:
    return is_thin(entry.get("followers"), entry.get("known_followers"), floor, entry.get("known_engagers"))


def _words(entry: Mapping[str, Any]) -> str:
    return coverage_words(
        entry["username"], entry.get("followers"), entry.get("known_followers"), entry.get("known_engagers")
    )


def _flags(source: str) -> dict[str, bool]:
    if source not in SOURCES:
        raise ConfigError(f"unknown audience source {source!r}; choose from {', '.join(SOURCES)}")
    return {"followers": source in ("all", "followers"), "engagers": source in ("all", "engagers")}


def audiences(
    driver: Driver, ids: Sequence[str], source: str = "all", database: str | None = None
) -> dict[str, dict[str, Any]]:
    """``{id: {"username", "followers", "audience": set of member ids}}`` for the accounts found.

    ``ids`` are account ids or usernames, matched as given and lower-cased (Instagram ids are
    lower-case usernames; other graphs' ids are the file's node ids and their usernames differ).
    """
    wanted = list(dict.fromkeys(ids))
    lookup = list(dict.fromkeys([*wanted, *(i.lower() for i in wanted)]))
    rows = db.read(
        driver, cypher.load("audience_members"), {"ids": lookup, **_flags(source)}, database=database
    )
    return {
        r["id"]: {
            "username": r["username"] or r["id"],
            "followers": r["followers"],
            "audience": set(r["audience"]),
            "known_followers": int(r["knownFollowers"] or 0),
            "known_engagers": int(r["knownEngagers"] or 0),
        }
        for r in rows
    }


def jaccard(a: set[str], b: set[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 for two empty sets."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


# --------------------------------------------------------------------------- overlap


@dataclass
class Overlap:
    """Audience overlap of a set of accounts.

    ``accounts``: ids in the order asked; ``sizes``: audience size per id; ``pairs``: one row per
    unordered pair ``{a, b, shared, jaccard, share_of_a, share_of_b}`` (shares in 0..1);
    ``matrix[i][j]``: Jaccard of accounts i and j (1.0 on the diagonal); ``union``: distinct
    members reached by all; ``shared_by_two``: members in at least two audiences;
    ``coverage``: per account ``{username, followers, known_followers, coverage}`` (coverage
    0..1 or None); ``warnings``: sentences for people when the coverage is thin.
    """

    accounts: list[str]
    usernames: list[str]
    sizes: list[int]
    pairs: list[dict[str, Any]]
    matrix: list[list[float]]
    union: int
    shared_by_two: int
    source: str
    coverage: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _coverage_rows(found: Mapping[str, Mapping[str, Any]], order: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {
            "username": found[i]["username"],
            "followers": found[i]["followers"],
            "known_followers": found[i]["known_followers"],
            "coverage": coverage(found[i]["followers"], found[i]["known_followers"]),
        }
        for i in order
    ]


def coverage_warnings(rows: Sequence[Mapping[str, Any]], source: str) -> list[str]:
    """Sentences for people about thin coverage in ``rows`` (from :class:`Overlap` ``coverage``)."""
    if source == "engagers":
        return [
            "the audience here is engagers only (likers, commenters, mentioners the graph knows), "
            "not followers: it says who interacts, not who sees the posts"
        ]
    thin = [r for r in rows if r["coverage"] is None or r["coverage"] < WARN_COVERAGE]
    if not thin:
        return []
    return [
        "these figures count only the audience members the graph knows — "
        + "; ".join(coverage_words(r["username"], r["followers"], r["known_followers"]) for r in thin)
    ]


def overlap(
    driver: Driver,
    ids: Sequence[str],
    source: str = "all",
    database: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    min_known: int = MIN_KNOWN_FOLLOWERS,
) -> Overlap:
    """Pairwise audience overlap of ``ids`` (at least two accounts that exist and have an audience).

    Jaccard comes from ``gds.nodeSimilarity`` over the account → member graph; the shared counts
    from it and the audience sizes (|A ∩ B| = J (|A| + |B|) / (1 + J)). Raises
    :class:`InputError` for unknown accounts, fewer than two with an audience, or (``source``
    all or followers) an account with fewer than ``min_known`` followers known (:func:`is_thin`).
    """
    found = audiences(driver, ids, source, database)
    order = _resolve(ids, found)
    empty = [found[i]["username"] for i in order if not found[i]["audience"]]
    if empty:
        raise InputError(
            f"no {source if source != 'all' else ''} audience loaded for {', '.join(empty)} — "
            "load its followers (`influence load follows`) or likers first".replace("  ", " ")
        )
    if source != "engagers":
        thin = [i for i in order if _thin(found[i], min_known)]
        if thin:
            raise InputError(
                "too little of their audience is loaded to compare: "
                + "; ".join(_words(found[i]) for i in thin)
                + f" — {floor_words(min_known)} (accounts that mention them do not count: they are other "
                "creators, not their audience). Load follower lists "
                "(`influence load follows`, gallery-dl follower dumps), compare people who interact with them "
                "with --source engagers, or lower --min-known-followers"
            )
    if len(order) < 2:
        raise InputError("give at least two accounts to compare")
    sims: dict[tuple[str, str], float] = {}
    with projected(
        driver,
        "audience",
        "audience_project",
        "audience_count",
        params={"ids": order, **_flags(source)},
        database=database,
    ) as graph:
        config = {"topK": len(order), "similarityCutoff": 1e-9, "concurrency": concurrency}
        rows = db.write(
            driver,
            cypher.load("audience_similarity"),
            {"graph": graph.name, "config": config},
            database=database,
        )
        for r in rows:
            sims[(r["a"], r["b"])] = float(r["jaccard"])
    sizes = [len(found[i]["audience"]) for i in order]
    pairs: list[dict[str, Any]] = []
    matrix = [[1.0 if i == j else 0.0 for j in range(len(order))] for i in range(len(order))]
    for i, a in enumerate(order):
        for j in range(i + 1, len(order)):
            b = order[j]
            jac = sims.get((a, b), sims.get((b, a), 0.0))
            matrix[i][j] = matrix[j][i] = jac
            shared = round(jac * (sizes[i] + sizes[j]) / (1.0 + jac))
            pairs.append(
                {
                    "a": found[a]["username"],
                    "b": found[b]["username"],
                    "shared": shared,
                    "jaccard": jac,
                    "share_of_a": shared / sizes[i],
                    "share_of_b": shared / sizes[j],
                }
            )
    counts: dict[str, int] = {}
    for a in order:
        for m in found[a]["audience"]:
            counts[m] = counts.get(m, 0) + 1
    cov = _coverage_rows(found, order)
    return Overlap(
        accounts=order,
        usernames=[found[a]["username"] for a in order],
        sizes=sizes,
        pairs=sorted(pairs, key=lambda p: -p["jaccard"]),
        matrix=matrix,
        union=len(counts),
        shared_by_two=sum(1 for c in counts.values() if c >= 2),
        source=source,
        coverage=cov,
        warnings=coverage_warnings(cov, source),
    )


def _resolve(ids: Sequence[str], found: Mapping[str, Any]) -> list[str]:
    """The account ids of ``ids`` (ids or usernames) in the order given; InputError for unknown ones."""
    by_name = {str(v["username"]): k for k, v in found.items() if v.get("username")}
    order: list[str] = []
    missing: list[str] = []
    for i in ids:
        key = i if i in found else (by_name[i] if i in by_name else i.lower())
        if key not in found:
            missing.append(i)
        elif key not in order:
            order.append(key)
    if missing:
        raise InputError(
            f"no account {', '.join(missing)} in the graph — check the names "
            "(`influence report influencers` lists accounts)"
        )
    return order


# --------------------------------------------------------------------------- planner


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


def plan(  # noqa: C901 — split by issue 21's tidy-up
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
    rows = db.read(
        driver,
        cypher.load("audience_candidates"),
        {
            "community": community,
            "region": region,
            "costColumn": cost_column,
            "limit": candidates,
        },
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
    info = {r["id"]: dict(r) for r in rows}
    notes: list[str] = []
    costs: dict[str, float] | None = None
    if cost_column is not None:
        costs = {}
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
    if min_quality is not None:
        scores = {r["id"]: r["score"] for r in quality(driver, list(info), database=database)}
        low = [k for k in info if scores.get(k) is not None and scores[k] < min_quality]
        if low:
            notes.append(f"{len(low):,} candidates with audience quality below {min_quality:g} left out")
            info = {k: v for k, v in info.items() if k not in set(low)}
        if not info:
            raise InputError(
                f"no candidate has an audience quality of {min_quality:g} or more — lower --min-quality"
            )
    members = audiences(driver, list(info), source, database)
    if source != "engagers":
        thin = [k for k in info if k in members and _thin(members[k], min_known)]
        if thin and len(thin) == len([k for k in info if k in members]):
            worst = sorted(thin, key=lambda k: -(members[k]["followers"] or 0))[:3]
            raise InputError(
                f"every candidate has {floor_words(min_known)}, so no reach can be planned — "
                + "; ".join(_words(members[k]) for k in worst)
                + (f" (and {len(thin) - len(worst):,} more)" if len(thin) > len(worst) else "")
                + ". Load follower lists (`influence load follows`, gallery-dl follower dumps), plan on people who "
                "interact with them with --source engagers, or lower --min-known-followers"
            )
        if thin:
            notes.append(f"{len(thin):,} candidates with {floor_words(min_known)} left out")
            members = {k: v for k, v in members.items() if k not in set(thin)}
    sets = {k: members[k]["audience"] for k in info if k in members and members[k]["audience"]}
    weights: dict[str, float] | None = None
    if engagement:
        weights = {k: min(1.0, max(0.0, float(info[k]["engagementRate"] or 0.0))) for k in sets}
        if not any(weights.values()):
            raise InputError(
                "no candidate has an engagement rate — run `influence analyze` first, "
                "or plan without --engagement"
            )
    picked = greedy_coverage(sets, budget, costs, weights)

    def as_picks(order: Sequence[str]) -> list[Pick]:
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

    by_followers = sorted(sets, key=lambda k: (-(info[k]["followers"] or len(sets[k])), k))
    top: list[str] = []
    spent = 0.0
    for k in by_followers:
        c = 1.0 if costs is None else costs[k]
        if (costs is None and len(top) >= int(budget)) or (costs is not None and spent + c > budget):
            if costs is None:
                break
            continue
        top.append(k)
        spent += c
    picks = as_picks([k for k, _ in picked])
    baseline = as_picks(top)
    cov = _coverage_rows(members, [p.id for p in picks])
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


# --------------------------------------------------------------------------- quality


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
        _resolve(ids, {r["id"]: r for r in rows})
    scored = [(r, score_signals(dict(r) if has_posts else {**dict(r), "profiled": 0})) for r in rows]
    if len(scored) >= 3:  # a risk that is the same for every account says more about the data than them
        for key in SIGNALS:
            values = {s["risks"][key] for _, s in scored}
            if len(values) == 1 and None not in values and values != {0.0}:
                for _row, s in scored:
                    s["risks"][key] = None
                    measured = [v for v in s["risks"].values() if v is not None]
                    s["score"] = 100.0 * (1.0 - sum(measured) / len(measured)) if measured else None
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
