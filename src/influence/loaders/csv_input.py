"""CSV input: accounts, posts, follow edges and engagement observations (pure parser).

``parse(path, kind, mapping)`` reads one CSV file (or every ``*.csv`` in a directory, sorted)
and yields one :class:`ScrapeRecord` (id ``csv:<absolute path>``, source ``csv``), then records.
The delimiter (``,`` ``;`` tab ``|``) is taken from the header line; the encoding is UTF-8 (with
or without BOM), else Windows-1252; double-encoded text ("CÃ´te d'Ivoire") is repaired with
ftfy. Blank lines are skipped.

Columns are matched to fields by name, case and punctuation ignored (``Followers Count`` =
``followers_count`` = ``followerscount``), first through ``mapping`` (``--map column=field``;
the field ``-`` ignores a column), then :data:`DEFAULT_MAPPINGS`, then the aliases in
:data:`ALIASES`. A footnote marker in a header (``Followers[2]``) is ignored, and a scale in it
(``Followers (millions)``, ``(thousands)``, ``(k)``, ``(m)``) multiplies that column's counts.

Kinds and their default columns (column → field):

``accounts`` → :class:`UserRecord`
    ``username`` (the key: lower-cased, leading ``@`` stripped; ``@cristiano`` → ``cristiano``),
    ``id`` (the key when there is no username column, else ``platform_id``), ``full_name``,
    ``followers``, ``following``, ``posts`` (→ ``posts_count``), ``verified``, ``private``,
    ``biography``, ``category``, ``language``, ``country``. Aliases include ``channel_info``,
    ``User Account Name``, ``Owner`` (→ full name), ``Profession/Activity`` (→ category),
    ``Country/Continent``. ``country`` is stored as an ISO 3166 alpha-2 code when the name is a
    country (the first of several run together, "Trinidad and Tobago United States" → ``TT``);
    the cell as written is kept in ``extra["country_name"]``. Every other named column is kept
    in ``UserRecord.extra`` under a valid property name (``60_day_eng_rate`` →
    ``_60_day_eng_rate``) with a typed value: integers, decimals, rounded counts (``"8.7m"`` →
    8700000), percentages as fractions (``"1.39%"`` → 0.0139), booleans, else text; empty cells
    and ``NaN`` are left out. Wikipedia's "As of 4 January 2023" footer row (every cell the
    same) is **rejected** with the reason "footer row", as is any row whose key is not a username.

``posts`` → :class:`PostRecord`
    ``id`` (shortcode; a post URL in it or in ``url`` gives the shortcode), ``url``, ``author``,
    ``type``, ``caption``, ``posted_at``, ``observed_at``, ``likes``, ``comments``, ``views``,
    ``shares``, ``hashtags``, ``mentions`` (lists separated by spaces — non-breaking ones too —,
    commas, ``;``, ``|`` or ``#``; when empty they are extracted from the caption),
    ``location_id``, ``location`` (→ ``location_name``), ``language`` (detected from the caption
    when absent), ``country``.

``follows`` → :class:`FollowRecord`
    ``follower`` (aliases ``source``, ``src``, ``from``), ``followed`` (``target``, ``dst``, ``to``),
    ``weight``, ``type`` (Gephi's edge table: a row typed ``Undirected`` or ``Mutual`` is an
    edge both ways). Node ids are kept as written, lower-cased, leading ``@`` stripped.

``observations`` → :class:`ObservationRecord` (and the :class:`PostRecord` it belongs to)
    ``post`` (post id), ``at`` (when the counts were seen), ``likes``, ``comments``, ``views``,
    ``shares``; optionally the post's ``author``, ``caption``, ``posted_at``, ``url``, ``type``.
    The default mapping also reads the **Reddit hourly top-100** export
    (``date,id,position,score,subreddit_display_name,…,title,is_self,url,…,num_comments,created,
    created_date``): ``id`` → post ``reddit:<id>``, ``date`` (capture hour, UTC) → ``at``,
    ``score`` → likes, ``num_comments`` → comments, ``title`` → caption, ``created`` (Unix
    seconds) → ``posted_at``, ``subreddit_display_name`` → author ``reddit:r/<subreddit>``,
    ``is_self``/``url`` → type (``text``, ``image``, ``video``, ``carousel`` for galleries, else
    ``link``); ``created_date`` is ignored because it is wrong on most rows (12-hour clock).
    ``position``, ``upvote_ratio`` and ``subreddit_id`` are not kept. A file is read as Reddit
    data when a ``subreddit`` column is mapped. One :class:`PostRecord` (without counts) is
    yielded the first time a post is seen, then an :class:`ObservationRecord` per row.

Bad rows never stop the parse: a row without a usable key, or an observation without a
usable time, becomes a :class:`Reject` (position ``line N``) with the reason; a bad optional
value is dropped from its record, which is kept, and reported as a Reject too. A mapping that
names an unknown field or kind raises :class:`~influence.errors.InputError` before any row is
read.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import itertools
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from influence.errors import InputError
from influence.loaders import cells as cells_mod
from influence.loaders import text, values
from influence.loaders.common import ParseStats, file_mtime, reject
from influence.loaders.records import (
    FollowRecord,
    ObservationRecord,
    PostRecord,
    Record,
    Reject,
    ScrapeRecord,
    UserRecord,
)

SOURCE = "csv"

KINDS: tuple[str, ...] = ("accounts", "posts", "follows", "observations")

#: The fields each kind can map a column to (``-`` ignores a column).
FIELDS: dict[str, tuple[str, ...]] = {
    "accounts": (
        "id", "username", "platform_id", "full_name", "followers", "following", "posts_count",
        "verified", "private", "biography", "category", "language", "country",
    ),
    "posts": (
        "id", "url", "author", "type", "caption", "posted_at", "observed_at", "likes", "comments",
        "views", "shares", "hashtags", "mentions", "location_id", "location_name", "language",
        "country", "subreddit", "is_self", "link", "age", "author_followers", "impressions", "reach",
        "saves", "profile_visits", "follows",
    ),
    "follows": ("follower", "followed", "weight", "type"),
    # follow-graph node tables (follows.parse_nodes): the key is the node id as written
    "nodes": ("id", "username", "full_name", "followers", "following", "verified", "language", "country"),
    "observations": (
        "post", "at", "likes", "comments", "views", "shares", "author", "caption", "posted_at",
        "url", "type", "subreddit", "is_self", "link",
    ),
}  # fmt: skip

IGNORE = "-"

#: Default column → field mapping of each kind (column names compared loosely, see module doc).
DEFAULT_MAPPINGS: dict[str, dict[str, str]] = {
    "accounts": {
        "username": "username",
        "id": "id",
        "full_name": "full_name",
        "followers": "followers",
        "following": "following",
        "posts": "posts_count",
        "verified": "verified",
        "private": "private",
        "biography": "biography",
        "category": "category",
        "language": "language",
        "country": "country",
    },
    "posts": {
        "id": "id",
        "url": "url",
        "author": "author",
        "type": "type",
        "caption": "caption",
        "posted_at": "posted_at",
        "observed_at": "observed_at",
        "likes": "likes",
        "comments": "comments",
        "views": "views",
        "shares": "shares",
        "hashtags": "hashtags",
        "mentions": "mentions",
        "location_id": "location_id",
        "location": "location_name",
        "language": "language",
        "country": "country",
    },
    "follows": {"follower": "follower", "followed": "followed", "weight": "weight", "type": "type"},
    "nodes": {"id": "id", "username": "username", "name": "full_name", "followers": "followers", "following": "following"},
    "observations": {
        "post": "post",
        "at": "at",
        "likes": "likes",
        "comments": "comments",
        "views": "views",
        "shares": "shares",
        "author": "author",
        "caption": "caption",
        "posted_at": "posted_at",
        # the Reddit hourly top-100 export
        "id": "post",
        "date": "at",
        "score": "likes",
        "num_comments": "comments",
        "title": "caption",
        "created": "posted_at",
        "created_date": IGNORE,  # 12-hour clock: wrong on most rows, `created` is right
        "subreddit_display_name": "subreddit",
        "is_self": "is_self",
        "url": "link",
    },
}

#: Further column names recognised for each field (after the default mapping).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "username": (
            "user", "user_name", "account", "account_name", "user_account_name", "channel_info",
            "channel", "handle", "screen_name", "instagram", "instagram_handle", "profile",
            "owner_username", "login",
        ),
        "id": ("user_id", "node", "node_id", "id_str"),
        "platform_id": ("pk", "instagram_id", "ig_id"),
        "full_name": ("name", "owner", "display_name", "real_name", "fullname"),
        "followers": ("followers_count", "follower_count", "number_followers", "subscribers", "n_followers"),
        "following": ("following_count", "number_following", "friends_count", "follows_count", "followings", "followees"),
        "posts_count": ("posts_count", "number_posts", "media_count", "num_posts", "num_of_posts", "uploads"),
        "verified": ("is_verified",),
        "private": ("is_private",),
        "biography": ("bio", "description"),
        "category": ("profession", "profession_activity", "activity", "category_name", "niche"),
        "language": ("lang",),
        "country": ("country_continent", "nationality", "country_code"),
    },
    "posts": {
        "id": ("post_id", "shortcode", "code", "media_id"),
        "url": ("link", "permalink", "post_url", "permanent_link"),
        "author": ("owner", "username", "user", "owner_username", "account", "account_username"),
        "type": ("media_type", "post_type", "typename"),
        "caption": ("text", "description", "title", "body"),
        "posted_at": ("date", "timestamp", "created_at", "created", "taken_at", "time", "datetime", "published_at",
                      "created_utc", "publish_time", "published", "post_date"),
        "observed_at": ("scraped_at", "crawled_at", "captured_at"),
        "likes": ("likes_count", "like_count", "number_likes", "score", "favorite_count", "favourite_count", "favorites",
                  "reactions"),
        "comments": ("comments_count", "comment_count", "number_comments", "num_comments"),
        "views": ("view_count", "video_views", "plays", "video_view_count"),
        "shares": ("share_count", "reposts", "retweet_count", "retweets"),
        "hashtags": ("tags", "hashtag"),
        "mentions": ("mentioned", "user_mentions"),
        "location_name": ("location_name", "place", "localization"),
        "language": ("lang",),
        # Kaggle's "Instagram Reach" table and Meta Business Suite / Insights exports
        "age": ("time_since_posted", "posted_ago", "time_since_post", "age_of_post"),
        "author_followers": ("followers", "followers_count", "author_followers_count"),
        "impressions": ("impression", "post_impressions"),
        "reach": ("accounts_reached", "post_reach"),
        "saves": ("saved", "save_count"),
        "profile_visits": ("profile_visit", "visits"),
        "follows": ("new_follows", "follows_from_post"),
    },
    "follows": {
        "follower": ("source", "src", "from", "follower_id", "source_id", "from_id", "user", "user_id", "follower_username"),
        "followed": ("target", "dst", "to", "followed_id", "target_id", "to_id", "following", "followee", "followed_username"),
        "weight": ("w", "value", "strength", "count"),
        "type": ("edge_type", "direction", "directed"),
    },
    "nodes": {
        "id": ("id_str", "node", "node_id", "user_id", "vertex", "key"),
        "username": ("screen_name", "twitter", "handle", "user", "user_name", "login", "account"),
        "full_name": ("label", "full_name", "display_name", "fullname"),
        "followers": ("followers_count", "follower_count"),
        "following": ("following_count", "friends_count"),
        "verified": ("is_verified",),
        "language": ("lang",),
        "country": ("nationality",),
    },
    "observations": {
        "post": ("post_id", "shortcode", "code"),
        "at": ("observed_at", "time", "timestamp", "captured_at", "scraped_at", "datetime", "hour"),
        "likes": ("likes_count", "like_count", "upvotes"),
        "comments": ("comments_count", "comment_count"),
        "views": ("view_count", "plays"),
        "shares": ("share_count",),
        "author": ("owner", "username", "user"),
        "caption": ("text",),
        "posted_at": ("created_utc", "created_at", "taken_at"),
        "subreddit": ("subreddit",),
    },
}  # fmt: skip

#: Cells read as missing in every column.
MISSING = frozenset(
    {"", "nan", "nan%", "na", "n/a", "#n/a", "n.a.", "null", "nil", "none", "-none", "(none)", "none%",
     "undefined", "-", "--", "—", "–"}
)

_SCALES = (
    (re.compile(r"\(\s*(?:in\s+)?millions?\s*\)|\(\s*m\s*\)|\bin millions\b", re.I), 1_000_000),
    (re.compile(r"\(\s*(?:in\s+)?thousands?\s*\)|\(\s*k\s*\)|\bin thousands\b", re.I), 1_000),
    (re.compile(r"\(\s*(?:in\s+)?billions?\s*\)|\(\s*b\s*\)", re.I), 1_000_000_000),
)
_FOOTNOTE = re.compile(r"\[[^\]]*\]")
_PROPERTY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SAMPLE_BYTES = 1 << 16
_MAX_CONSECUTIVE_ERRORS = 1000
_SEEN_POSTS = 100_000


def _compact(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _FOOTNOTE.sub("", name).lower())


def parse(
    path: Path,
    kind: str,
    mapping: Mapping[str, str] | None = None,
    *,
    date_format: str | None = None,
    observed_at: datetime | None = None,
    constants: Mapping[str, str] | None = None,
    stats: ParseStats | None = None,
) -> Iterator[Record]:
    """Stream the records of a CSV file (or a directory of ``*.csv``) of the given ``kind``.

    ``mapping`` maps the file's column names to field names (see :data:`FIELDS`); it is
    checked before any row is read (:class:`InputError` for an unknown kind or field).
    ``date_format`` (``--date-format``) is a ``strptime`` format for the date columns, or
    ``dayfirst`` / ``monthfirst`` when only the order of day and month must be said. Bad rows
    never raise: they become Rejects. ``observed_at`` and ``constants``: see :func:`records`;
    files of a directory that are not ``*.csv`` / ``*.tsv`` are counted in ``stats``.
    """
    _check(kind, mapping)
    _check_constants(kind, constants)
    return _parse(Path(path), kind, dict(mapping or {}), date_format, observed_at, dict(constants or {}), stats)


def _check(kind: str, mapping: Mapping[str, str] | None, kinds: tuple[str, ...] = KINDS) -> None:
    if kind not in kinds:
        raise InputError(f"unknown CSV kind {kind!r}: use one of {', '.join(KINDS)}")
    for column, name in (mapping or {}).items():
        if name != IGNORE and name not in FIELDS[kind]:
            raise InputError(
                f"--map {column}={name}: {name!r} is not a field of {kind}; "
                f"use one of {', '.join(FIELDS[kind])} (or '-' to ignore the column)"
            )


def _check_constants(kind: str, constants: Mapping[str, str] | None) -> None:
    for name in constants or {}:
        if name not in FIELDS[kind]:
            raise InputError(f"--set {name}=…: {name!r} is not a field of {kind}; use one of {', '.join(FIELDS[kind])}")


def _parse(
    path: Path, kind: str, mapping: dict[str, str], date_format: str | None, observed_at: datetime | None,
    constants: dict[str, str],
    stats: ParseStats | None,
) -> Iterator[Record]:
    yield ScrapeRecord(id=f"{SOURCE}:{path.resolve()}", source=SOURCE, tool="csv", path=str(path.resolve()))
    yield from records(
        path, kind, mapping, SOURCE, date_format=date_format, observed_at=observed_at, constants=constants, stats=stats
    )


def records(
    path: Path,
    kind: str,
    mapping: Mapping[str, str] | None = None,
    source: str = SOURCE,
    *,
    date_format: str | None = None,
    observed_at: datetime | None = None,
    constants: Mapping[str, str] | None = None,
    stats: ParseStats | None = None,
) -> Iterator[Record]:
    """The records of ``path`` without the ScrapeRecord (also used by :mod:`follows`, which
    reads node tables with the internal kind ``nodes``).

    The first :data:`TYPE_SAMPLE_ROWS` rows of each file decide, for the file as a whole, each
    extra column's type and decimal mark (:mod:`influence.loaders.cells`) and each date
    column's day/month order (:func:`values.date_order`); ``date_format`` (a ``strptime``
    format, or ``dayfirst`` / ``monthfirst``) overrides the latter. ``observed_at`` is when the
    counts were seen (default: the file's modification time); with a relative age column
    ("11 hours") it gives ``posted_at``. ``constants`` (``--set FIELD=VALUE``) fill a field in
    every row whose cell for it is empty, e.g. the author of an account's own Insights export.
    """
    _check(kind, mapping, (*KINDS, "nodes"))
    _check_constants(kind, constants)
    files = _csv_files(path, stats)
    if files is None:
        yield reject(path, "file", "no such file or directory")
        return
    builder = _BUILDERS[kind]
    for file in files:
        rows = read_rows(file)
        first = next(rows, None)
        if first is None:
            yield reject(file, "file", "no rows: the file holds only blank lines")
            continue
        if isinstance(first, Reject):
            yield first
            yield from (r for r in rows if isinstance(r, Reject))
            continue
        _, header = first
        columns = resolve_columns(header, kind, mapping or {})
        if not _has_key(kind, columns):
            advice = (
                "name the two columns source,target (or follower,followed); a file without a header "
                "of numeric ids is read as an edge list"
                if kind == "follows"
                else f"name one with --map <column>={_KEY_FIELDS[kind][0]}"
            )
            yield reject(
                file,
                "line 1",
                f"no key column for {kind} in the header {header!r}: {advice}"
                + (" (a node table? read it with follows.parse_nodes)" if kind == "follows" else ""),
                header,
            )
            continue
        sample: list[tuple[int, list[str]] | Reject] = list(itertools.islice(rows, TYPE_SAMPLE_ROWS))
        state = _FileState(
            profile=_profile(sample, columns, sniff_delimiter(file), date_format),
            observed_at=observed_at or file_mtime(file),
        )
        constant_cells = {k: v for k, v in (constants or {}).items()}
        for item in itertools.chain(sample, rows):
            if isinstance(item, Reject):
                yield item
                continue
            line, row = item
            cells = _cells(row, columns)
            if isinstance(cells, str):
                yield reject(file, f"line {line}", cells, row)
                continue
            for name, value in constant_cells.items():
                cells.fields.setdefault(name, value)
            yield from builder(cells, columns, file, f"line {line}", state)


#: Rows read ahead to type each column as a whole.
TYPE_SAMPLE_ROWS = 1000
_DATE_FIELDS = ("posted_at", "observed_at", "at")


@dataclass(slots=True)
class _Profile:
    """What the sample of a file decided for its columns."""

    extras: dict[str, cells_mod.ColumnType] = field(default_factory=dict)
    decimal: dict[str, str] = field(default_factory=dict)  # field → decimal mark
    date_order: dict[str, str | None] = field(default_factory=dict)
    date_format: str | None = None


def _profile(
    sample: list[tuple[int, list[str]] | Reject], columns: list[Column], delimiter: str, date_format: str | None
) -> _Profile:
    by_column: dict[int, list[str]] = {c.index: [] for c in columns}
    for item in sample:
        if isinstance(item, Reject):
            continue
        row = item[1]
        filled = [row[c.index].strip() for c in columns if (c.field or c.extra) and c.index < len(row) and row[c.index].strip()]
        if len(filled) > 1 and len(set(filled)) == 1:
            continue  # a footer row ("As of 4 January 2023" in every cell) types nothing
        for col in columns:
            if col.index < len(row):
                value = row[col.index].strip()
                if value and value.lower() not in MISSING:
                    by_column[col.index].append(value)
    profile = _Profile()
    fmt = (date_format or "").strip()
    forced = {"dayfirst": values.DAY_FIRST, "monthfirst": values.MONTH_FIRST}.get(fmt.lower().replace("-", "").replace("_", ""))
    profile.date_format = None if forced or not fmt else fmt
    for col in columns:
        found = by_column[col.index]
        if col.extra:
            profile.extras[col.extra] = cells_mod.column_type([fix_text(v) for v in found], delimiter)
        elif col.field:
            profile.decimal[col.field] = cells_mod.decimal_mark(found, delimiter)
            if col.field in _DATE_FIELDS:
                profile.date_order[col.field] = forced or values.date_order(found)
    return profile


def sniff_delimiter(file: Path) -> str:
    """The delimiter :func:`read_rows` uses for ``file`` (``,`` when it cannot be read)."""
    try:
        with file.open("rb") as f:
            sample = f.read(_SAMPLE_BYTES)
    except OSError:
        return ","
    lines = sample.decode(_encoding(sample), errors="replace").lstrip("\ufeff").splitlines() or [""]
    sep = excel_separator(lines[0])
    if sep is not None:
        return sep
    return _delimiter(lines[0])


# --------------------------------------------------------------------------- reading


def _csv_files(path: Path, stats: ParseStats | None = None) -> list[Path] | None:
    try:
        if path.is_dir():
            found: list[Path] = []
            for p in sorted(path.iterdir()):
                if not p.is_file():
                    continue
                if p.suffix.lower() in (".csv", ".tsv"):
                    found.append(p)
                elif stats is not None:
                    stats.skip("not a .csv / .tsv file", p)
            if stats is not None:
                stats.files_seen += len(found)
                stats.files_parsed += len(found)
            return found
        if path.is_file():
            if stats is not None:
                stats.files_seen += 1
                stats.files_parsed += 1
            return [path]
    except OSError:
        pass
    return None


def _encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def excel_separator(first_line: str) -> str | None:
    """The delimiter an Excel ``sep=;`` first line names (Excel writes it, and reads it, to
    say which separator the file uses), or None when the line is not one."""
    m = re.fullmatch(r"\s*[\"']?sep=(.)[\"']?\s*[,;\t|]*\s*", first_line.lstrip("\ufeff"), re.IGNORECASE)
    return m.group(1) if m else None


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_rows(file: Path) -> Iterator[tuple[int, list[str]] | Reject]:
    """``(line number, cells)`` of each non-blank row, the header first; Rejects for rows the
    CSV reader cannot split and for an unreadable file."""
    try:
        f = file.open("rb")
    except OSError as e:
        yield reject(file, "file", f"cannot read the file: {e.strerror or e}")
        return
    with f:
        try:
            sample = f.read(_SAMPLE_BYTES)
            f.seek(0)
        except OSError as e:
            yield reject(file, "file", f"cannot read the file: {e.strerror or e}")
            return
        if not sample.strip():
            yield reject(file, "file", "empty file: nothing to load")
            return
        encoding = _encoding(sample)
        stream = io.TextIOWrapper(f, encoding=encoding, errors="replace", newline="")
        lines = sample.decode(encoding, errors="replace").lstrip("\ufeff").splitlines() or [""]
        sep = excel_separator(lines[0])
        lines_iter = _no_nul(stream)
        if sep is not None:
            next(lines_iter, None)  # Excel's "sep=;" line: not the header
        delimiter = sep or _delimiter(lines[1] if sep is not None and len(lines) > 1 else lines[0])
        reader = csv.reader(lines_iter, delimiter=delimiter)
        skipped = 1 if sep is not None else 0  # file line = reader line + the sep= line
        errors = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, OSError) as e:
                errors += 1
                yield reject(file, f"line {reader.line_num + skipped}", f"unreadable CSV row: {e}")
                if errors > _MAX_CONSECUTIVE_ERRORS:
                    yield reject(file, f"line {reader.line_num + skipped}", "too many unreadable rows; rest of the file skipped")
                    return
                continue
            errors = 0
            if not row or all(not c.strip() for c in row):
                continue
            yield reader.line_num + skipped, row


def read_dicts(file: Path) -> Iterator[tuple[int, dict[str, str]] | Reject]:
    """The rows of any CSV file as ``(line number, {header: cell})``, read as :func:`read_rows`
    reads them (Excel's ``sep=`` line, delimiter, encoding) with mojibake repaired
    (:func:`fix_text`) and placeholders (``None``, ``-None``, ``N/A`` …) as empty cells; Rejects
    for rows the CSV reader cannot split or that have more cells than the header.

    The one CSV reader of the inputs that are not loaded as records: ``predict``'s drafts and
    ``scrape --accounts``.
    """
    rows = read_rows(file)
    first = next(rows, None)
    if first is None:
        return
    if isinstance(first, Reject):
        yield first
        yield from (r for r in rows if isinstance(r, Reject))
        return
    header = [fix_text(h.lstrip("\ufeff").strip()) for h in first[1]]
    for item in rows:
        if isinstance(item, Reject):
            yield item
            continue
        line, row = item
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            yield reject(file, f"line {line}", f"{len(row)} cells but the header has {len(header)} columns", row)
            continue
        cells = {
            name: ("" if value.strip().lower() in MISSING else fix_text(value.strip()))
            for name, value in zip(header, row, strict=False)
        }
        yield line, {name: cells.get(name, "") for name in header}


def _no_nul(stream: io.TextIOWrapper) -> Iterator[str]:
    for line in stream:
        yield line.replace("\0", "") if "\0" in line else line


# --------------------------------------------------------------------------- columns


@dataclass(slots=True)
class Column:
    """One header cell resolved to a field (or to an extra property, or ignored)."""

    index: int
    header: str
    field: str | None  # a field of the kind, or None for an extra / ignored column
    extra: str | None = None  # the property name of an extra column
    scale: int = 1


def resolve_columns(header: list[str], kind: str, mapping: Mapping[str, str]) -> list[Column]:
    """Match each header cell to a field: ``mapping``, then the defaults, then the aliases.

    The first column that claims a field wins; later columns for the same field are kept as
    extras (accounts) or ignored.
    """
    user = {_compact(k): v for k, v in mapping.items()}
    defaults = {_compact(k): v for k, v in DEFAULT_MAPPINGS[kind].items()}
    aliases = {_compact(a): f for f, names in ALIASES[kind].items() for a in (f, *names)}
    taken: set[str] = set()
    out: list[Column] = []
    for i, raw in enumerate(header):
        name = raw.lstrip("\ufeff").strip()
        scale, base = 1, name
        for rx, factor in _SCALES:
            if rx.search(name):
                scale, base = factor, rx.sub("", name)
                break
        key = _compact(base)
        target = user.get(_compact(name)) or user.get(key) or defaults.get(key) or aliases.get(key)
        if target == IGNORE:
            out.append(Column(i, name, None))
            continue
        if target and target not in taken:
            taken.add(target)
            out.append(Column(i, name, target, scale=scale))
            continue
        out.append(Column(i, name, None, extra=extra_name(name) if kind in ("accounts", "nodes") else None, scale=scale))
    return out


#: User properties that ingest sets itself: an extra attribute of the same name is renamed
#: ``attr_<name>`` so it can never overwrite them (or the key).
RESERVED_PROPERTIES = frozenset(
    {
        "id", "username", "platformid", "fullname", "followers", "following", "postscount",
        "verified", "private", "biography", "category", "language", "country", "pagerank",
        "community", "embedding", "engagementrate", "country_name",
    }
)  # fmt: skip


def extra_name(header: str) -> str | None:
    """:func:`property_name` of a header, prefixed ``attr_`` when it would shadow a property
    that ingest or analytics own."""
    name = property_name(header)
    if name is None:
        return None
    return f"attr_{name}" if name.replace("_", "") in RESERVED_PROPERTIES or name in RESERVED_PROPERTIES else name


def property_name(header: str) -> str | None:
    """A valid Neo4j property name for a column header (``Audience Country`` →
    ``audience_country``, ``60_day_eng_rate`` → ``_60_day_eng_rate``), None if nothing is left."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", _FOOTNOTE.sub("", header)).strip("_").lower()
    if not name:
        return None
    if name[0].isdigit():
        name = "_" + name
    return name if _PROPERTY.fullmatch(name) else None


_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "accounts": ("username", "id"),
    "posts": ("id", "url"),
    "follows": ("follower", "followed"),
    "nodes": ("id",),
    "observations": ("post",),
}


