"""The one seam between the project and Neo4j: connecting, reading, batched writing.

The library is handed a driver (see :func:`connect`) and never creates a global one. Writes
are ``UNWIND $rows`` batches sent through :meth:`neo4j.Driver.execute_query` (one transaction
per batch, retried by the driver on transient errors); reads use read routing so the same
code works against a cluster. Values always travel as parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, TypeVar

from neo4j import Driver, GraphDatabase, Record, RoutingControl
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable

from influence import cypher
from influence.config import Settings
from influence.errors import AuthFailed, ConnectionFailed, GdsMissingError, QueryError
from influence.server import ManagedServer

T = TypeVar("T")
DEFAULT_BATCH = 5000


def managed_server(settings: Settings) -> ManagedServer:
    """The managed server these settings describe."""
    return ManagedServer(
        settings.server_home,
        bolt_port=settings.bolt_port,
        http_port=settings.http_port,
        heap=settings.heap,
        pagecache=settings.pagecache,
    )


def _hint(settings: Settings) -> str:
    if settings.managed:
        return "run `influence db start` (after `influence db install`), or set NEO4J_URI to your own Neo4j"
    return "check NEO4J_URI and that the server is up"


def connect(settings: Settings) -> Driver:
    """Open a driver for ``settings`` and check that the server answers.

    The caller owns the driver and closes it (``with connect(s) as driver: ...``).
    """
    password = settings.password
    if password is None and settings.managed:
        password = managed_server(settings).password()
    auth = (settings.username, password) if password is not None else None
    # Server notifications (e.g. "property key does not exist" on a graph that has no shares
    # yet) are expected on sparse data; they would flood stderr as log warnings.
    driver = GraphDatabase.driver(settings.effective_uri, auth=auth, notifications_min_severity="OFF")
    try:
        driver.verify_connectivity()
    except AuthError as e:
        driver.close()
        where = "the password file of the managed server" if settings.managed else "NEO4J_PASSWORD"
        raise AuthFailed(
            f"Neo4j at {settings.effective_uri} refused user {settings.username!r} — check {where} "
            f"(`influence db status` shows where it is)"
        ) from e
    except ClientError as e:
        driver.close()
        if e.code and "AuthenticationRateLimit" in e.code:
            raise AuthFailed(
                f"Neo4j at {settings.effective_uri} locked user {settings.username!r} after repeated "
                "wrong passwords — wait a few seconds and retry with the right one"
            ) from e
        raise ConnectionFailed(f"Neo4j at {settings.effective_uri} refused the connection: {e.message}") from e
    except (ServiceUnavailable, OSError, Neo4jError) as e:
        driver.close()
        raise ConnectionFailed(f"cannot reach Neo4j at {settings.effective_uri} — {_hint(settings)}") from e
    return driver


def read(
    driver: Driver, query: str, params: Mapping[str, Any] | None = None, database: str | None = None
) -> list[Record]:
    """Run a read query with read routing and return all records."""
    records, _, _ = driver.execute_query(
        query, parameters_=dict(params or {}), routing_=RoutingControl.READ, database_=database
    )
    return list(records)


def write(
    driver: Driver, query: str, params: Mapping[str, Any] | None = None, database: str | None = None
) -> list[Record]:
    """Run one write query in its own transaction and return all records."""
    records, _, _ = driver.execute_query(
        query, parameters_=dict(params or {}), routing_=RoutingControl.WRITE, database_=database
    )
    return list(records)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Split an iterable into lists of at most ``size`` items, lazily."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def write_batches(
    driver: Driver,
    query: str,
    rows: Iterable[Mapping[str, Any]],
    batch_size: int = DEFAULT_BATCH,
    database: str | None = None,
    extra: Mapping[str, Any] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Send ``rows`` as ``$rows`` to an ``UNWIND $rows`` query, ``batch_size`` rows per transaction.

    Returns the number of rows sent. ``extra`` parameters are passed with every batch;
    ``on_batch`` is called with each batch's size (for progress bars).
    """
    total = 0
    for chunk in batched(rows, batch_size):
        driver.execute_query(
            query,
            parameters_={**(extra or {}), "rows": chunk},
            routing_=RoutingControl.WRITE,
            database_=database,
        )
        total += len(chunk)
        if on_batch is not None:
            on_batch(len(chunk))
    return total


