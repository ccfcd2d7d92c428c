"""Records → parameter rows: validation of each record and the row every write query receives."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sized
from datetime import UTC, datetime
from typing import Any

from influence import graph_model as gm
from influence.loaders import limits
from influence.loaders.records import (
    CommentRecord,
    FollowRecord,
    LikeRecord,
    ObservationRecord,
    PostRecord,
    ScrapeRecord,
    UserRecord,
)
from influence.values import to_bool, to_count, to_datetime

EXTRA_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Properties the loader or the analytics own: ``UserRecord.extra`` may not overwrite them.
RESERVED_USER_PROPERTIES = gm.RESERVED_USER_PROPERTIES

# (record field, row key) of each property, from the graph model
_USER_STRINGS = gm.field_map(gm.properties(gm.USER, "string"))
_USER_COUNTS = gm.field_map(gm.properties(gm.USER, "long"))
_USER_BOOLS = gm.field_map(gm.properties(gm.USER, "boolean"))
# postedAt and ownerId have rules of their own (post_row); the location's texts travel in the row
_POST_STRINGS = tuple(
    (f, p) for f, p in gm.field_map(gm.properties(gm.POST, "string")) if p != "ownerId"
) + gm.field_map(gm.POST_ROW_TEXTS)
_POST_SIZES = tuple(
    (f, p) for f, p in gm.field_map(gm.properties(gm.POST, "long")) if p not in gm.ENGAGEMENT_COUNTS
)
_COUNTS = gm.ENGAGEMENT_COUNTS


class RecordError(ValueError):
    """A record that cannot be written; the message is the reject reason."""


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
    row: dict[str, Any] = {"id": _key(r.id, "scrape id", check=False)}
    for prop in gm.properties(gm.SCRAPE):
        assert prop.field is not None  # every Scrape property comes from its record
        value = getattr(r, prop.field)
        row[prop.name] = (
            iso(_time(value, prop.field)) if prop.type == "datetime" else _text(value, prop.field)
        )
    return _compact(row)