def _has_key(kind: str, columns: list[Column]) -> bool:
    fields = {c.field for c in columns}
    if kind == "follows":
        return {"follower", "followed"} <= fields
    if kind == "posts":  # without an id column, rows are keyed by their content
        return bool(fields - {None})
    return any(k in fields for k in _KEY_FIELDS[kind])


@dataclass(slots=True)
class _Cells:
    fields: dict[str, str]
    scales: dict[str, int]
    extras: dict[str, str]


def _cells(row: list[str], columns: list[Column]) -> _Cells | str:
    if len(row) > len(columns) and any(c.strip() for c in row[len(columns) :]):
        return f"{len(row)} cells but the header has {len(columns)} columns (an unquoted delimiter?)"
    fields: dict[str, str] = {}
    scales: dict[str, int] = {}
    extras: dict[str, str] = {}
    for col in columns:
        if col.index >= len(row):
            continue
        value = row[col.index].strip()
        if value.lower() in MISSING:
            continue
        if col.field:
            fields[col.field] = value
            scales[col.field] = col.scale
        elif col.extra:
            extras[col.extra] = value
    return _Cells(fields, scales, extras)


# --------------------------------------------------------------------------- values


@dataclass(slots=True)
class _FileState:
    profile: _Profile = field(default_factory=lambda: _Profile())
    observed_at: datetime | None = None  # --observed-at, else the file's mtime (relative ages)
    seen_posts: OrderedDict[str, None] = field(default_factory=OrderedDict)

    def first_time(self, post: str) -> bool:
        if post in self.seen_posts:
            self.seen_posts.move_to_end(post)
            return False
        self.seen_posts[post] = None
        if len(self.seen_posts) > _SEEN_POSTS:
            self.seen_posts.popitem(last=False)
        return True


