"""The one seam between the project and Neo4j: connecting, reading, batched writing.

The library is handed a driver (see :func:`connect`) and never creates a global one. Writes
are ``UNWIND $rows`` batches sent through :meth:`neo4j.Driver.execute_query` (one transaction
per batch, retried by the driver on transient errors); reads use read routing so the same
code works against a cluster. Values always travel as parameters.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from influence.config import Settings
from influence.errors import AuthFailed, ConnectionFailed, GdsMissingError, InfluenceError, QueryError

if TYPE_CHECKING:
    from neo4j import Driver, Record

    from influence.server import ManagedServer

# The driver is imported where it is used, never at the top: importing it imports pandas, numpy
# and pyarrow (half a second and 120 MiB), which `influence --help` and the commands that never
# touch the database must not pay.

T = TypeVar("T")
DEFAULT_BATCH = 5000


def managed_server(settings: Settings) -> ManagedServer:
    """The managed server these settings describe."""
    from influence.server import ManagedServer

    return ManagedServer(
        settings.server_home,
        bolt_port=settings.bolt_port,
        http_port=settings.http_port,
        heap=settings.heap,
        pagecache=settings.pagecache,
        allow_url_load=settings.allow_url_load,
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
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable

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
        raise ConnectionFailed(
            f"Neo4j at {settings.effective_uri} refused the connection: {e.message}"
        ) from e
    except (ServiceUnavailable, OSError, Neo4jError) as e:
        driver.close()
        raise ConnectionFailed(f"cannot reach Neo4j at {settings.effective_uri} — {_hint(settings)}") from e
    return driver


def close_within(driver: Driver, seconds: float = 5.0) -> None:
    """Close ``driver``, waiting at most ``seconds``: a connection stuck on a server that stopped
    answering (after ``query`` gave up on it) must not hold the command at exit."""
    import threading

    closer = threading.Thread(target=driver.close, name="influence-driver-close", daemon=True)
    closer.start()
    closer.join(seconds)


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Turn the driver's errors raised inside the block into the project's, once for every
    read, write, batch and the ingest writer; ``what`` names the work ("the load", "a read").

    Unreachable server or lost connection → :class:`ConnectionFailed`; refused credentials →
    :class:`AuthFailed`; a transient error the driver's retries did not absorb, a refused
    statement or a server failure → :class:`QueryError` (``code`` and ``neo4j_message`` keep
    Neo4j's). Each message says what to do; the driver error stays as ``__cause__``.
    """
    try:
        yield
    except InfluenceError:
        raise
    except Exception as e:
        translated_error = _translate(e, what)
        if translated_error is None:
            raise
        raise translated_error from e


def _translate(e: Exception, what: str) -> InfluenceError | None:
    """The project's error for the driver's error ``e`` (None: not the driver's)."""
    if "neo4j" not in sys.modules:  # the driver was never imported: not its error
        return None
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        DatabaseError,
        DriverError,
        Neo4jError,
        ServiceUnavailable,
        SessionExpired,
        TransientError,
    )

    if isinstance(e, AuthError):
        return AuthFailed(
            f"Neo4j refused the credentials during {what}: {e.message} — check the password "
            "(`influence db status` shows where it is)"
        )
    if isinstance(e, ServiceUnavailable | SessionExpired):
        return ConnectionFailed(
            f"Neo4j became unreachable during {what} ({e}) — start it again (`influence db start`) and "
            "rerun the same command: loads and analyses are idempotent and finish what was left"
        )
    if isinstance(e, TransientError):
        if "MemoryPoolOutOfMemory" in (e.code or ""):
            return QueryError(
                f"Neo4j ended {what}: it needs more memory than the server lets transactions use ({e.message}) — "
                "narrow it, or give the server more heap (INFLUENCE_HEAP; the limits are 40 % / 70 % of it)",
                code=e.code,
                neo4j_message=e.message,
            )
        return QueryError(
            f"Neo4j kept failing with a transient error during {what} after retries ({e.code}: {e.message}) "
            "— rerun when the server is less busy",
            code=e.code,
            neo4j_message=e.message,
        )
    if isinstance(e, ClientError):
        return QueryError(
            f"Neo4j refused {what}: {e.message} — fix the cause and rerun",
            code=e.code,
            neo4j_message=e.message,
        )
    if isinstance(e, DatabaseError):
        return QueryError(
            f"Neo4j failed during {what}: {e.message} — see the server's logs/neo4j.log and rerun",
            code=e.code,
            neo4j_message=e.message,
        )
    if isinstance(e, Neo4jError):
        return QueryError(
            f"Neo4j failed during {what}: {e.message} — rerun", code=e.code, neo4j_message=e.message
        )
    if isinstance(e, DriverError):
        return ConnectionFailed(f"the Neo4j driver failed during {what}: {e} — rerun the command")
    return None


