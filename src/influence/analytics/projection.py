"""In-memory GDS graphs: estimate memory, project, and always drop them again.

Every projection goes through :func:`projected`, a context manager that estimates the memory
the graph needs, refuses with :class:`~influence.errors.AnalyticsError` when the server's heap
cannot hold it, projects it under a unique name (so concurrent runs never collide) and drops it
on exit — also when the analysis inside fails. Procedures are called as Cypher through the
driver (``influence.cypher`` files), so the same code runs against a local or remote Neo4j.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from neo4j import Driver
from neo4j.exceptions import ClientError

from influence import cypher, db
from influence.errors import AnalyticsError, ConfigError, ConnectionFailed, QueryError

#: GDS Community Edition caps concurrency at 4; the reference machine has 2 cores.
DEFAULT_CONCURRENCY = 2

MIB = 1024 * 1024


@dataclass(frozen=True)
class Projection:
    """An in-memory graph that exists while its ``with projected(...)`` block runs."""

    name: str
    nodes: int
    relationships: int
    project_ms: float
    estimate_bytes: int


def _mib(n: int | float) -> str:
    return f"{n / MIB:,.0f} MiB"


def available_heap(driver: Driver, database: str | None = None) -> int | None:
    """Bytes of heap the server can still use (max − used), or ``None`` when JMX is not readable.

    ``used`` includes garbage not yet collected, so this is a pessimistic figure.
    """
    try:
        rows = db.read(driver, cypher.load("analyze_free_heap"), database=database)
    except QueryError:
        return None  # e.g. a managed cloud service that hides JMX: GDS's own guard still applies
    if not rows or rows[0]["max"] is None or rows[0]["used"] is None:
        return None
    return int(rows[0]["max"]) - int(rows[0]["used"])


def check_memory(driver: Driver, needed: int, what: str, database: str | None = None) -> None:
    """Raise :class:`AnalyticsError` when ``needed`` bytes exceed the server's available heap."""
    free = available_heap(driver, database)
    if free is not None and needed > free:
        raise AnalyticsError(
            f"{what} needs about {_mib(needed)} of heap but the Neo4j server has only {_mib(free)} free — "
            "give it more heap (for the managed server: INFLUENCE_HEAP=4g, then `influence db stop` and "
            "`influence db start`) or analyse a smaller graph"
        )


#: Where a statement template takes its GDS procedure: procedure names cannot be parameters.
PROCEDURE = "<procedure>"


@dataclass(frozen=True)
class Algorithm:
    """A GDS algorithm the analytics run: its procedure (with the mode) and the statement calling it."""

    procedure: str
    statement: str


#: The GDS algorithms the analytics run, by name. A fixed allow-list: only these procedure names
#: are ever written into a statement's text (:func:`statement`), never anything a user typed.
#: Statements of one shape (the same YIELD) are one file with a ``<procedure>`` slot.
ALGORITHMS: dict[str, Algorithm] = {
    "pagerank": Algorithm("gds.pageRank.write", "analyze_centrality"),
    "articlerank": Algorithm("gds.articleRank.write", "analyze_centrality"),
    "eigenvector": Algorithm("gds.eigenvector.write", "analyze_centrality"),
    "louvain": Algorithm("gds.louvain.write", "analyze_communities"),
    "leiden": Algorithm("gds.leiden.write", "analyze_communities"),
    "fastrp": Algorithm("gds.fastRP.write", "analyze_fastrp"),
    "node_similarity": Algorithm("gds.nodeSimilarity.mutate", "analyze_node_similarity"),
}


def statement(algorithm: str, estimate: bool = False) -> str:
    """The Cypher that runs ``algorithm`` (a key of :data:`ALGORITHMS`), or estimates its memory.

    Parameters of the statement: ``$graph`` (in-memory graph name) and ``$config`` (the
    procedure's configuration map). Raises :class:`ConfigError` for any other algorithm.
    """
    known = ALGORITHMS.get(algorithm)
    if known is None:
        raise ConfigError(f"unknown GDS algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}")
    return cypher.load("analyze_estimate" if estimate else known.statement).replace(
        PROCEDURE, known.procedure
    )


def call(driver: Driver, name: str, params: Mapping[str, Any], database: str | None = None) -> dict[str, Any]:
    """Run the GDS statement ``name`` (a Cypher file) and return its single result row.

    GDS's own refusals (not enough memory, a bad configuration) become :class:`AnalyticsError`.
    """
    return _run(driver, name, cypher.load(name), params, database)