class _Values:
    """Typed access to one row's cells; bad optional values become Rejects (record kept)."""

    def __init__(self, cells: _Cells, file: Path, position: str, profile: _Profile | None = None) -> None:
        self.cells = cells
        self.file = file
        self.position = position
        self.profile = profile or _Profile()
        self.rejects: list[Reject] = []

    def _bad(self, name: str, value: Any, err: Exception) -> None:
        self.rejects.append(
            reject(self.file, f"{self.position} {name}", f"{name}: {err} (value dropped, record kept)", value)
        )

    def text(self, name: str) -> str | None:
        value = self.cells.fields.get(name)
        return fix_text(value) if value else None

    def count(self, name: str) -> int | None:
        value = self.cells.fields.get(name)
        if value is None:
            return None
        scale = self.cells.scales.get(name, 1)
        decimal = self.profile.decimal.get(name)
        if decimal is not None:
            number = cells_mod.parse_number(value, decimal)
            if number is not None and number >= 0:
                return round(number * scale)
        try:
            if scale != 1:
                number = float(value.replace(",", "").replace("\u00a0", "").replace(" ", ""))
                if not math.isfinite(number) or number < 0:
                    raise ValueError(f"not a count: {value!r}")
                return round(number * scale)
            return values.to_count(value)
        except (ValueError, OverflowError) as e:
            self._bad(name, value, e if isinstance(e, ValueError) else ValueError(f"not a count: {value!r}"))
            return None

    def number(self, name: str) -> float | None:
        value = self.cells.fields.get(name)
        if value is None:
            return None
        parsed = cells_mod.parse_number(value, self.profile.decimal.get(name, cells_mod.POINT))
        if parsed is None:
            self._bad(name, value, ValueError(f"not a number: {value!r}"))
            return None
        number = float(parsed)
        if not math.isfinite(number):
            self._bad(name, value, ValueError(f"not a finite number: {value!r}"))
            return None
        return number

    def boolean(self, name: str) -> bool | None:
        value = self.cells.fields.get(name)
        try:
            return values.to_bool(value)
        except ValueError as e:
            self._bad(name, value, e)
            return None

    def date(self, name: str) -> datetime | None:
        value = self.cells.fields.get(name)
        try:
            return values.to_datetime(value, order=self.profile.date_order.get(name), fmt=self.profile.date_format)
        except ValueError as e:
            self._bad(name, value, e)
            return None

    def names(self, name: str, normalise: Callable[[str], str | None]) -> list[str]:
        return split_list(self.cells.fields.get(name), normalise)