def read(
    driver: Driver, query: str, params: Mapping[str, Any] | None = None, database: str | None = None
) -> list[Record]:
    """Run a read query with read routing and return all records."""
    from neo4j import RoutingControl

    with translated("a read"):
        records, _, _ = driver.execute_query(
            query, parameters_=dict(params or {}), routing_=RoutingControl.READ, database_=database
        )
    return list(records)


def write(
    driver: Driver, query: str, params: Mapping[str, Any] | None = None, database: str | None = None
) -> list[Record]:
    """Run one write query in its own transaction and return all records."""
    from neo4j import RoutingControl

    with translated("a write"):
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
    from neo4j import RoutingControl

    total = 0
    for chunk in batched(rows, batch_size):
        with translated(f"a batch of {len(chunk)} rows (after {total} written)"):
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
    from neo4j.exceptions import ClientError

    try:
        return str(read(driver, "RETURN gds.version() AS v", database=database)[0]["v"])
    except QueryError as e:
        if not isinstance(e.__cause__, ClientError):
            raise
        raise GdsMissingError(
            "this Neo4j has no Graph Data Science plugin — install GDS 2.13 for Neo4j 5.26 "
            "(https://neo4j.com/docs/graph-data-science/current/installation/) or use the managed "
            "server (unset NEO4J_URI, run `influence db install && influence db start`)"
        ) from e


def neo4j_version(driver: Driver) -> str:
    """The Neo4j kernel version of the server."""
    rows = read(
        driver,
        "CALL dbms.components() YIELD name, versions WHERE name = 'Neo4j Kernel' RETURN versions[0] AS v",
    )
    return str(rows[0]["v"]) if rows else "unknown"


def init_schema(driver: Driver, database: str | None = None) -> list[str]:
    """Create every constraint and index of the graph model (idempotent); return their names."""
    done = []
    from influence import cypher

    for name in cypher.names("schema"):
        write(driver, cypher.load(name), database=database)
        done.append(name.split("/", 1)[1])
    return done


def schema(
    driver: Driver, database: str | None = None
) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(name, type, labels, properties) of every constraint and user index, sorted."""
    rows = read(
        driver,
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint "
        "WHERE type <> 'LOOKUP' RETURN name, type, labelsOrTypes, properties, owningConstraint",
        database=database,
    )
    return sorted(
        (
            r["name"],
            r["type"] + (" (constraint)" if r["owningConstraint"] else ""),
            tuple(r["labelsOrTypes"] or ()),
            tuple(r["properties"] or ()),
        )
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
    with translated("the reset"), driver.session(database=database) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        summary = session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
    deleted = summary.counters.nodes_deleted
    return deleted, int(dropped[0]["n"]) if dropped else 0


#: Procedures and functions ``influence query`` may call (full-name regular expressions):
#: GDS reads, streams, stats and estimates, schema reads, and the namespaced built-in functions.
#: Anything else (``gds.graph.project``/``generate``/``export``/``drop``, ``*.mutate``,
#: ``*.write``, ``db.clearQueryCaches``, ``dbms.killConnection`` …) is refused.
QUERY_CALL_ALLOWLIST: tuple[str, ...] = (
    r"gds\.version",
    r"gds\.list",
    r"gds\.graph\.list",
    r"gds\.graph\.exists",
    r"gds(\.\w+)+\.stream",
    r"gds(\.\w+)+\.stats",
    r"gds(\.\w+)+\.estimate",
    r"gds\.util\.\w+",
    r"gds\.similarity\.\w+",
    r"db\.(labels|relationshipTypes|propertyKeys|info|ping)",
    r"db\.schema\.(visualization|nodeTypeProperties|relTypeProperties)",
    r"(date|datetime|localdatetime|localtime|time|duration)(\.\w+)+",
    r"point\.\w+",
    r"vector\.similarity\.\w+",
)
_ALLOWED_CALL = re.compile("|".join(f"(?:{p})" for p in QUERY_CALL_ALLOWLIST), re.IGNORECASE)
# a dotted name followed by "(": a procedure or namespaced function call
_CALL = re.compile(r"([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)+)\s*\(")
_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", re.DOTALL)
_USE = re.compile(r"(?:^|\s)USE\s+[`\w]", re.IGNORECASE)
_PREFIX = re.compile(r"^\s*(EXPLAIN|PROFILE)\b", re.IGNORECASE)
DEFAULT_QUERY_TIMEOUT = 60.0
DEFAULT_QUERY_ROWS = 10_000
#: Most bytes of values ``influence query`` keeps (estimated by :func:`value_bytes`): with the
#: table rendering on top, the command stays under ~500 MB whatever the statement returns.
DEFAULT_QUERY_BYTES = 8 * 1024 * 1024
#: Records the driver fetches per round trip for ``query``: small, so a statement returning huge
#: rows holds a few of them, not a thousand, before the byte budget stops it.
QUERY_FETCH_SIZE = 50
#: Seconds past ``--timeout`` the command waits for the server to end the transaction before
#: giving up on the connection.
QUERY_GRACE = 10.0


class QueryResult(NamedTuple):
    """Rows of an ad-hoc query: ``columns``, ``rows`` (dicts) and whether a limit cut them
    (``cut_by``: ``"rows"``, ``"bytes"`` or None)."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    cut_by: str | None = None


