"""Records → graph: stream parsed records into Neo4j in idempotent ``UNWIND $rows … MERGE`` batches.

:func:`ingest` reads any iterable of :mod:`influence.loaders.records` (a parser's output),
validates each record, converts it to a parameter row and buffers the rows per record type;
a full buffer is written in one transaction with the matching ``cypher/merge_*.cypher``
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

import contextlib
import errno
import hashlib
import json
import os
import queue
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sized
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any

from neo4j import Driver, ManagedTransaction, RoutingControl

from influence import cypher, db
from influence.errors import InputError, OutputError, QueryError
from influence.loaders import limits
from influence.loaders.common import MAX_RAW_CHARS, MAX_RAW_ITEMS
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
from influence.loaders.values import to_bool, to_count, to_datetime

DEFAULT_BATCH_SIZE = 10000
#: Neo4j's code when two concurrent MERGEs of one key race; the batch is retried this often.
CONSTRAINT_FAILED = "Neo.ClientError.Schema.ConstraintValidationFailed"
UNIQUENESS_RETRIES = 5
#: Record types in the order the summary lists them.
KINDS = ("scrapes", "users", "posts", "follows", "likes", "comments", "observations")

Progress = Callable[[str], None]
#: Called with the live summary after every record (see :func:`ingest`).
SummaryProgress = Callable[["LoadSummary"], None]

EXTRA_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Properties the loader or the analytics own: ``UserRecord.extra`` may not overwrite them.
RESERVED_USER_PROPERTIES = frozenset(
    {
        "id",
        "username",
        "platformId",
        "fullName",
        "followers",
        "following",
        "postsCount",
        "verified",
        "private",
        "biography",
        "category",
        "language",
        "country",
        "platform_id",
        "full_name",
        "posts_count",
        "pagerank",
        "community",
        "embedding",
        "engagementRate",
        "articlerank",
        "eigenvector",
    }
)

_USER_STRINGS = (
    ("username", "username"),
    ("platform_id", "platformId"),
    ("full_name", "fullName"),
    ("biography", "biography"),
    ("category", "category"),
    ("language", "language"),
    ("country", "country"),
)
_USER_COUNTS = (("followers", "followers"), ("following", "following"), ("posts_count", "postsCount"))
_POST_STRINGS = (
    ("shortcode", "shortcode"),
    ("media_id", "mediaId"),
    ("url", "url"),
    ("type", "type"),
    ("caption", "caption"),
    ("media_path", "mediaPath"),
    ("language", "language"),
    ("location_name", "locationName"),
    ("location_slug", "locationSlug"),
    ("country", "country"),
)
_POST_SIZES = (
    ("carousel_size", "carouselSize"),
    ("width", "width"),
    ("height", "height"),
    ("impressions", "impressions"),
    ("reach", "reach"),
    ("saves", "saves"),
    ("profile_visits", "profileVisits"),
    ("follows", "follows"),
)
_COUNTS = ("likes", "comments", "views", "shares")


def _quiet(_: str) -> None:
    return None


class RecordError(ValueError):
    """A record that cannot be written; the message is the reject reason."""


#: What a load counts, in the order the summary lists them: the summary's name of each kind,
#: the graph element it counts (a node label or a relationship type) and the record type
#: (``written`` key) whose records write it; hashtags come only with posts.
GRAPH_KINDS: tuple[tuple[str, str, str | None], ...] = (
    ("accounts", "User", "users"),
    ("posts", "Post", "posts"),
    ("observations", "Observation", "observations"),
    ("follows", "FOLLOWS", "follows"),
    ("likes", "LIKED", "likes"),
    ("comments", "COMMENTED", "comments"),
    ("hashtags", "Hashtag", None),
    ("scrapes", "Scrape", "scrapes"),
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
    (constant time whatever the graph's size; ``cypher/count_graph``)."""
    rows = db.read(driver, cypher.load("count_graph"), database=database)
    return {k: int(v) for k, v in dict(rows[0]).items()} if rows else {}


# ------------------------------------------------------------------------------ validation
def _key(value: Any, what: str, *, check: bool = True) -> str:
    if value is None or isinstance(value, bool):
        raise RecordError(f"missing key: {what} is empty")
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"invalid key: {what} has type {type(value).__name__}")
    text = value.strip()
    if not text:
        raise RecordError(f"missing key: {what} is empty")
    if check and (problem := limits.id_problem(text, what)) is not None:
        raise RecordError(problem)
    return text


