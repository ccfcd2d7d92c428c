"""Influence: INTERACTS from interactions, centrality (PageRank …), engagement rate by tier.

- ``INTERACTS {weight, mentions, features, likes, comments, coauthors}`` from user A to user B when A
  gave B attention: A's post mentions B or tags B in the photo, A liked or commented on B's post, or A and B
  co-authored a post (both ways). ``weight = Σ kind weight × count`` with the weights of
  :data:`~influence.analytics.base.DEFAULT_INTERACTION_WEIGHTS` (one follow weighs 1.0).
- Centrality (PageRank, ArticleRank or eigenvector) over FOLLOWS + weighted INTERACTS,
  written as ``User.pagerank`` (or ``User.articlerank`` / ``User.eigenvector``).
- ``User.engagementRate`` = mean(likes + comments) of the user's posts / followers;
  ``User.followerTier`` (nano < 10k ≤ micro < 100k ≤ mid < 1M ≤ macro < 10M ≤ mega) and
  ``User.engagementRateTierZ``: z-score of log(engagement rate) within the tier, because
  engagement rates fall as accounts grow and are only comparable within a tier.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver

from influence import cypher, db
from influence.analytics.base import INFLUENCE_ALGORITHMS, AnalyzeOptions, StepResult, Stopwatch, gds_millis
from influence.analytics.projection import Projection, delete_all, estimate, run_algorithm

#: Follower-count tiers: (name, lower bound inclusive).
TIERS: tuple[tuple[str, int], ...] = (
    ("nano", 0),
    ("micro", 10_000),
    ("mid", 100_000),
    ("macro", 1_000_000),
    ("mega", 10_000_000),
)
#: A tier z-score needs at least this many users with a rate in the tier.
MIN_TIER_USERS = 3


def interaction_rows(counts: pd.DataFrame, weights: Mapping[str, float]) -> list[dict[str, Any]]:
    """INTERACTS rows from per-(src, dst, kind) counts: one row per pair with counts and weight.

    ``counts`` has columns ``src, dst, kind, n``. Pure; used by :func:`build_interactions`.
    """
    kinds = ("mentions", "features", "likes", "comments", "coauthors")
    if counts.empty:
        return []
    wide = counts.pivot_table(index=["src", "dst"], columns="kind", values="n", aggfunc="sum", fill_value=0)
    for k in kinds:
        if k not in wide.columns:
            wide[k] = 0
    wide = wide[list(kinds)].astype("int64")
    wide["weight"] = sum(float(weights.get(k, 0.0)) * wide[k] for k in kinds)
    wide = wide[wide["weight"] > 0].reset_index()
    return [
        {"src": r.src, "dst": r.dst, "weight": float(r.weight), **{k: int(getattr(r, k)) for k in kinds}}
        for r in wide.itertuples(index=False)
    ]


def build_interactions(driver: Driver, options: AnalyzeOptions, database: str | None = None) -> StepResult:
    """Rebuild every ``INTERACTS`` relationship from mentions, photo tags, co-authors, likes and comments."""
    watch = Stopwatch()
    with watch.time("compute"):
        records = db.read(driver, cypher.load("analyze_read_interactions"), database=database)
        counts = pd.DataFrame([dict(r) for r in records], columns=["src", "dst", "kind", "n"])
        rows = interaction_rows(counts, options.interaction_weights)
    with watch.time("write"):
        deleted = delete_all(driver, "analyze_delete_interacts", database)
        written = db.write_batches(driver, cypher.load("analyze_write_interactions"), rows, database=database)
    return StepResult(
        "interactions",
        compute_ms=watch.ms["compute"],
        write_ms=watch.ms["write"],
        details={"relationships": written, "replaced": deleted},
    )


def centrality(
    driver: Driver, graph: Projection, options: AnalyzeOptions, database: str | None = None
) -> StepResult:
    """PageRank / ArticleRank / eigenvector centrality of users, written back (see module doc)."""
    algo = options.algorithm
    prop = INFLUENCE_ALGORITHMS[algo]
    config: dict[str, Any] = {
        "writeProperty": prop,
        "relationshipTypes": ["DIRECTED"],
        "relationshipWeightProperty": "weight",
        "maxIterations": options.max_iterations,
        "concurrency": options.concurrency,
    }
    if algo != "eigenvector":
        config["dampingFactor"] = options.damping_factor
    estimate(driver, algo, graph.name, config, database)
    row = run_algorithm(driver, algo, graph.name, config, database)
    compute, write = gds_millis(row)
    return StepResult(
        "influence",
        compute_ms=compute,
        write_ms=write,
        details={
            "algorithm": algo,
            "property": f"User.{prop}",
            "nodes": int(row.get("nodePropertiesWritten") or 0),
            "iterations": int(row.get("ranIterations") or 0),
            "converged": bool(row.get("didConverge")),
        },
    )


def tier_of(followers: float | None) -> str | None:
    """The follower tier name of an account, or ``None`` when followers are unknown."""
    if followers is None or (isinstance(followers, float) and np.isnan(followers)) or followers < 0:
        return None
    name = TIERS[0][0]
    for tier, lower in TIERS:
        if followers >= lower:
            name = tier
    return name


def engagement_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Engagement rate, tier and within-tier z-score per user (pure).

    ``frame`` has ``id, followers, posts, meanEngagement``; returns ``id, rate, tier, tierZ``.
    Rate is null without posts or without a positive follower count; tierZ is null when the
    rate is 0 (no log) or the tier has fewer than :data:`MIN_TIER_USERS` rated users.
    """
    out = pd.DataFrame({"id": frame["id"]})
    followers = pd.to_numeric(frame["followers"], errors="coerce")
    mean_eng = pd.to_numeric(frame["meanEngagement"], errors="coerce")
    ok = (frame["posts"] > 0) & (followers > 0) & mean_eng.notna()
    out["rate"] = np.where(ok, mean_eng / followers.where(followers > 0), np.nan)
    out["tier"] = [tier_of(f) if pd.notna(f) else None for f in followers]
    log_rate = np.log(out["rate"].where(out["rate"] > 0))
    grouped = log_rate.groupby(out["tier"])
    mean = grouped.transform("mean")
    std = grouped.transform("std")
    count = grouped.transform("count")
    z = (log_rate - mean) / std
    out["tierZ"] = z.where((count >= MIN_TIER_USERS) & (std > 0))
    return out


def engagement(driver: Driver, options: AnalyzeOptions, database: str | None = None) -> StepResult:
    """Write ``User.engagementRate``, ``User.followerTier`` and ``User.engagementRateTierZ``."""
    watch = Stopwatch()
    with watch.time("compute"):
        records = db.read(driver, cypher.load("analyze_read_engagement"), database=database)
        frame = pd.DataFrame(
            [dict(r) for r in records], columns=["id", "followers", "posts", "meanEngagement"]
        )
        table = engagement_table(frame)
        rows = [
            {"id": r.id, "rate": _num(r.rate), "tier": r.tier, "tierZ": _num(r.tierZ)}
            for r in table.itertuples(index=False)
        ]
    with watch.time("write"):
        db.write_batches(driver, cypher.load("analyze_write_engagement"), rows, database=database)
    return StepResult(
        "engagement",
        compute_ms=watch.ms["compute"],
        write_ms=watch.ms["write"],
        details={"users": len(rows), "rated": int(table["rate"].notna().sum())},
    )


def _num(v: Any) -> float | None:
    return None if v is None or (isinstance(v, float) and not np.isfinite(v)) else float(v)
