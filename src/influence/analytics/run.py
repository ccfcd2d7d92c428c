"""Run the analytics steps in order, timing each, and return what they found.

Steps (in this order; ``steps`` picks a subset):

``interactions``  rebuild INTERACTS from mentions, photo tags, co-authors, likes
``influence``     PageRank / ArticleRank / eigenvector over FOLLOWS + INTERACTS → User.pagerank …
``engagement``    User.engagementRate, followerTier, engagementRateTierZ
``communities``   Louvain / Leiden → User.community, communitySize
``proximity``     SIMILAR (Node Similarity over traits) → User.proximityCommunity
``hashtags``      Hashtag.uses, CO_OCCURS, Hashtag.pagerank, community, communitySpread
``viral``         Post.velocity, viralRatio, viralZ, viralScore, isViral; rising hashtags
``embeddings``    FastRP → User.embedding, embeddingVersion, (:EmbeddingRun)

``influence``, ``communities`` and ``embeddings`` share one projection of the user graph, which
is reported as its own row (``project users``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from influence import db
from influence.analytics.base import AnalyzeOptions, Progress, StepResult
from influence.analytics.communities import communities, proximity
from influence.analytics.embeddings import embeddings
from influence.analytics.hashtags import hashtags
from influence.analytics.influence import build_interactions, centrality, engagement
from influence.analytics.projection import projected
from influence.analytics.viral import viral
from influence.errors import ConfigError

STEPS: tuple[str, ...] = (
    "interactions",
    "influence",
    "engagement",
    "communities",
    "proximity",
    "hashtags",
    "viral",
    "embeddings",
)
_ON_USER_GRAPH = ("influence", "communities", "embeddings")


@dataclass
class AnalysisResult:
    """The steps that ran, in order, with their timings and figures."""

    steps: list[StepResult] = field(default_factory=list)
    wall_ms: float = 0.0

    def step(self, name: str) -> StepResult | None:
        """The result of step ``name``, if it ran."""
        return next((s for s in self.steps if s.step == name), None)

    @property
    def modularity(self) -> float | None:
        """Modularity of the user communities, if that step ran."""
        s = self.step("communities")
        return None if s is None else float(s.details["modularity"])

    @property
    def community_sizes(self) -> list[int]:
        """Sizes of the user communities, largest first (empty if that step did not run)."""
        s = self.step("communities")
        return [] if s is None else list(s.details.get("sizes", []))

    def rows(self) -> list[dict[str, Any]]:
        """One table row per step plus a total."""
        rows = [s.row() for s in self.steps]
        total = StepResult(
            "total",
            sum(s.project_ms for s in self.steps),
            sum(s.compute_ms for s in self.steps),
            sum(s.write_ms for s in self.steps),
        ).row()
        total["result"] = f"wall {self.wall_ms / 1000.0:.2f} s"
        return [*rows, total]


def parse_steps(only: str | Iterable[str] | None) -> list[str]:
    """The steps to run, in canonical order; ``only`` is a comma-separated string or names."""
    if only is None:
        return list(STEPS)
    names = [s.strip().lower() for s in (only.split(",") if isinstance(only, str) else only) if s.strip()]
    unknown = [n for n in names if n not in STEPS]
    if unknown or not names:
        raise ConfigError(f"unknown step(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(STEPS)}")
    return [s for s in STEPS if s in names]


def analyze(
    driver: Driver,
    steps: Sequence[str] | None = None,
    options: AnalyzeOptions | None = None,
    database: str | None = None,
    progress: Progress | None = None,
    on_step: Progress | None = None,
) -> AnalysisResult:
    """Run the analytics ``steps`` (all by default) against the graph and write the results back.

    Checks that the server has GDS first. ``progress`` gets one line per step; ``on_step`` the
    name of each step of ``steps`` when it is done (a progress bar counts them).
    """
    opts = (options or AnalyzeOptions()).validate()
    chosen = parse_steps(steps)
    say = progress or (lambda _m: None)
    db.gds_version(driver, database)
    result = AnalysisResult()
    started = time.perf_counter()

    def run(name: str, fn: Any, *args: Any) -> None:
        say(f"analyze: {name} …")
        step: StepResult = fn(*args)
        result.steps.append(step)
        say(f"analyze: {name} done in {step.total_ms / 1000.0:.2f} s")
        if on_step is not None:
            on_step(name)

    if "interactions" in chosen:
        run("interactions", build_interactions, driver, opts, database)
    on_graph = [s for s in chosen if s in _ON_USER_GRAPH]
    if on_graph:
        say("analyze: projecting the user graph …")
        with projected(
            driver,
            "users",
            "analyze_project_users",
            "analyze_count_users",
            params={"interactsFactor": opts.interacts_factor, "weightKey": "weight"},
            relationship_properties=("weight",),
            relationship_factor=3.0,
            database=database,
        ) as graph:
            result.steps.append(
                StepResult(
                    "project users",
                    project_ms=graph.project_ms,
                    details={"nodes": graph.nodes, "relationships": graph.relationships},
                )
            )
            if "influence" in chosen:
                run("influence", centrality, driver, graph, opts, database)
            if "communities" in chosen:
                run("communities", communities, driver, graph, opts, database)
            if "embeddings" in chosen:
                run("embeddings", embeddings, driver, graph, opts, database)
    if "engagement" in chosen:
        run("engagement", engagement, driver, opts, database)
    if "proximity" in chosen:
        run("proximity", proximity, driver, opts, database)
    if "hashtags" in chosen:
        run("hashtags", hashtags, driver, opts, database)
    if "viral" in chosen:
        run("viral", viral, driver, opts, database)
    result.wall_ms = (time.perf_counter() - started) * 1000.0
    return result