def split_list(cell: str | None, normalise: Callable[[str], str | None]) -> list[str]:
    """Hashtags or usernames in one cell, separated by spaces (non-breaking too), ``,``, ``;``,
    ``|`` or the ``#``/``@`` signs themselves; normalised, first-seen order, no duplicates."""
    if not cell:
        return []
    parts = re.split(r"[\s,;|#@\[\]'\"]+", cell)
    found = (normalise(p) for p in parts if p)
    return list(dict.fromkeys(p for p in found if p))


def fix_text(value: str) -> str:
    """``value`` with mojibake repaired in any script — UTF-8 read as cp1252 or Latin-1
    ("CÃ´te", "ðŸ”¥" → "🔥", "à¸ à¸¹" → Thai) — by ftfy's full fixer (curly quotes, widths
    and ligatures kept as written), NFC, and non-breaking spaces as plain spaces. ASCII text is
    returned unchanged (nothing to repair)."""
    if value.isascii():
        return value
    return _ftfy_fix(value).replace("\u00a0", " ")


@functools.cache
def _ftfy() -> Any:
    import ftfy

    return ftfy


@functools.cache
def _ftfy_config() -> Any:
    return _ftfy().TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        remove_control_chars=False,
        normalization="NFC",
        explain=False,
    )


def _ftfy_fix(value: str) -> str:
    return str(_ftfy().fix_text(value, _ftfy_config()))


