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

``likes`` → :class:`LikeRecord`: ``(User)-[:LIKED]->(Post)``
    ``user`` (aliases ``liker``, ``username``, ``user_id`` …) and ``post`` (``post_id``,
    ``shortcode``, a post URL …). User ids are kept as written (lower-cased, ``@`` stripped:
    numeric ids too, as in liker lists); a post URL gives its shortcode.

``comments`` → :class:`CommentRecord`: ``(User)-[:COMMENTED {id, text, at}]->(Post)``
    ``user``, ``post``, ``text`` (``comment``, ``body`` …), optional ``at`` (``timestamp``,
    ``created_at`` …) and ``id`` (``comment_id``); without an id the comment is keyed by its
    user, post, time and text.

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

import itertools
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

from influence.errors import InputError
from influence.loaders.common import ParseStats, file_mtime, reject
from influence.loaders.csv_input.builders import _BUILDERS, CONTENT_ID_PREFIX, _FileState, content_id, node_id
from influence.loaders.csv_input.cleaning import MISSING, country_code, fix_text, split_list, typed
from influence.loaders.csv_input.columns import (
    RESERVED_PROPERTIES,
    TYPE_SAMPLE_ROWS,
    Column,
    _cells,
    _has_key,
    _profile,
    extra_name,
    property_name,
    resolve_columns,
)
from influence.loaders.csv_input.columns import (
    _compact as _compact,  # follows.py matches header names with it
)
from influence.loaders.csv_input.mapping import (
    _KEY_FIELDS,
    ALIASES,
    DEFAULT_MAPPINGS,
    FIELDS,
    IGNORE,
    KINDS,
    POSTS_NEEDS,
    SOURCE,
)
from influence.loaders.csv_input.reading import (
    _csv_files,
    excel_separator,
    read_dicts,
    read_rows,
    sniff_delimiter,
)
from influence.loaders.records import Record, Reject, ScrapeRecord

__all__ = [
    "ALIASES", "CONTENT_ID_PREFIX", "DEFAULT_MAPPINGS", "FIELDS", "IGNORE", "KINDS", "MISSING",
    "RESERVED_PROPERTIES", "SOURCE", "TYPE_SAMPLE_ROWS", "Column", "content_id", "country_code",
    "excel_separator", "extra_name", "fix_text", "node_id", "parse", "property_name", "read_dicts",
    "read_rows", "records", "resolve_columns", "sniff_delimiter", "split_list", "typed",
]  # fmt: skip


def parse(
    path: Path,
    kind: str,
    mapping: Mapping[str, str] | None = None,
    *,
    date_format: str | None = None,
    observed_at: datetime | None = None,
    constants: Mapping[str, str] | None = None,
    stats: ParseStats | None = None,
    accept_missing: bool = True,
) -> Iterator[Record]:
    """Stream the records of a CSV file (or a directory of ``*.csv``) of the given ``kind``.

    ``mapping`` maps the file's column names to field names (see :data:`FIELDS`); it is
    checked before any row is read (:class:`InputError` for an unknown kind or field).
    ``date_format`` (``--date-format``) is a ``strptime`` format for the date columns, or
    ``dayfirst`` / ``monthfirst`` when only the order of day and month must be said. Bad rows
    never raise: they become Rejects. ``observed_at`` and ``constants``: see :func:`records`;
    files of a directory that are not ``*.csv`` / ``*.tsv`` are counted in ``stats``, and where
    each column went is noted in ``stats.columns``. A posts file with no author, no date or no
    engagement column raises :class:`InputError` before its first row when ``accept_missing``
    is False (the CLI's default; ``--accept-missing`` sets it).
    """
    _check(kind, mapping)
    _check_constants(kind, constants)
    return _parse(
        Path(path),
        kind,
        dict(mapping or {}),
        date_format,
        observed_at,
        dict(constants or {}),
        stats,
        accept_missing,
    )


def _check(kind: str, mapping: Mapping[str, str] | None, kinds: tuple[str, ...] = KINDS) -> None:
    if kind not in kinds:
        raise InputError(f"unknown CSV kind {kind!r}: use one of {', '.join(KINDS)}")
    for column, name in (mapping or {}).items():
        if name != IGNORE and name not in FIELDS[kind]:
            raise InputError(
                f"--map {column}={name}: {name!r} is not a field of {kind}; "
                f"use one of {', '.join(FIELDS[kind])} (or '-' to ignore the column)"
            )


def _check_needs(file: Path, header: list[str], columns: list[Column], constants: Mapping[str, str]) -> None:
    """Refuse a posts table that lacks an author, a date or any engagement column: its posts
    would load, and every figure downstream (reach, engagement rate, virality baselines) would
    be wrong without a word."""
    fields = {c.field for c in columns if c.field} | set(constants)
    missing = [need for need, names in POSTS_NEEDS.items() if not fields & set(names)]
    if not missing:
        return
    unused = [c.header for c in columns if not c.field and c.header]
    words = {
        "author": "no author column",
        "date": "no date column",
        "engagement": "no engagement column (likes, comments, views, shares)",
    }
    raise InputError(
        f"{file.name}: "
        + ", ".join(words[m] for m in missing)
        + " was found"
        + (f"; columns not used: {', '.join(unused[:30])}" if unused else "")
        + ". Name them with --map COLUMN=FIELD (e.g. --map "
        + (unused[0] if unused else "COLUMN")
        + f"={POSTS_NEEDS[missing[0]][0]}), give a value with --set author=NAME, "
        "or load without them with --accept-missing"
    )


def _check_constants(kind: str, constants: Mapping[str, str] | None) -> None:
    for name in constants or {}:
        if name not in FIELDS[kind]:
            raise InputError(
                f"--set {name}=…: {name!r} is not a field of {kind}; use one of {', '.join(FIELDS[kind])}"
            )


def _parse(
    path: Path,
    kind: str,
    mapping: dict[str, str],
    date_format: str | None,
    observed_at: datetime | None,
    constants: dict[str, str],
    stats: ParseStats | None,
    accept_missing: bool = False,
) -> Iterator[Record]:
    yield ScrapeRecord(id=f"{SOURCE}:{path.resolve()}", source=SOURCE, tool="csv", path=str(path.resolve()))
    yield from records(
        path,
        kind,
        mapping,
        SOURCE,
        date_format=date_format,
        observed_at=observed_at,
        constants=constants,
        stats=stats,
        accept_missing=accept_missing,
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
    accept_missing: bool = True,
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
        if stats is not None:
            stats.files_started += 1
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
        if stats is not None:
            stats.note_columns(
                f"csv {kind}", {c.header or f"column {c.index + 1}": c.destination for c in columns}
            )
        if kind == "posts" and not accept_missing:
            _check_needs(file, header, columns, constants or {})
        if not _has_key(kind, columns):
            advice = (
                "name the two columns source,target (or follower,followed); a file without a header "
                "of numeric ids is read as an edge list"
                if kind == "follows"
                else "it needs a user and a post column: name them with --map <column>=user --map <column>=post"
                if kind in ("likes", "comments")
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
