"""Records → graph: validated rows written to Neo4j in idempotent batches, or to neo4j-admin import files.

Modules: :mod:`~influence.ingest.rows` (a record's validation and its parameter row),
:mod:`~influence.ingest.summary` (what a load read, wrote and rejected),
:mod:`~influence.ingest.rejects` (the rejects file), :mod:`~influence.ingest.sink` (buffers and the
Neo4j writer thread), :mod:`~influence.ingest.writer` (:func:`ingest`, the entry point),
:mod:`~influence.ingest.bulk` (neo4j-admin import files) and :mod:`~influence.ingest.scrape`
(gallery-dl, then a load).
"""

from influence.ingest.rejects import RejectWriter, readable, reason_kind
from influence.ingest.rows import (
    RecordError,
    follow_row,
    iso,
    observation_id,
    post_row,
    safe_extra,
    user_row,
)
from influence.ingest.sink import DEFAULT_BATCH_SIZE, RecordSink
from influence.ingest.summary import KINDS, LoadSummary, SummaryProgress, graph_counts
from influence.ingest.writer import ingest, link_post_owners

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "KINDS",
    "LoadSummary",
    "RecordError",
    "RecordSink",
    "RejectWriter",
    "SummaryProgress",
    "follow_row",
    "graph_counts",
    "ingest",
    "iso",
    "link_post_owners",
    "observation_id",
    "post_row",
    "readable",
    "reason_kind",
    "safe_extra",
    "user_row",
]