def typed(value: str) -> bool | int | float | str | None:
    """A CSV cell as a scalar property value: int, float, rounded count ("8.7m" → 8700000),
    percentage as a fraction ("1.39%" → 0.0139), boolean, else the (repaired) text."""
    v = value.strip()
    if v.lower() in MISSING:
        return None
    if v.lower() in ("true", "false"):
        return v.lower() == "true"
    if re.fullmatch(r"[+-]?\d{1,18}", v):
        return int(v)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?", v):
        f = float(v)
        return f if math.isfinite(f) else None
    if re.fullmatch(r"[+-]?\d+(\.\d+)?\s*%", v):
        return round(float(v.rstrip("%").strip()) / 100, 10)
    if re.fullmatch(r"\d+(\.\d+)?\s*[kKmMbB]", v):
        try:
            return values.to_count(v)
        except ValueError:
            return v
    return fix_text(v)


# --------------------------------------------------------------------------- countries

_COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "russia": "RU", "turkey": "TR", "south korea": "KR", "north korea": "KP", "iran": "IR",
    "czech republic": "CZ", "vietnam": "VN", "taiwan": "TW", "bolivia": "BO", "venezuela": "VE",
    "syria": "SY", "laos": "LA", "moldova": "MD", "tanzania": "TZ", "ivory coast": "CI",
    "cape verde": "CV", "macedonia": "MK", "palestine": "PS", "vatican": "VA", "brunei": "BN",
}  # fmt: skip