def run_algorithm(
    driver: Driver, algorithm: str, graph: str, config: Mapping[str, Any], database: str | None = None
) -> dict[str, Any]:
    """Run GDS ``algorithm`` (a key of :data:`ALGORITHMS`) on the in-memory graph ``graph``.

    Returns the procedure's result row (``*Millis`` timings, counts; see the statement's file).
    Raises :class:`AnalyticsError` when GDS refuses (memory, configuration) and
    :class:`ConfigError` for an algorithm not in the list.
    """
    return _run(driver, algorithm, statement(algorithm), {"graph": graph, "config": dict(config)}, database)


def _run(
    driver: Driver, name: str, text: str, params: Mapping[str, Any], database: str | None
) -> dict[str, Any]:
    try:
        rows = db.write(driver, text, params, database=database)
    except QueryError as e:
        if not isinstance(e.__cause__, ClientError):
            raise
        message = e.neo4j_message or str(e)
        if "memory" in message.lower():
            raise AnalyticsError(
                f"GDS refused {name}: {message} — give the Neo4j server more heap (INFLUENCE_HEAP=4g for "
                "the managed server) or analyse a smaller graph"
            ) from e
        if "does not exist" in message and "graph" in message.lower():
            # The catalog lives in the server's memory: a projection that vanished mid-analysis
            # means the server stopped or restarted (or another analysis dropped it).
            advice = "make sure it is running (`influence db start`) and rerun `influence analyze`"
            if not _reachable(driver):
                raise ConnectionFailed(f"Neo4j stopped during the analysis ({name}) — {advice}") from e
            raise AnalyticsError(
                f"GDS's in-memory graph disappeared during {name}: the Neo4j server restarted or another "
                f"analysis dropped it — {advice}"
            ) from e
        raise AnalyticsError(f"GDS failed in {name}: {message}") from e
    return dict(rows[0]) if rows else {}


def _reachable(driver: Driver) -> bool:
    try:
        driver.verify_connectivity()
    except Exception:  # any failure to reach it counts as not reachable
        return False
    return True


def estimate(
    driver: Driver, algorithm: str, graph: str, config: Mapping[str, Any], database: str | None = None
) -> int:
    """Bytes (lower bound) GDS estimates ``algorithm`` needs on ``graph``; refuses if too many.

    ``algorithm`` is a key of :data:`ALGORITHMS`; raises :class:`AnalyticsError` when the
    estimate exceeds the server's free heap.
    """
    params = {"graph": graph, "config": dict(config)}
    row = _run(driver, f"{algorithm} estimate", statement(algorithm, estimate=True), params, database)
    needed = int(row.get("bytesMin") or 0)
    check_memory(driver, needed, algorithm.replace("_", " "), database)
    return needed


def drop(driver: Driver, graph: str, database: str | None = None) -> None:
    """Drop the in-memory graph ``graph`` if it exists."""
    db.write(driver, cypher.load("analyze_drop_graph"), {"graph": graph}, database=database)


@contextmanager
def projected(
    driver: Driver,
    kind: str,
    query: str,
    count_query: str,
    params: Mapping[str, Any] | None = None,
    relationship_properties: Sequence[str] = (),
    relationship_factor: float = 1.0,
    database: str | None = None,
) -> Iterator[Projection]:
    """Project a graph with the Cypher-aggregation statement ``query``; drop it on exit.

    ``count_query`` returns ``nodes`` and ``relationships`` of the graph-to-be for the memory
    estimate; ``relationship_factor`` scales that relationship count (e.g. 3 when each database
    relationship is projected once directed and once undirected). Raises
    :class:`AnalyticsError` when the estimate exceeds the free heap.
    """
    counts = db.read(driver, cypher.load(count_query), database=database)[0]
    est = call(
        driver,
        "analyze_estimate_projection",
        {
            "nodes": int(counts["nodes"]),
            "relationships": int(counts["relationships"] * relationship_factor),
            "relationshipProperties": list(relationship_properties),
        },
        database,
    )
    needed = int(est.get("bytesMin") or 0)
    check_memory(driver, needed, f"the {kind} graph ({counts['nodes']:,} nodes)", database)
    name = f"influence-{kind}-{uuid.uuid4().hex[:12]}"
    started = time.perf_counter()
    try:
        row = call(driver, query, {**(params or {}), "graph": name}, database)
        yield Projection(
            name=name,
            nodes=int(row.get("nodes") or 0),
            relationships=int(row.get("relationships") or 0),
            project_ms=(time.perf_counter() - started) * 1000.0,
            estimate_bytes=needed,
        )
    finally:
        drop(driver, name, database)


def delete_all(driver: Driver, statement: str, database: str | None = None, limit: int = 50_000) -> int:
    """Call a ``analyze_delete_*`` statement until it deletes nothing; return how many went."""
    total = 0
    while True:
        rows = db.write(driver, cypher.load(statement), {"limit": limit}, database=database)
        n = int(rows[0]["deleted"]) if rows else 0
        total += n
        if n < limit:
            return total