def _instagram(scrape: str | None) -> bool:
    # Scrape ids start with their source (``gallery-dl:/path:…``, see common.scrape_id).
    return scrape is not None and scrape.split(":", 1)[0] in limits.INSTAGRAM_SOURCES


def _username_key(value: Any, what: str, scrape: str | None) -> str:
    key = _key(value, what)
    if _instagram(scrape) and (problem := limits.username_problem(key, what)) is not None:
        raise RecordError(problem)
    return key


def _text(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise RecordError(f"invalid value: {what} has type {type(value).__name__}")


def _count(value: Any, what: str) -> int | None:
    if value is None or (type(value) is int and value >= 0):
        return value  # type: ignore[no-any-return]
    try:
        return to_count(value)
    except ValueError as e:
        raise RecordError(f"invalid value: {what}: {e}") from e


def _bool(value: Any, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    try:
        return to_bool(value)
    except ValueError as e:
        raise RecordError(f"invalid value: {what}: {e}") from e


def _time(value: Any, what: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is UTC:
            return value
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    try:
        return to_datetime(value)
    except ValueError as e:
        raise RecordError(f"invalid value: {what}: {e}") from e


def _ids(values: Any, what: str, exclude: str | None = None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise RecordError(f"invalid value: {what} is not a list")
    max_items = limits.current().max_list_items
    if isinstance(values, Sized) and len(values) > max_items:
        raise RecordError(
            f"list too long: {what} has {len(values):,} entries (limit {max_items:,}, --max-list-items)"
        )
    out: dict[str, None] = {}
    for v in values:
        if isinstance(v, str) and v.strip():
            out[v.strip()] = None
        elif isinstance(v, int) and not isinstance(v, bool):
            out[str(v)] = None
        elif v is not None and v != "":
            raise RecordError(f"invalid value: {what} holds a {type(v).__name__}")
    if exclude is not None:
        out.pop(exclude, None)
    return list(out)


def _hashtags(values: Any) -> list[str]:
    tags = _ids(values, "hashtags")
    return list(dict.fromkeys(t for t in (t.lstrip("#＃").lower() for t in tags) if t))


def iso(at: datetime | None) -> str | None:
    """``at`` as ISO 8601 text in UTC (Cypher turns it back with ``datetime()``).

    Times travel as text: the driver packs ``datetime`` objects in Python, about 50× slower
    than strings, which made time fields the bottleneck of a load.
    """
    if at is None:
        return None
    return (at if at.tzinfo is UTC else at.astimezone(UTC)).isoformat()


def _compact(row: dict[str, Any]) -> dict[str, Any]:
    # Absent keys read as null in Cypher: dropping nulls and empty lists shrinks every batch.
    return {k: v for k, v in row.items() if v is not None and v != [] and v != {}}


def observation_id(post_id: str, at: datetime) -> str:
    """The key of an Observation: ``<post id>@<ISO 8601 UTC time>``."""
    return f"{post_id}@{at.astimezone(UTC).isoformat().replace('+00:00', 'Z')}"


_SCALARS = (str, int, float, bool)


def _extra_value(value: Any) -> bool:
    if isinstance(value, _SCALARS):
        return not (isinstance(value, float) and value != value)  # NaN is not a value
    if isinstance(value, list | tuple) and value:
        first = type(value[0])
        return first in _SCALARS and all(type(v) is first for v in value)
    return False


def safe_extra(extra: Mapping[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
    """Split ``UserRecord.extra`` into (properties safe to write, reasons for each entry dropped).

    A key must match ``^[A-Za-z_][A-Za-z0-9_]*$`` and not be a model property; a value must be
    a scalar or a non-empty list of one scalar type. ``None`` values are skipped silently (they
    carry nothing, and ``SET +=`` would erase the property with them).
    """
    safe: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in (extra or {}).items():
        if value is None:
            continue
        if not isinstance(key, str) or not EXTRA_KEY_RE.match(key):
            dropped.append(f"invalid extra property name {key!r}")
        elif key in RESERVED_USER_PROPERTIES:
            dropped.append(f"extra property {key!r} collides with a model property")
        elif not _extra_value(value):
            dropped.append(f"extra property {key!r} has a {type(value).__name__} value")
        else:
            safe[key] = list(value) if isinstance(value, tuple) else value
    return safe, dropped


def _put_texts(row: dict[str, Any], r: Any, fields: tuple[tuple[str, str], ...]) -> None:
    max_chars = limits.current().max_text_chars
    for attr, prop in fields:
        v = getattr(r, attr)
        if v is not None:
            if type(v) is str and len(v) > max_chars:
                raise RecordError(
                    f"value too long: {attr} has {len(v):,} characters (limit {max_chars:,}, --max-text-chars)"
                )
            if type(v) is str:
                if v and not v.isspace():
                    row[prop] = v
            else:
                t = _text(v, attr)
                if t is not None:
                    row[prop] = t


def _put_counts(row: dict[str, Any], r: Any, fields: tuple[tuple[str, str], ...]) -> bool:
    found = False
    for attr, prop in fields:
        v = getattr(r, attr)
        if v is not None:
            if type(v) is not int or v < 0:
                v = _count(v, attr)
                if v is None:
                    continue
            row[prop] = v
            found = True
    return found


_USER_BOOLS = (("verified", "verified"), ("private", "private"))
_COUNT_FIELDS = tuple((name, name) for name in _COUNTS)


def user_row(
    r: UserRecord, scrape: str | None, extra_names: set[str] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The parameter row of a user (absent values left out) and the reasons of extras dropped.

    ``extra_names`` holds the extra property names this load has written so far; a new name
    beyond ``Limits.max_extra_properties`` is dropped (each property name stays in the database
    for ever).
    """
    row: dict[str, Any] = {"id": _username_key(r.id, "user id", scrape)}
    if scrape is not None:
        row["scrape"] = scrape
    _put_texts(row, r, _USER_STRINGS)
    _put_counts(row, r, _USER_COUNTS)
    for attr, prop in _USER_BOOLS:
        b = _bool(getattr(r, attr), attr)
        if b is not None:
            row[prop] = b
    dropped: list[str] = []
    if r.extra:
        row["extra"], dropped = safe_extra(r.extra)
        if extra_names is not None:
            limit = limits.current().max_extra_properties
            over = []
            for key in list(row["extra"]):
                if key in extra_names:
                    continue
                if len(extra_names) >= limit:
                    del row["extra"][key]
                    over.append(key)
                else:
                    extra_names.add(key)
            if over:
                # one reason for all of them: a million columns must not give a million rejects
                shown = ", ".join(repr(k) for k in over[:5]) + (" …" if len(over) > 5 else "")
                dropped.append(
                    f"too many extra property names: {len(over):,} new names over the limit of "
                    f"{limit} per load ({shown}; --max-extra-properties)"
                )
            if not row["extra"]:
                del row["extra"]
    return row, dropped


def post_row(r: PostRecord, scrape: str | None) -> dict[str, Any]:
    """The parameter row of a post (absent values left out)."""
    pid = _key(r.id, "post id")
    row: dict[str, Any] = {"id": pid}
    author = None if r.author is None or r.author == "" else _username_key(r.author, "author", scrape)
    if author is not None:
        row["author"] = author
    elif r.owner_id is not None:
        owner = _text(r.owner_id, "owner_id")
        if owner is not None:
            row["ownerId"] = owner.strip()
    if scrape is not None:
        row["scrape"] = scrape
    _put_texts(row, r, _POST_STRINGS)
    _put_counts(row, r, _POST_SIZES)
    has_counts = _put_counts(row, r, _COUNT_FIELDS)
    posted = iso(_time(r.posted_at, "posted_at")) if r.posted_at is not None else None
    if posted is not None:
        row["postedAt"] = posted
    observed = iso(_time(r.observed_at, "observed_at")) if r.observed_at is not None else None
    if observed is not None:
        row["observedAt"] = observed
        if has_counts:
            row["obsId"] = f"{pid}@{observed[:-6]}Z"  # same as observation_id(): iso() ends in +00:00
    location = r.location_id
    if location is not None:
        location = _text(location, "location_id")
    if location is None and "locationName" in row:
        # A location known only by name still groups posts: key it by its slug or name.
        location = "name:" + row.get("locationSlug", row["locationName"].strip().lower())
    if location is not None:
        row["locationId"] = location
    if r.hashtags:
        row["hashtags"] = _hashtags(r.hashtags)
    if r.mentions:
        row["mentions"] = _ids(r.mentions, "mentions")
    if r.features:
        row["features"] = _ids(r.features, "features")
    if r.coauthors:
        row["coauthors"] = _ids(r.coauthors, "coauthors", exclude=author)
    return row


def follow_row(r: FollowRecord) -> dict[str, Any]:
    """The parameter row of a follow edge."""
    # A self-loop is kept: in interaction graphs (replies, mentions) it is data.
    a, b = _key(r.follower, "follower"), _key(r.followed, "followed")
    weight = r.weight
    if weight is not None:
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight != weight:
            raise RecordError(f"invalid value: weight {weight!r} is not a number")
        weight = float(weight)
    return (
        {"follower": a, "followed": b} if weight is None else {"follower": a, "followed": b, "weight": weight}
    )


def like_row(r: LikeRecord) -> dict[str, Any]:
    """The parameter row of a like."""
    return {"user": _key(r.user, "user"), "post": _key(r.post, "post")}


def comment_row(r: CommentRecord) -> dict[str, Any]:
    """The parameter row of a comment; without an id it gets ``c:<hash>`` of user, post, time and
    text (the same comment loaded again gets the same id)."""
    user, post = _key(r.user, "user"), _key(r.post, "post")
    text = r.text if isinstance(r.text, str) else _text(r.text, "text")
    max_chars = limits.current().max_text_chars
    if text is not None and len(text) > max_chars:
        raise RecordError(
            f"value too long: text has {len(text):,} characters (limit {max_chars:,}, --max-text-chars)"
        )
    at = iso(_time(r.at, "at")) if r.at is not None else None
    cid = None if r.id is None or r.id == "" else _key(r.id, "comment id")
    if cid is None:
        if text is None and at is None:
            raise RecordError("missing key: a comment needs its id, its text or its time")
        digest = hashlib.blake2b(
            json.dumps([user, post, at, text]).encode("utf-8"), digest_size=12
        ).hexdigest()
        cid = f"c:{digest}"
    return _compact({"id": cid, "user": user, "post": post, "text": text, "at": at})


def observation_row(r: ObservationRecord) -> tuple[str, datetime, dict[str, Any]]:
    """(post id, time, parameter row) of one observation (``id`` = post id + ``@`` + ISO time)."""
    pid = _key(r.post, "post")
    at = _time(r.at, "at")
    if at is None:
        raise RecordError("missing key: observation time is empty")
    row: dict[str, Any] = {"id": observation_id(pid, at), "at": iso(at)}
    for name in _COUNTS:
        row[name] = _count(getattr(r, name), name)
    if all(row[name] is None for name in _COUNTS):
        raise RecordError("empty observation: no likes, comments, views or shares")
    return pid, at, _compact(row)


def scrape_row(r: ScrapeRecord) -> dict[str, Any]:
    """The parameter row of a scrape."""
    return _compact(
        {
            "id": _key(r.id, "scrape id", check=False),
            "source": _text(r.source, "source"),
            "tool": _text(r.tool, "tool"),
            "toolVersion": _text(r.tool_version, "tool_version"),
            "startedAt": iso(_time(r.started_at, "started_at")),
            "path": _text(r.path, "path"),
        }
    )


# ------------------------------------------------------------------------------ rejects
def json_safe(value: Any) -> Any:
    """``value`` as something :func:`json.dumps` accepts (dates as ISO text, bytes decoded),
    bounded like :func:`influence.loaders.common.json_safe`: long strings and lists are cut, so a
    20 MB caption does not put 20 MB into the rejects file."""
    if isinstance(value, str):
        return value if len(value) <= MAX_RAW_CHARS else value[:MAX_RAW_CHARS] + "…"
    if value is None or isinstance(value, int | bool):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return json_safe(bytes(value[: MAX_RAW_CHARS * 4]).decode("utf-8", errors="replace"))
    if is_dataclass(value) and not isinstance(value, type):
        return json_safe(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in islice(value.items(), MAX_RAW_ITEMS)}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in islice(value, MAX_RAW_ITEMS)]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value)


_ESCAPE_RE = re.compile(r"\\(\\|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    if code == "\\":
        return m.group(0)
    char = chr(int(code[1:], 16))
    if unicodedata.category(char) == "Zs":  # no-break, narrow, ideographic … spaces
        return " "
    return char if char.isprintable() else m.group(0)


def readable(reason: str) -> str:
    """``reason`` with the escapes ``repr()`` put into quoted input values turned back into what a
    person reads: a no-break space (``\\xa0``) and other space characters as a space, printable
    characters as themselves; control and invisible characters stay escaped (``\\x00``,
    ``\\u200b``) so they can be seen."""
    return _ESCAPE_RE.sub(_unescape, reason) if "\\" in reason else reason


def reason_kind(reason: str) -> str:
    """The tally key of a reject reason: the text before its first ``:`` (at most 80 chars)."""
    return reason.split(":", 1)[0].strip()[:80] or "unspecified"


class RejectWriter:
    """Appends rejects to a JSON Lines file, opened on the first reject (thread-safe).

    At most ``max_rejects`` lines and ``max_rejects_bytes`` bytes are written (default: the
    :mod:`~influence.loaders.limits` in force); later rejects are only counted (``count``,
    ``reasons``, ``unwritten``), so millions of bad rows cannot fill a disk. A file that cannot
    be written (a full disk) raises :class:`~influence.errors.OutputError` naming the file and
    what to free.
    """

    def __init__(self, path: Path, max_lines: int | None = None, max_bytes: int | None = None) -> None:
        lim = limits.current()
        self.path = path
        self.max_lines = max_lines or lim.max_rejects
        self.max_bytes = max_bytes or lim.max_rejects_bytes
        self._file: IO[str] | None = None
        self._lock = threading.Lock()
        self._failed = False
        self.count = 0
        self.written = 0
        self.bytes = 0
        #: rejects counted but not written once the file reached its cap
        self.unwritten = 0
        self.reasons: Counter[str] = Counter()

    def write(self, source: str, position: str, reason: str, raw: Any) -> None:
        """Append one reject ``{source, position, reason, raw}`` (the reason made :func:`readable`)."""
        reason = readable(reason)
        with self._lock:
            self.count += 1
            self.reasons[reason_kind(reason)] += 1
            if self._failed or self.written >= self.max_lines or self.bytes >= self.max_bytes:
                self.unwritten += 1
                return
        line = {"source": str(source), "position": str(position), "reason": reason, "raw": json_safe(raw)}
        text = json.dumps(line, ensure_ascii=False) + "\n"
        with self._lock:
            size = len(text.encode("utf-8", errors="replace"))
            if self.bytes + size > self.max_bytes:
                self.bytes = self.max_bytes
                self.unwritten += 1
                return
            try:
                if self._file is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._file = self.path.open("a", encoding="utf-8")
                self._file.write(text)
            except OSError as e:
                raise self._error(e) from e
            self.written += 1
            self.bytes += size

    def _error(self, e: OSError) -> OutputError:
        self._failed = True
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        where = self.path.parent.resolve()
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            try:
                free = (
                    f"{os.statvfs(where).f_bavail * os.statvfs(where).f_frsize / 1024 / 1024:,.0f} MiB free"
                )
            except OSError:
                free = "no space left"
            what = (
                f"the disk holding it is full ({free}) — free space on that disk (the rejects file needs up to "
                f"{self.max_bytes / 1024 / 1024:,.0f} MiB, --max-rejects-mb) or pass --rejects with a path on "
                "another disk"
            )
        else:
            what = f"{e.strerror or e} — pass --rejects with a path you can write"
        return OutputError(
            f"cannot write the rejects file {self.path}: {what}; the load stopped after {self.count:,} rejects, what "
            "it wrote to the graph stays, and rerunning the same command finishes it"
        )

    def close(self) -> None:
        """Close the file; :class:`~influence.errors.OutputError` when its last lines cannot be written."""
        with self._lock:
            if self._file is not None:
                file, self._file = self._file, None
                try:
                    file.close()
                except OSError as e:
                    raise self._error(e) from e


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
    (:func:`influence.loaders.bulk.write_import`). :meth:`add` is the one record dispatch both
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


class _Ingest(RecordSink):
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
    state = _Ingest(driver, rejects, database, batch_size, progress)
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