@functools.cache
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name or code ("United States" → ``US``); for
    several names run together ("Trinidad and Tobago United States") the first; else None."""
    words = fix_text(name).replace(",", " ").replace("/", " ").split()
    for end in range(len(words), 0, -1):
        code = _lookup(" ".join(words[:end]))
        if code:
            return code
    return None


def _lookup(name: str) -> str | None:
    alias = _COUNTRY_ALIASES.get(name.lower())
    if alias:
        return alias
    import pycountry

    try:
        found = pycountry.countries.lookup(name)
    except LookupError:
        return None
    return str(found.alpha_2)


# --------------------------------------------------------------------------- builders


def _user_key(value: str | None) -> str | None:
    if value is None:
        return None
    return text.normalise_username(value)


def _accounts(cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState) -> Iterator[Record]:
    raw = cells.fields
    everything = [c for c in (*raw.values(), *cells.extras.values()) if c]
    if len(everything) > 1 and len(set(everything)) == 1:
        yield reject(file, position, f"footer row ({everything[0]!r} in every column), not an account", everything)
        return
    v = _Values(cells, file, position, state.profile)
    key_cell = raw.get("username") or raw.get("id")
    key = _user_key(key_cell)
    if key is None:
        yield reject(
            file,
            position,
            f"not a username: {key_cell!r}" if key_cell else "no username/id in this row",
            {**raw, **cells.extras},
        )
        return
    country_cell = v.text("country")
    user = UserRecord(
        id=key,
        username=key if "username" in raw else None,
        platform_id=raw.get("platform_id") or (raw.get("id") if "username" in raw else None),
        full_name=v.text("full_name"),
        followers=v.count("followers"),
        following=v.count("following"),
        posts_count=v.count("posts_count"),
        verified=v.boolean("verified"),
        private=v.boolean("private"),
        biography=v.text("biography"),
        category=v.text("category"),
        language=(v.text("language") or "").lower() or None,
        country=country_code(country_cell) if country_cell else None,
    )
    _add_extras(user, cells, country_cell, v)
    yield user
    yield from v.rejects


def _add_extras(user: UserRecord, cells: _Cells, country_cell: str | None, v: _Values) -> None:
    """The row's unmapped columns (each typed as its whole column is, see
    :mod:`~influence.loaders.cells`) and the country as written into ``user.extra``; a cell that
    does not fit its column's type is dropped and reported."""
    for name, cell in cells.extras.items():
        kind = v.profile.extras.get(name)
        if kind is None:
            value = typed(cell)
            if value is not None:
                user.extra[name] = value
            continue
        try:
            user.extra[name] = kind.value(fix_text(cell))
        except ValueError as e:
            v._bad(name, cell, e)
    if country_cell:
        user.extra["country_name"] = country_cell


