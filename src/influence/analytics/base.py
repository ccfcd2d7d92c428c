"""What every analytics step takes (options) and returns (a timed step result)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from influence.analytics.projection import DEFAULT_CONCURRENCY
from influence.errors import ConfigError

Progress = Callable[[str], None]

#: Influence algorithms → the User property each writes (a fixed whitelist: never user text).
INFLUENCE_ALGORITHMS: dict[str, str] = {
    "pagerank": "pagerank",
    "articlerank": "articlerank",
    "eigenvector": "eigenvector",
}
COMMUNITY_ALGORITHMS: tuple[str, ...] = ("louvain", "leiden")

#: Weights of one interaction of each kind in INTERACTS.weight (one follow weighs 1.0).
DEFAULT_INTERACTION_WEIGHTS: dict[str, float] = {
    "mentions": 1.0,
    "features": 1.0,
    "coauthors": 1.0,
    "likes": 0.25,
    "comments": 0.5,  # a comment costs more attention than a like, less than a mention
}
#: Engagement weights for post velocity (see influence.models.velocity).
DEFAULT_VELOCITY_WEIGHTS: dict[str, float] = {"likes": 1.0, "comments": 1.0, "shares": 1.0, "views": 0.0}


def _no_progress(message: str) -> None:
    pass


@dataclass(frozen=True)
class AnalyzeOptions:
    """Parameters of an analytics run (defaults are the documented ones)."""

    algorithm: str = "pagerank"
    communities: str = "louvain"
    concurrency: int = DEFAULT_CONCURRENCY
    #: Louvain runs single-threaded by default: on 2 cores GDS's parallel Louvain (with its
    #: colouring pass) was slower — 6.3 s vs 3.4 s on 100k users / 0.5M follows, 14 s vs 0.4 s
    #: on the dense 517-node Congress graph.
    louvain_concurrency: int = 1
    damping_factor: float = 0.85
    max_iterations: int = 20
    interaction_weights: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_INTERACTION_WEIGHTS)
    )
    interacts_factor: float = 1.0
    similarity_top_k: int = 10
    similarity_cutoff: float = 0.05
    cooccurrence_min_count: int = 1
    velocity_window_hours: float = 24.0
    velocity_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_VELOCITY_WEIGHTS))
    viral_threshold: float = 3.0
    min_author_posts: int = 3
    rising_period_days: float = 7.0
    embedding_dimension: int = 64
    embedding_iteration_weights: tuple[float, ...] = (0.0, 1.0, 1.0)
    embedding_seed: int | None = 42

    def validate(self) -> AnalyzeOptions:
        """Return self, or raise :class:`ConfigError` naming the bad option."""
        if self.algorithm not in INFLUENCE_ALGORITHMS:
            raise ConfigError(
                f"unknown influence algorithm {self.algorithm!r}; use one of {', '.join(INFLUENCE_ALGORITHMS)}"
            )
        if self.communities not in COMMUNITY_ALGORITHMS:
            raise ConfigError(
                f"unknown community algorithm {self.communities!r}; use one of {', '.join(COMMUNITY_ALGORITHMS)}"
            )
        if not 1 <= self.concurrency <= 4 or not 1 <= self.louvain_concurrency <= 4:
            raise ConfigError("concurrency must be between 1 and 4 (GDS Community Edition caps it at 4)")
        if not 0.0 < self.damping_factor < 1.0:
            raise ConfigError(f"damping factor must be in (0, 1), got {self.damping_factor}")
        for kind, w in self.interaction_weights.items():
            if kind not in DEFAULT_INTERACTION_WEIGHTS or not math.isfinite(w) or w < 0:
                raise ConfigError(
                    f"bad interaction weight {kind}={w!r}; kinds: {', '.join(DEFAULT_INTERACTION_WEIGHTS)}, weights >= 0"
                )
        if not 0.0 <= self.similarity_cutoff <= 1.0 or self.similarity_top_k < 1:
            raise ConfigError("similarity cutoff must be in [0, 1] and top-k >= 1")
        if self.cooccurrence_min_count < 1:
            raise ConfigError("co-occurrence min count must be >= 1")
        if not self.velocity_window_hours > 0 or not self.rising_period_days > 0:
            raise ConfigError("the velocity window and the rising-hashtag period must be > 0")
        if self.min_author_posts < 2:
            raise ConfigError("min author posts must be >= 2 (a baseline needs at least two posts)")
        if not 8 <= self.embedding_dimension <= 1024:
            raise ConfigError("embedding dimension must be between 8 and 1024")
        return self


@dataclass
class StepResult:
    """Timings (milliseconds) and figures of one analytics step."""

    step: str
    project_ms: float = 0.0
    compute_ms: float = 0.0
    write_ms: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def total_ms(self) -> float:
        """Projection + compute + write."""
        return self.project_ms + self.compute_ms + self.write_ms

    def row(self) -> dict[str, Any]:
        """The step as one table row (seconds)."""
        return {
            "step": self.step,
            "project_s": round(self.project_ms / 1000.0, 3),
            "compute_s": round(self.compute_ms / 1000.0, 3),
            "write_s": round(self.write_ms / 1000.0, 3),
            "total_s": round(self.total_ms / 1000.0, 3),
            "result": ", ".join(
                f"{k}={_short(v)}" for k, v in self.details.items() if not isinstance(v, list | dict)
            ),
        }


def _short(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


class Stopwatch:
    """Accumulates wall time into named buckets (compute / write)."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {"compute": 0.0, "write": 0.0}

    @contextmanager
    def time(self, bucket: str) -> Iterator[None]:
        """Add the block's wall time to ``bucket``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.ms[bucket] = self.ms.get(bucket, 0.0) + (time.perf_counter() - started) * 1000.0


def gds_millis(row: Mapping[str, Any]) -> tuple[float, float]:
    """(compute, write) milliseconds as a GDS write/mutate procedure reports them."""
    compute = float(row.get("preProcessingMillis") or 0) + float(row.get("computeMillis") or 0)
    write = float(row.get("writeMillis") or row.get("mutateMillis") or 0)
    return compute, write


__all__ = [
    "AnalyzeOptions",
    "COMMUNITY_ALGORITHMS",
    "INFLUENCE_ALGORITHMS",
    "Progress",
    "StepResult",
    "Stopwatch",
    "gds_millis",
    "_no_progress",
]
