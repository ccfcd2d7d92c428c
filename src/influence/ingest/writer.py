"""Records → graph: stream parsed records into Neo4j in idempotent ``UNWIND $rows … MERGE`` batches.

:func:`ingest` reads any iterable of :mod:`influence.loaders.records` (a parser's output),
validates each record, converts it to a parameter row and buffers the rows per record type;
a full buffer is written in one transaction with the matching ``cypher/ingest/merge_*.cypher``
statement (posts: ``check_post_authors``, then ``merge_posts`` for posts already stored and
``merge_posts_new`` for the others, whose relationships are CREATEd). One background thread writes
while the next batch is converted, so at most three batches are in memory: it is bounded by
the batch size, not by the input.

Rules (also in the README):

* Every write is a ``MERGE`` on a constrained key; properties are set from explicit lists with
  ``coalesce`` so a null never erases a known value. Loading the same input twice changes
  nothing; a load interrupted by a crash is finished by running it again.
* Engagement counts are a time series: a post with counts and ``observed_at`` (or an
  :class:`~influence.loaders.records.ObservationRecord`) adds one ``Observation`` node, and the
  post's latest counts change only when that observation is not older than
  ``Post.lastObservedAt``.
* A record is rejected (written to the rejects file with a reason, counted in the summary,
  never written to the graph) when its key is missing, a value has the wrong type, or it
  conflicts with what is known: a post whose author differs from the author already stored
  for that post id (from this load or an earlier one) keeps the first author; the later record
  is rejected. Invalid ``UserRecord.extra`` entries are dropped (and reported) while the rest
  of the user is loaded.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from neo4j import Driver

from influence import cypher, db
from influence.errors import InputError
from influence.ingest.rejects import RejectWriter
from influence.ingest.sink import DEFAULT_BATCH_SIZE, Neo4jSink
from influence.ingest.summary import LoadSummary, SummaryProgress, graph_counts
from influence.loaders.records import (
    Record,
)


def link_post_owners(driver: Driver, database: str | None = None) -> int:
    """Link posts known only by their owner's platform id to the loaded profile with that id
    (``cypher/link_post_owners``); return how many posts still wait for their owner."""
    rows = db.write(driver, cypher.load("link_post_owners"), database=database)  # errors translated by db
    return int(rows[0]["waiting"]) if rows else 0


def ingest(
    driver: Driver,
    records: Iterable[Record],
    rejects_path: Path,
    database: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: SummaryProgress | None = None,
) -> LoadSummary:
    """Write ``records`` (any parser's output) to the graph; return what was done.

    Creates the schema first (idempotent) and counts the graph before and after
    (:func:`graph_counts`). Rejected records are appended to ``rejects_path`` (JSON Lines
    ``{source, position, reason, raw}``; the file is created only when there is a reject).
    ``progress`` is called with the live :class:`LoadSummary` after every record (keep it
    cheap; its figures for written records lag by the batches in flight) and once more at the
    end. Raises :class:`~influence.errors.ConnectionFailed` / :class:`~influence.errors.QueryError`
    when the database fails; what was written so far stays, and rerunning the load finishes it.
    """
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    db.init_schema(driver, database)
    rejects = RejectWriter(rejects_path)
    state = Neo4jSink(driver, rejects, database, batch_size, progress)
    state.summary.graph_before = graph_counts(driver, database)
    try:
        try:
            for index, record in enumerate(records):
                state.add(index, record)
            state.flush_all()
        finally:
            state.writer.close()
        state.summary.awaiting_owner = link_post_owners(driver, database)
        state.summary.graph_after = graph_counts(driver, database)
    finally:
        s = state.summary
        s.rejected = rejects.count
        s.reasons = rejects.reasons
        s.rejects_unwritten = rejects.unwritten
        rejects.close()
        s.files = len(state.sources)
        s.seconds = time.monotonic() - state.started
    if progress is not None:
        progress(s)
    return state.summary