def _post_id(value: str | None, reddit: bool) -> str | None:
    if not value:
        return None
    value = value.strip()
    if reddit:
        value = value.removeprefix("t3_")
        return f"reddit:{value}" if re.fullmatch(r"[0-9a-z]{1,16}", value) else None
    if "/" in value:
        m = re.search(r"/(?:p|reel|tv)/([A-Za-z0-9_-]+)", value)
        return m.group(1) if m else None
    return value if re.fullmatch(r"[A-Za-z0-9_:.-]{1,128}", value) else None


def _reddit_type(link: str | None, is_self: bool | None) -> str | None:
    if is_self:
        return "text"
    if not link:
        return None
    try:
        parsed = urlparse(link)
    except ValueError:
        return "link"
    host, path = parsed.netloc.lower(), parsed.path.lower()
    if "/gallery/" in path:
        return "carousel"
    if host in ("i.redd.it", "i.imgur.com") or path.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp")):
        return "image"
    if host in ("v.redd.it", "streamable.com", "youtu.be", "www.youtube.com", "youtube.com") or path.endswith((".mp4", ".gifv")):
        return "video"
    return "link"


_TYPES = {
    "image": "image", "photo": "image", "graphimage": "image", "carousel": "carousel", "album": "carousel",
    "carousel_album": "carousel", "graphsidecar": "carousel", "sidecar": "carousel", "video": "video",
    "graphvideo": "video", "reel": "reel", "reels": "reel", "clips": "reel", "story": "story", "text": "text",
}  # fmt: skip


def _post_type(value: str | None) -> str | None:
    """A post type as the model names it: Meta's "IG image" / "IG carousel" / "IG reel",
    Graph API's CAROUSEL_ALBUM, GraphSidecar …; other values lower-cased as written."""
    if not value:
        return None
    lowered = value.strip().lower()
    key = re.sub(r"^(ig|instagram|fb|facebook)\s+", "", lowered).replace(" ", "_")
    return _TYPES.get(key, lowered or None)


def _post_from(v: _Values, key: str, reddit: bool, counts: bool) -> PostRecord:
    raw = v.cells.fields
    caption = v.text("caption")
    author = None
    if reddit and raw.get("subreddit"):
        author = f"reddit:r/{raw['subreddit'].strip().removeprefix('r/')}"
    elif raw.get("author"):
        author = _user_key(raw["author"])
        if author is None:
            v._bad("author", raw["author"], ValueError(f"not a username: {raw['author']!r}"))
    url = v.text("url")
    if reddit and url is None:
        url = f"https://www.reddit.com/comments/{key.removeprefix('reddit:')}/"
    post_type = _post_type(v.text("type"))
    if reddit and post_type is None:
        post_type = _reddit_type(raw.get("link"), v.boolean("is_self"))
    language = (v.text("language") or "").lower() or None
    hashtags = v.names("hashtags", text.normalise_hashtag) or text.extract_hashtags(caption)
    mentions = v.names("mentions", text.normalise_username) or text.extract_mentions(caption)
    posted = v.date("posted_at")
    post = PostRecord(
        id=key,
        author=author,
        shortcode=None if reddit or ":" in key else key,
        url=url,
        type=post_type,
        caption=caption,
        posted_at=posted if reddit else values.plausible_post_date(posted),
        language=language or text.detect_language(caption),
        hashtags=hashtags,
        mentions=mentions,
    )
    if counts:
        post.observed_at = v.date("observed_at")
        post.likes = v.count("likes")
        post.comments = v.count("comments")
        post.views = v.count("views")
        post.shares = v.count("shares")
        post.location_id = v.text("location_id")
        post.location_name = v.text("location_name")
        country = v.text("country")
        post.country = country_code(country) if country else None
    return post


