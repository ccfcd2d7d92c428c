"""The load summary: what was read, written (new / updated / unchanged) and rejected, and graph counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence import graph_model as gm

#: Record types in the order the summary lists them.
KINDS = ("scrapes", "users", "posts", "follows", "likes", "comments", "observations")

#: Called with the live summary after every record (see :func:`ingest`).
SummaryProgress = Callable[["LoadSummary"], None]


#: What a load counts, in the order the summary lists them: the summary's name of each kind,
#: the graph element it counts (a node label or a relationship type) and the record type
#: (``written`` key) whose records write it; hashtags come only with posts.
GRAPH_KINDS: tuple[tuple[str, str, str | None], ...] = (
    ("accounts", gm.USER, "users"),
    ("posts", gm.POST, "posts"),
    ("observations", gm.OBSERVATION, "observations"),
    ("follows", gm.FOLLOWS, "follows"),
    ("likes", gm.LIKED, "likes"),
    ("comments", gm.COMMENTED, "comments"),
    ("hashtags", gm.HASHTAG, None),
    ("scrapes", gm.SCRAPE, "scrapes"),
)

OUTCOMES = ("new", "updated", "unchanged")


@dataclass
class LoadSummary:
    """What one load did; every figure comes from this one object (the CLI, the progress
    display and ``scrape`` render it).

    * ``read`` — records the parser yielded (its rejects included, the provenance records
      not); ``read == records written + rejected - values_dropped``.
    * ``written`` — records written, by record type (``scrapes``, ``users``, ``posts``,
      ``follows``, ``likes``, ``comments``, ``observations``).
    * ``outcomes[type]`` — how each written record found the graph, from its write query:
      ``new`` (it created its node / relationship), ``updated`` (it changed the properties of
      one that existed) or ``unchanged``; per type they add up to ``written[type]``.
    * ``graph_before`` / ``graph_after`` — nodes and relationships per summary kind
      (:data:`GRAPH_KINDS`) from Neo4j's count store, read before and after the load:
      :meth:`created` is the difference. It also counts what records of another type created
      (a post's author and mentions create accounts, its counts an observation, its hashtags
      hashtags), so ``created >= outcomes[...]["new"]``. Assumes no other load writes at the
      same time.
    * ``rejected`` — lines written to the rejects file; ``reasons`` tallies them by the part of
      the reason before its first ``:``; ``values_dropped`` of them only note a value dropped
      from a record that was written.
    * ``files`` — input files read (a folder parser's own count, else the distinct files the
      records name).
    """

    written: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    read: int = 0
    outcomes: dict[str, Counter[str]] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    graph_before: dict[str, int] | None = None
    graph_after: dict[str, int] | None = None
    rejected: int = 0
    values_dropped: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    files: int = 0
    seconds: float = 0.0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    rejects_path: Path | None = None
    #: rejects counted by reason but not written: the rejects file reached its cap
    rejects_unwritten: int = 0
    #: input files (or parts of them) a folder load passed over on purpose, by reason
    skipped: dict[str, int] = field(default_factory=dict)
    #: posts whose owner is known only by platform id and no loaded profile has it yet
    awaiting_owner: int = 0
    #: posts given an id made from their content (tables without a post id)
    content_ids: int = 0

    @property
    def records(self) -> int:
        """Records written, all types together."""
        return sum(self.written.values())

    @property
    def records_per_second(self) -> float:
        """Records read per second of wall time."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    @property
    def usable(self) -> bool:
        """True when at least one record (other than the provenance) was written."""
        return self.records - self.written["scrapes"] > 0

    def created(self, kind: str) -> int | None:
        """Nodes or relationships of summary kind ``kind`` (``accounts``, ``posts`` …) the load
        added to the graph; None when the graph was not counted (a ``--bulk`` load)."""
        if self.graph_before is None or self.graph_after is None:
            return None
        return self.graph_after.get(kind, 0) - self.graph_before.get(kind, 0)

    def kind_rows(self) -> list[dict[str, Any]]:
        """One row per kind: ``kind``, ``records`` (written), ``new`` / ``updated`` /
        ``unchanged`` (how those records found the graph), ``created`` (added to the graph by
        any record) and ``total`` (in the graph after the load). Kinds with nothing to say are
        left out."""
        rows = []
        for kind, _element, record_type in GRAPH_KINDS:
            written = self.written.get(record_type, 0) if record_type else 0
            outcome = self.outcomes.get(record_type, Counter()) if record_type else Counter()
            created = self.created(kind)
            total = self.graph_after.get(kind) if self.graph_after is not None else None
            if not written and not created:
                continue
            rows.append(
                {
                    "kind": kind,
                    "records": written,
                    **{o: outcome.get(o, 0) for o in OUTCOMES},
                    "created": created,
                    "total": total,
                }
            )
        return rows

    def rows(self, kinds: bool = True) -> list[dict[str, Any]]:
        """The summary as ``{"item", "value"}`` rows for :func:`influence.report.tables.render`;
        ``kinds=False`` leaves out the per-kind figures (shown by :meth:`kind_rows`)."""
        rows: list[dict[str, Any]] = [
            {"item": "records read", "value": self.read},
            {"item": "records written", "value": self.records - self.written["scrapes"]},
        ]
        if kinds:
            rows.extend(
                {"item": _KIND_NAME.get(k, k), "value": self.written[k]}
                for k in KINDS
                if self.written[k] and k != "scrapes"
            )
            for kind, _element, _type in GRAPH_KINDS:
                created = self.created(kind)
                if created:
                    rows.append({"item": f"{kind} created", "value": created})
        rows.append({"item": "rejected", "value": self.rejected})
        rows.extend({"item": f"  rejected: {r}", "value": n} for r, n in self.reasons.most_common())
        if self.values_dropped:
            rows.append(
                {
                    "item": "  of them values dropped from records that were loaded",
                    "value": self.values_dropped,
                }
            )
        if self.rejects_path is not None and self.rejected:
            rows.append({"item": "rejects file", "value": str(self.rejects_path)})
        if self.rejects_unwritten:
            rows.append(
                {
                    "item": "  rejects not written (the file reached its cap, --max-rejects; counted above)",
                    "value": self.rejects_unwritten,
                }
            )
        if self.skipped:
            rows.append({"item": "skipped on purpose", "value": sum(self.skipped.values())})
            rows.extend(
                {"item": f"  skipped: {why}", "value": n}
                for why, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0]))
            )
        if self.awaiting_owner:
            rows.append(
                {"item": "posts awaiting their owner's profile (owner id only)", "value": self.awaiting_owner}
            )
        if self.content_ids:
            rows.append(
                {"item": "posts keyed by a content id (no post id column)", "value": self.content_ids}
            )
        rows += [
            {"item": "files", "value": self.files},
            {"item": "nodes created", "value": self.nodes_created},
            {"item": "relationships created", "value": self.relationships_created},
            {"item": "seconds", "value": round(self.seconds, 2)},
            {"item": "records/s", "value": round(self.records_per_second)},
        ]
        return rows


_KIND_NAME = {
    "users": "accounts written",
    "posts": "posts written",
    "follows": "follows written",
    "likes": "likes written",
    "comments": "comments written",
    "observations": "observations written",
}


def graph_counts(driver: Driver, database: str | None = None) -> dict[str, int]:
    """Nodes and relationships per summary kind (:data:`GRAPH_KINDS`), from Neo4j's count store
    (constant time whatever the graph's size; ``cypher/ingest/count_graph.cypher``)."""
    rows = db.read(driver, cypher.load("count_graph"), database=database)
    return {k: int(v) for k, v in dict(rows[0]).items()} if rows else {}
