"""Where records go: :class:`RecordSink` buffers rows per kind; the Neo4j writer thread sends batches."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from neo4j import Driver, ManagedTransaction, RoutingControl

from influence import cypher, db
from influence.errors import QueryError
from influence.ingest.rejects import RejectWriter
from influence.ingest.rows import (
    RecordError,
    comment_row,
    follow_row,
    like_row,
    observation_row,
    post_row,
    scrape_row,
    user_row,
)
from influence.ingest.summary import OUTCOMES, LoadSummary, SummaryProgress
from influence.loaders.records import (
    CommentRecord,
    FollowRecord,
    LikeRecord,
    ObservationRecord,
    PostRecord,
    Record,
    Reject,
    ScrapeRecord,
    UserRecord,
)

DEFAULT_BATCH_SIZE = 10000
#: Neo4j's code when two concurrent MERGEs of one key race; the batch is retried this often.
CONSTRAINT_FAILED = "Neo.ClientError.Schema.ConstraintValidationFailed"
UNIQUENESS_RETRIES = 5

# ------------------------------------------------------------------------------ writing
Done = Callable[[list[Any]], None]


class _Writer:
    """Sends batches to Neo4j from one background thread, in submission order.

    The caller converts the next batch while Neo4j writes the current one. The queue holds
    one batch, so at most three batches (building, queued, in flight) are in memory.
    """

    def __init__(self, driver: Driver, database: str | None, summary: LoadSummary) -> None:
        self.driver = driver
        self.database = database
        self.summary = summary
        self.error: BaseException | None = None
        self._queue: queue.Queue[tuple[str, list[dict[str, Any]], Done] | None] = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._loop, name="influence-ingest-writer", daemon=True)
        self._thread.start()

    def submit(self, name: str, rows: list[dict[str, Any]], done: Done) -> None:
        """Queue one batch; ``done`` gets the query's records after it committed."""
        self._raise()
        self._queue.put((name, rows, done))

    def close(self) -> None:
        """Wait for every queued batch; re-raise the first failure."""
        self._queue.put(None)
        self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _loop(self) -> None:
        while (job := self._queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the caller raises at its next submit
            name, rows, done = job
            try:
                done(self.run(name, rows))
            except BaseException as e:  # handed to the caller's thread
                self.error = e

    def run(self, name: str, rows: list[dict[str, Any]]) -> list[Any]:
        """Write one batch with ``cypher/<name>.cypher`` in one transaction; return its records.

        ``merge_posts`` runs after ``check_post_authors`` in the same transaction, which leaves
        out the conflicting rows (their ids are returned) and sends posts not stored yet to
        ``merge_posts_new``. A batch that loses a uniqueness race (another load MERGEd the same
        node between this MERGE's read and its write) is retried: the MERGE then matches.
        """
        for attempt in range(1, UNIQUENESS_RETRIES + 1):
            try:
                with db.translated(f"the load ({name} batch)"):
                    return self._run(name, rows)
            except QueryError as e:
                if e.code != CONSTRAINT_FAILED or attempt == UNIQUENESS_RETRIES:
                    raise
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")

    def _run(self, name: str, rows: list[dict[str, Any]]) -> list[Any]:
        if name == "merge_posts":
            with self.driver.session(
                database=self.database, bookmark_manager=self.driver.execute_query_bookmark_manager
            ) as session:
                conflicts, totals = session.execute_write(_write_posts, rows)
            self.summary.nodes_created += totals["nodes_created"]
            self.summary.relationships_created += totals["relationships_created"]
            self.summary.properties_set += totals["properties_set"]
            return [list(conflicts), {o: totals[o] for o in OUTCOMES}]
        records, result, _ = self.driver.execute_query(
            cypher.load(name),
            parameters_={"rows": rows},
            routing_=RoutingControl.WRITE,
            database_=self.database,
        )
        counters = result.counters
        self.summary.nodes_created += counters.nodes_created
        self.summary.relationships_created += counters.relationships_created
        self.summary.properties_set += counters.properties_set
        return list(records)


def _write_posts(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> tuple[list[str], dict[str, int]]:
    # A separate read beats checking inside merge_posts: the write query stays flat (no CALL).
    record = tx.run(cypher.load("check_post_authors"), rows=rows).single()
    conflicts: list[str] = list(record["conflicts"]) if record else []
    existing = set(record["existing"]) if record else set()
    # Posts not stored yet take merge_posts_new (CREATE their relationships): in a first load
    # that is nearly every post, and it saves the MERGE scan of each author's relationships.
    skip = set(conflicts)
    stored = [r for r in rows if r["id"] in existing and r["id"] not in skip]
    new = [r for r in rows if r["id"] not in existing]
    totals = dict.fromkeys(("nodes_created", "relationships_created", "properties_set", *OUTCOMES), 0)
    totals["new"] = len(new)
    for name, batch in (("merge_posts", stored), ("merge_posts_new", new)):
        if batch:
            result = tx.run(cypher.load(name), rows=batch)
            if name == "merge_posts":
                outcome = result.single()
                totals["updated"] = int(outcome["updated"]) if outcome else 0
                totals["unchanged"] = int(outcome["unchanged"]) if outcome else 0
            counters = result.consume().counters
            totals["nodes_created"] += counters.nodes_created
            totals["relationships_created"] += counters.relationships_created
            totals["properties_set"] += counters.properties_set
    return conflicts, totals


class RecordSink:
    """Where validated records go: the database (:func:`ingest`) or neo4j-admin import files
    (:func:`influence.ingest.bulk.write_import`). :meth:`add` is the one record dispatch both
    share — validation into parameter rows, rejects with their reasons, the current scrape and
    source file, the count of records read; a subclass says what to do with each kind of row.

    A scrape is written only when a record of it is (a ``Scrape`` node for a folder that held
    nothing usable would be provenance of nothing).
    """

    scrape: str | None
    source: str
    sources: set[str]
    rejects: RejectWriter
    summary: LoadSummary
    pending_scrape: dict[str, Any] | None = None

    def reject(self, position: int | str, reason: str, raw: Any, source: str | None = None) -> None:
        """Append one reject to the rejects file (at the current source file by default)."""
        self.rejects.write(source or self.source, str(position), reason, raw)
        self.summary.rejected = self.rejects.count

    def add(self, index: int, record: Record) -> None:
        """Validate ``record`` and hand its row to the matching ``add_*``; a record that cannot
        be written becomes a reject with the reason."""
        if not isinstance(record, ScrapeRecord):
            self.summary.read += 1
        try:
            if isinstance(record, PostRecord):
                self.add_post(index, record)
            elif isinstance(record, FollowRecord):
                row = follow_row(record)
                self.use_scrape()
                self.add_follow(row)
            elif isinstance(record, UserRecord):
                self.add_user(index, record)
            elif isinstance(record, ObservationRecord):
                obs = observation_row(record)
                self.use_scrape()
                self.add_observation(*obs)
            elif isinstance(record, LikeRecord):
                row = like_row(record)
                self.use_scrape()
                self.add_like(row)
            elif isinstance(record, CommentRecord):
                row = comment_row(record)
                self.use_scrape()
                self.add_comment(row)
            elif isinstance(record, Reject):
                self.sources.add(str(record.source))
                self.reject(record.position, record.reason, record.raw, source=record.source)
            elif isinstance(record, ScrapeRecord):
                row = scrape_row(record)
                self.pending_scrape = row
                self.scrape = row["id"]
                if row.get("path"):
                    self.source = row["path"]
                    self.sources.add(row["path"])
            else:
                self.reject(index, f"unknown record type: {type(record).__name__}", record)
        except RecordError as e:
            self.reject(index, str(e), record)
        self.added(index)

    def use_scrape(self) -> None:
        """Write the current scrape if it is not written yet: a record of it is about to be."""
        if self.pending_scrape is not None:
            row, self.pending_scrape = self.pending_scrape, None
            self.add_scrape(row)

    def drop_values(self, index: int, reasons: list[str], record: Any) -> None:
        """Reject the values ``reasons`` name from a record that is loaded without them."""
        for reason in reasons:
            self.summary.values_dropped += 1
            self.reject(index, f"extra property dropped: {reason} (the user was loaded)", record)

    def add_post(self, index: int, record: PostRecord) -> None:
        raise NotImplementedError

    def add_user(self, index: int, record: UserRecord) -> None:
        raise NotImplementedError

    def add_follow(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def add_like(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def add_comment(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def add_observation(self, post: str, at: datetime, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def add_scrape(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def added(self, index: int) -> None:
        """Called after every record (progress)."""


def _merged_outcome(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """How a second row of one user in a batch would find the graph after the first: "unchanged"
    or "updated" when that is known without the database (it sets only properties the first
    row sets too), and it can then be folded into the first; None when it cannot."""
    # Same scrape (one FROM_SCRAPE), same language and country (each adds its own relationship).
    if any(old.get(k) != new.get(k) for k in ("scrape", "language", "country")):
        return None
    if any(k not in old for k in new) or any(k not in old.get("extra", {}) for k in new.get("extra", {})):
        return None
    changed = any(old[k] != v for k, v in new.items() if k != "extra") or any(
        old["extra"][k] != v for k, v in new.get("extra", {}).items()
    )
    return "updated" if changed else "unchanged"


def _merge_rows(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = {**old, **new}
    if "extra" in old and "extra" in new:
        merged["extra"] = {**old["extra"], **new["extra"]}
    return merged


class Neo4jSink(RecordSink):
    def __init__(
        self,
        driver: Driver,
        rejects: RejectWriter,
        database: str | None,
        batch_size: int,
        progress: SummaryProgress | None,
    ) -> None:
        self.summary = LoadSummary(rejects_path=rejects.path)
        self.writer = _Writer(driver, database, self.summary)
        self.rejects = rejects
        self.batch_size = batch_size
        self.progress = progress
        self.scrape: str | None = None
        self.source = "<records>"
        self.sources: set[str] = set()
        self.users: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.post_raw: dict[str, tuple[int, str, PostRecord]] = {}
        # keyed, so a pair (an id) is written once per batch: a write query's new / unchanged
        # tells apart rows only when each is distinct
        self.follows: dict[tuple[str, str], dict[str, Any]] = {}
        self.likes: dict[tuple[str, str], dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.observations: dict[str, dict[str, tuple[datetime, dict[str, Any]]]] = {}
        self.n_observations = 0
        self.extra_names: set[str] = set()
        self.started = time.monotonic()

    # -- per record ---------------------------------------------------------------------
    def add_follow(self, row: dict[str, Any]) -> None:
        key = (row["follower"], row["followed"])
        if key in self.follows:
            if row.get("weight") in (None, self.follows[key].get("weight")):
                self.summary.outcomes["follows"]["unchanged"] += 1  # the same pair again: a repeat
                self.summary.written["follows"] += 1
                return
            self.flush_follows()  # a new weight: the database tells how it finds the pair
        self.follows[key] = row
        if len(self.follows) >= self.batch_size:
            self.flush_follows()

    def add_like(self, row: dict[str, Any]) -> None:
        key = (row["user"], row["post"])
        if key in self.likes:
            self.summary.outcomes["likes"]["unchanged"] += 1
            self.summary.written["likes"] += 1
            return
        self.likes[key] = row
        if len(self.likes) >= self.batch_size:
            self.flush_likes()

    def add_comment(self, row: dict[str, Any]) -> None:
        if row["id"] in self.comments:
            self.flush_comments()  # the database tells whether the second one changes it
        self.comments[row["id"]] = row
        if len(self.comments) >= self.batch_size:
            self.flush_comments()

    def add_observation(self, post: str, at: datetime, row: dict[str, Any]) -> None:
        seen = self.observations.setdefault(post, {})
        if row["id"] in seen:
            self.flush_observations()  # the same observation twice: write them in order
            seen = self.observations.setdefault(post, {})
        seen[row["id"]] = (at, row)
        self.n_observations += 1
        if self.n_observations >= self.batch_size:
            self.flush_observations()

    def add_scrape(self, row: dict[str, Any]) -> None:
        # Queued before any row that links to it (the writer keeps the order).
        self.writer.submit("merge_scrapes", [row], self._counted("scrapes"))

    def add_user(self, index: int, record: UserRecord) -> None:
        row, dropped = user_row(record, self.scrape, self.extra_names)
        self.use_scrape()
        self.drop_values(index, dropped, record)
        old = self.users.get(row["id"])
        if old is not None:
            # A profile repeats (each sidecar's owner, tagged users): folding the repeat into the
            # row already in the batch saves a transaction per repeat.
            outcome = _merged_outcome(old, row)
            if outcome is not None:
                self.users[row["id"]] = _merge_rows(old, row)
                self.summary.written["users"] += 1
                self.summary.outcomes["users"][outcome] += 1
                return
            self.flush_users()  # two records of one user in a batch: keep their order
        self.users[row["id"]] = row
        if len(self.users) >= self.batch_size:
            self.flush_users()

    def add_post(self, index: int, record: PostRecord) -> None:
        row = post_row(record, self.scrape)
        self.use_scrape()
        if isinstance(record.id, str) and record.id.startswith("content:"):
            self.summary.content_ids += 1  # csv_input.CONTENT_ID_PREFIX
        if row["id"] in self.posts:
            self.flush_posts()  # the database then decides on author conflicts
        self.posts[row["id"]] = row
        self.post_raw[row["id"]] = (index, self.source, record)
        if len(self.posts) >= self.batch_size:
            self.flush_posts()

    # -- batches ------------------------------------------------------------------------
    def _counted(self, kind: str) -> Done:
        def done(records: list[Any]) -> None:
            outcome = self.summary.outcomes[kind]
            for o in OUTCOMES:
                n = int(records[0][o]) if records else 0
                outcome[o] += n
                self.summary.written[kind] += n

        return done

    def flush_users(self) -> None:
        if self.users:
            self.writer.submit("merge_users", list(self.users.values()), self._counted("users"))
            self.users = {}

    def flush_posts(self) -> None:
        if not self.posts:
            return
        raw = self.post_raw

        def done(result: list[Any]) -> None:
            conflicts, outcome = result
            for pid in conflicts:
                index, source, record = raw[pid]
                self.reject(
                    index,
                    f"conflicting author: post {pid!r} is already stored with another author than {record.author!r}",
                    record,
                    source=source,
                )
            for o in OUTCOMES:
                self.summary.outcomes["posts"][o] += outcome[o]
                self.summary.written["posts"] += outcome[o]

        self.writer.submit("merge_posts", list(self.posts.values()), done)
        self.posts, self.post_raw = {}, {}

    def flush_follows(self) -> None:
        if self.follows:
            self.writer.submit("merge_follows", list(self.follows.values()), self._counted("follows"))
            self.follows = {}

    def flush_likes(self) -> None:
        if self.likes:
            self.writer.submit("merge_likes", list(self.likes.values()), self._counted("likes"))
            self.likes = {}

    def flush_comments(self) -> None:
        if self.comments:
            self.writer.submit("merge_comments", list(self.comments.values()), self._counted("comments"))
            self.comments = {}

    def flush_observations(self) -> None:
        if not self.observations:
            return
        rows = []
        for post, obs in self.observations.items():
            latest = max(obs.values(), key=lambda o: o[0])[1]
            rows.append({"post": post, "observations": [row for _, row in obs.values()], "latest": latest})
        self.writer.submit("merge_observations", rows, self._counted("observations"))
        self.observations = {}
        self.n_observations = 0

    def flush_all(self) -> None:
        self.flush_users()
        self.flush_posts()
        self.flush_follows()
        self.flush_likes()
        self.flush_comments()
        self.flush_observations()

    def added(self, index: int) -> None:
        if self.progress is not None:
            self.progress(self.summary)