def value_bytes(value: Any) -> int:
    """A rough size in bytes of a value the driver returned: text and bytes by length, numbers
    and the like 8, lists and maps their items, nodes and relationships their properties."""
    if isinstance(value, str | bytes | bytearray):
        return len(value) + 8
    if isinstance(value, Mapping):
        return 16 + sum(len(str(k)) + value_bytes(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return 16 + sum(value_bytes(v) for v in value)
    items = getattr(value, "items", None)  # Node, Relationship
    if callable(items):
        return 64 + sum(len(str(k)) + value_bytes(v) for k, v in items())
    nodes = getattr(value, "nodes", None)  # Path
    if nodes is not None:
        return 16 + sum(value_bytes(n) for n in nodes) + sum(value_bytes(r) for r in value.relationships)
    return 8


def _refuse(rule: str, why: str) -> QueryError:
    return QueryError(
        f"`influence query` refused the statement (rule: {rule}): {why} — `query` runs reads only; "
        "use Neo4j Browser or cypher-shell for anything else"
    )


def _calls(text: str) -> set[str]:
    return {re.sub(r"\s+", "", m) for m in _CALL.findall(text)}


def _plan_texts(plan: Mapping[str, Any] | None) -> Iterator[tuple[str, str]]:
    """(operator type, details) of every operator of an EXPLAIN plan."""
    stack = [plan] if plan else []
    while stack:
        op = stack.pop()
        name = str(op.get("operatorType", "")).split("@", 1)[0]
        yield name, str((op.get("args") or {}).get("Details", ""))
        stack.extend(op.get("children") or [])


#: Plan operators of SHOW commands ``query`` refuses: they read the server, not the graph
#: (other sessions' statements with their parameter values, every setting).
_ADMIN_SHOW = {"ShowTransactions": "SHOW TRANSACTIONS", "ShowSettings": "SHOW SETTINGS"}


def check_read_only(session: Any, query: str, params: Mapping[str, Any]) -> None:
    """Refuse ``query`` unless it is read-only, naming the rule that refused it.

    Rules, in order: no ``USE`` clause; Neo4j's ``EXPLAIN`` plan must have query type ``r``
    (read); no ``LOAD CSV`` (it fetches URLs and reads files on the server); no
    ``TERMINATE TRANSACTIONS``; no ``SHOW TRANSACTIONS`` / ``SHOW SETTINGS``; every procedure and namespaced function called, in the text and
    in the plan, must be in :data:`QUERY_CALL_ALLOWLIST`.
    """
    stripped = _LITERAL.sub("''", query).replace("`", "")
    if _USE.search(stripped):
        raise _refuse("no USE clause", "it would switch to another database; pass --database instead")
    body = _PREFIX.sub("", query, count=1)
    summary = session.run("EXPLAIN " + body, dict(params)).consume()
    ops = list(_plan_texts(summary.plan))
    names = {name for name, _ in ops}
    if "LoadCSV" in names or re.search(r"\bLOAD\s+CSV\b", stripped, re.IGNORECASE):
        raise _refuse("no LOAD CSV", "LOAD CSV makes the server fetch URLs or read its files")
    if any(n.startswith("Terminate") for n in names):
        raise _refuse("no TERMINATE TRANSACTIONS", "it would end other users' transactions")
    admin = sorted(n for n in names if n in _ADMIN_SHOW)
    if admin:
        raise _refuse(
            "no server administration",
            f"{', '.join(_ADMIN_SHOW[n] for n in admin)} shows the server's "
            "settings or other sessions' statements and parameter values, not the graph",
        )
    calls = _calls(stripped) | {c for _, details in ops for c in _calls(details)}
    refused = sorted(c for c in calls if not _ALLOWED_CALL.fullmatch(c))
    if refused:
        raise _refuse(
            "procedure allow-list",
            f"{', '.join(refused)} is not a read, stream, stats or estimate procedure",
        )
    if summary.query_type != "r":
        kinds = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or the server"}
        raise _refuse(
            "query type must be read-only",
            f"Neo4j plans it as a query that {kinds.get(summary.query_type, summary.query_type)}",
        )


def run_read_only(
    driver: Driver,
    query: str,
    params: Mapping[str, Any] | None = None,
    database: str | None = None,
    *,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    max_rows: int = DEFAULT_QUERY_ROWS,
    max_bytes: int = DEFAULT_QUERY_BYTES,
) -> QueryResult:
    """Run an analyst's ad-hoc query after :func:`check_read_only`, in a read-only transaction
    with a server-side ``timeout`` (seconds), streaming its rows and keeping at most
    ``max_rows`` rows and ``max_bytes`` bytes of values (:func:`value_bytes`); the rest is
    discarded on the server, never fetched.

    The statement runs once (a read the server ended for memory is not retried), and the call
    returns within ``timeout`` + :data:`QUERY_GRACE` seconds whatever the driver does.
    :class:`QueryError` says which rule refused a statement, or that the timeout or the
    server's transaction memory limit ended it.
    """
    import threading

    from neo4j import READ_ACCESS

    args = dict(params or {})
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            with (
                translated("the query"),
                driver.session(
                    database=database, default_access_mode=READ_ACCESS, fetch_size=QUERY_FETCH_SIZE
                ) as session,
            ):
                check_read_only(session, query, args)
                with session.begin_transaction(timeout=timeout) as tx:
                    outcome["result"] = _stream(tx.run(query, args), max_rows, max_bytes)
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = e

    worker = threading.Thread(target=work, name="influence-query", daemon=True)
    worker.start()
    worker.join(timeout + QUERY_GRACE)
    if worker.is_alive():
        raise QueryError(
            f"the query did not finish within {timeout:g} s (rule: transaction timeout) and the server did not "
            "end it — it may be out of memory (see its logs/neo4j.log); narrow the query (a LIMIT, fewer or "
            "smaller values per row) or raise --timeout"
        )
    if "result" in outcome:
        result: QueryResult = outcome["result"]
        return result
    error = outcome.get("error")
    if isinstance(error, QueryError):
        code = error.code or ""
        message = error.neo4j_message or ""
        if "TransactionTimedOut" in code or "Terminated" in code:
            raise QueryError(
                f"the query ran longer than {timeout:g} s (rule: transaction timeout) — narrow it "
                "(a LIMIT, a smaller pattern) or raise --timeout"
            ) from error.__cause__
        if "MemoryPoolOutOfMemory" in code or "TransactionOutOfMemory" in code or "memory" in message.lower():
            raise QueryError(
                "the query needs more memory than the server lets one transaction use (rule: transaction "
                f"memory, db.memory.transaction.max) — narrow it (a LIMIT, fewer or smaller values per row): "
                f"{message}",
                code=code,
                neo4j_message=message,
            ) from error.__cause__
        if "WriteOnReadOnlyAccess" in code or "AccessMode" in code or "Forbidden" in code:
            raise _refuse("read-only session", message or code) from error.__cause__
    if error is not None:
        raise error
    raise QueryError("the query ended without a result — rerun")  # pragma: no cover


def _stream(result: Any, max_rows: int, max_bytes: int) -> QueryResult:
    keys = list(result.keys())
    rows: list[dict[str, Any]] = []
    size = 0
    for record in result:
        if len(rows) >= max_rows:
            return QueryResult(keys, rows, True, "rows")
        row = dict(zip(keys, record.values(), strict=True))
        size += value_bytes(row)
        if size > max_bytes:
            return QueryResult(keys, rows, True, "bytes")
        rows.append(row)
    return QueryResult(keys, rows, False, None)