def gds_version(driver: Driver, database: str | None = None) -> str:
    """The GDS version of the server; :class:`GdsMissingError` when there is none."""
    try:
        return str(read(driver, "RETURN gds.version() AS v", database=database)[0]["v"])
    except ClientError as e:
        raise GdsMissingError(
            "this Neo4j has no Graph Data Science plugin — install GDS 2.13 for Neo4j 5.26 "
            "(https://neo4j.com/docs/graph-data-science/current/installation/) or use the managed "
            "server (unset NEO4J_URI, run `influence db install && influence db start`)"
        ) from e


def neo4j_version(driver: Driver) -> str:
    """The Neo4j kernel version of the server."""
    rows = read(driver, "CALL dbms.components() YIELD name, versions WHERE name = 'Neo4j Kernel' RETURN versions[0] AS v")
    return str(rows[0]["v"]) if rows else "unknown"


def init_schema(driver: Driver, database: str | None = None) -> list[str]:
    """Create every constraint and index of the graph model (idempotent); return their names."""
    done = []
    for name in cypher.names("schema"):
        write(driver, cypher.load(name), database=database)
        done.append(name.split("/", 1)[1])
    return done


def schema(driver: Driver, database: str | None = None) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(name, type, labels, properties) of every constraint and user index, sorted."""
    rows = read(
        driver,
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint "
        "WHERE type <> 'LOOKUP' RETURN name, type, labelsOrTypes, properties, owningConstraint",
        database=database,
    )
    return sorted(
        (r["name"], r["type"] + (" (constraint)" if r["owningConstraint"] else ""),
         tuple(r["labelsOrTypes"] or ()), tuple(r["properties"] or ()))
        for r in rows
    )


def reset(driver: Driver, database: str | None = None) -> tuple[int, int]:
    """Delete every node and relationship and every GDS in-memory graph; keep the schema.

    Returns (nodes deleted, GDS graphs dropped).
    """
    dropped = read(
        driver,
        "CALL gds.graph.list() YIELD graphName "
        "CALL gds.graph.drop(graphName, false) YIELD graphName AS dropped RETURN count(dropped) AS n",
        database=database,
    )
    # Relationships first, in small transactions: deleting a node with 100,000 relationships
    # (a popular hashtag) in one transaction can exceed the server's transaction memory.
    with driver.session(database=database) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        summary = session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
    deleted = summary.counters.nodes_deleted
    return deleted, int(dropped[0]["n"]) if dropped else 0


def run_read_only(
    driver: Driver, query: str, params: Mapping[str, Any] | None = None, database: str | None = None
) -> tuple[Sequence[str], list[dict[str, Any]]]:
    """Run an analyst's ad-hoc query in a read-only session; writes are refused.

    Returns (column names, rows as dicts).
    """
    from neo4j import READ_ACCESS

    try:
        with driver.session(database=database, default_access_mode=READ_ACCESS) as session:

            def work(tx: Any) -> tuple[list[str], list[dict[str, Any]]]:
                result = tx.run(query, dict(params or {}))
                keys = list(result.keys())
                return keys, [dict(r) for r in result]

            return session.execute_read(work)
    except ClientError as e:
        if e.code and ("WriteOnReadOnlyAccess" in e.code or "AccessMode" in e.code or "Forbidden" in e.code):
            raise QueryError(
                "this session is read-only: `influence query` runs reads only — use Neo4j Browser "
                "or cypher-shell for writes"
            ) from e
        raise QueryError(f"Neo4j refused the query: {e.message}") from e