#: Prefix of a post id made from the row's content (a table without a post id column).
CONTENT_ID_PREFIX = "content:"


def content_id(cells: Mapping[str, str]) -> str:
    """A stable post id from a row's content (its mapped cells, in field order): the same row
    gets the same id in every load, so reloading the table adds no duplicate."""
    body = "\x1f".join(f"{k}={cells[k]}" for k in sorted(cells) if k not in ("likes", "comments", "views", "shares"))
    return CONTENT_ID_PREFIX + hashlib.sha1(body.encode("utf-8")).hexdigest()[:20]


def _posts(cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState) -> Iterator[Record]:
    raw = cells.fields
    reddit = any(c.field == "subreddit" for c in columns)
    has_id_column = any(c.field in ("id", "url") for c in columns)
    key = _post_id(raw.get("id"), reddit) or _post_id(raw.get("url"), reddit)
    media_id = None
    from_url = _post_id(raw.get("url"), reddit) if raw.get("url") and not reddit else None
    if key is not None and from_url and key != from_url and key.isdigit():
        # Meta Business Suite: "Post ID" is the numeric media id, the permalink has the shortcode
        key, media_id = from_url, key
    if key is None and not has_id_column:
        if not raw.get("caption") and not raw.get("author") and not raw.get("posted_at") and not raw.get("age"):
            yield reject(file, position, "no post id column and nothing to identify the post by (caption, author, date)", raw)
            return
        key = content_id(raw)  # Kaggle / Insights tables have no post id
    if key is None:
        cell = raw.get("id") or raw.get("url")
        yield reject(file, position, f"not a post id or post URL: {cell!r}" if cell else "no post id in this row", raw)
        return
    v = _Values(cells, file, position, state.profile)
    post = _post_from(v, key, reddit, counts=True)
    post.media_id = media_id
    if key.startswith(CONTENT_ID_PREFIX):
        post.shortcode = None
    if raw.get("age"):
        seen = post.observed_at or state.observed_at
        try:
            age = values.to_age(raw["age"])
        except ValueError as e:
            v._bad("age", raw["age"], e)
        else:
            if seen is None:
                v._bad("age", raw["age"], ValueError("a relative age needs the observation time: give --observed-at"))
            elif post.posted_at is None:
                post.posted_at = seen - age
                post.observed_at = seen
    followers = v.count("author_followers")
    if followers is not None and post.author is not None and not post.author.startswith("reddit:"):
        yield UserRecord(id=post.author, username=post.author, followers=followers)
    post.impressions = v.count("impressions")
    post.reach = v.count("reach")
    post.saves = v.count("saves")
    post.profile_visits = v.count("profile_visits")
    post.follows = v.count("follows")
    yield post
    yield from v.rejects


def _follows(cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState) -> Iterator[Record]:
    raw = cells.fields
    follower, followed = node_id(raw.get("follower")), node_id(raw.get("followed"))
    if follower is None or followed is None:
        yield reject(file, position, "follow edge without a follower and a followed id", raw)
        return
    v = _Values(cells, file, position, state.profile)
    weight = v.number("weight")
    yield FollowRecord(follower=follower, followed=followed, weight=weight)
    # Gephi's edge table: a row of Type "Undirected" (or "Mutual", or directed=false) goes both ways
    kind = (raw.get("type") or "").strip().lower()
    if kind in ("undirected", "mutual", "false", "0", "no") and follower != followed:
        yield FollowRecord(follower=followed, followed=follower, weight=weight)
    yield from v.rejects


def node_id(value: Any) -> str | None:
    """A follow-graph node id as written in the file, lower-cased, leading ``@`` stripped."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    ident = str(value).strip().lstrip("@").strip().lower()
    return ident if ident and len(ident) <= 256 and ident.isprintable() else None


def _nodes(cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState) -> Iterator[Record]:
    raw = cells.fields
    key = node_id(raw.get("id"))
    if key is None:
        yield reject(file, position, "node without an id", {**raw, **cells.extras})
        return
    v = _Values(cells, file, position, state.profile)
    country_cell = v.text("country")
    user = UserRecord(
        id=key,
        username=v.text("username"),
        full_name=v.text("full_name"),
        followers=v.count("followers"),
        following=v.count("following"),
        verified=v.boolean("verified"),
        language=(v.text("language") or "").lower() or None,
        country=country_code(country_cell) if country_cell else None,
    )
    _add_extras(user, cells, country_cell, v)
    yield user
    yield from v.rejects


def _observations(cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState) -> Iterator[Record]:
    raw = cells.fields
    reddit = any(c.field == "subreddit" for c in columns)
    key = _post_id(raw.get("post"), reddit)
    if key is None:
        cell = raw.get("post")
        yield reject(file, position, f"not a post id: {cell!r}" if cell else "no post id in this row", raw)
        return
    v = _Values(cells, file, position, state.profile)
    at = v.date("at")
    if at is None:
        v.rejects.clear()
        cell = raw.get("at")
        yield reject(
            file,
            position,
            f"observation without a usable time: {cell!r}" if cell else "observation without a time (at)",
            raw,
        )
        return
    if state.first_time(key):
        yield _post_from(v, key, reddit, counts=False)
    yield ObservationRecord(
        post=key, at=at, likes=v.count("likes"), comments=v.count("comments"), views=v.count("views"), shares=v.count("shares")
    )
    yield from v.rejects


_BUILDERS: dict[str, Callable[[_Cells, list[Column], Path, str, _FileState], Iterator[Record]]] = {
    "accounts": _accounts,
    "posts": _posts,
    "follows": _follows,
    "nodes": _nodes,
    "observations": _observations,
}
