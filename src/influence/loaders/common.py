"""Helpers shared by the file parsers (pure: no database, no printing).

* reading a file's bytes and decoding JSON whatever its encoding (UTF-8 with or without BOM,
  UTF-16/32 as PowerShell's ``>`` writes it, stray bad bytes replaced),
* splitting a file into its top-level JSON values (one document, several concatenated arrays
  as ``gallery-dl -j`` writes them for several URLs, or JSON Lines), resynchronising after a
  broken value so one bad line does not lose the rest of the file,
* building :class:`~influence.loaders.records.Reject` records whose ``raw`` is JSON-safe,
* the dated scrape folder (``2024-05-01T104000``) a file lives in, which says when its counts
  were observed,
* walking a directory tree in a stable order, one folder at a time.
"""

from __future__ import annotations

import gzip
import itertools
import json
import lzma
import math
import os
import re
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from influence import text as textmod
from influence import values
from influence.loaders import limits
from influence.loaders.records import Reject, ScrapeRecord, UserRecord

#: ``2024-05-01``, ``2024-05-01T1040`` or ``2024-05-01T104000`` (how ``influence scrape`` and
#: ``influence sample`` name their output folders), optionally with a trailing ``Z``.
DATED_FOLDER_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?Z?$")

#: Longest text kept in a reject's ``raw`` (a whole broken file would bloat the rejects file).
MAX_RAW_CHARS = 2000
#: Most entries kept per list or object in a reject's ``raw``.
MAX_RAW_ITEMS = 200
#: Deepest nesting kept in a reject's ``raw``; deeper values become ``"…"``.
MAX_RAW_DEPTH = 20

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


@dataclass(slots=True)
class ParseStats:
    """Counters a parser fills in when the caller passes one (``parse(path, stats=...)``)."""

    files_seen: int = 0
    files_parsed: int = 0
    files_skipped: int = 0  # media, resume files and other files that hold no metadata
    files_rejected: int = 0  # unreadable or not JSON at all
    skipped: dict[str, int] = field(default_factory=dict)  # why → how many
    #: files begun so far by a parser that lists its files first (CSV, profilecrawl): progress
    files_started: int = 0
    #: called with (file, why) for every file skipped, e.g. to list them (``load --verbose``)
    on_skip: Callable[[Path, str], None] | None = None
    #: per input file kind ("csv posts", "zeeschuimer instagram item" …): each column or key
    #: seen → where it went (a field, ``property NAME``, or ``ignored …``); the load summary
    #: names the ignored ones, so nothing is dropped in silence
    columns: dict[str, dict[str, str]] = field(default_factory=dict)

    def note_columns(self, kind: str, destinations: Mapping[str, str]) -> None:
        """Record where each column / key of an input of ``kind`` went (first word wins)."""
        seen = self.columns.setdefault(kind, {})
        for name, where in destinations.items():
            seen.setdefault(name, where)

    def skip(self, why: str, file: Path | None = None) -> None:
        """Count one skipped file under ``why`` (and tell :attr:`on_skip` which one)."""
        self.files_skipped += 1
        self.skipped[why] = self.skipped.get(why, 0) + 1
        if file is not None and self.on_skip is not None:
            self.on_skip(file, why)


def input_files(
    path: Path,
    suffixes: tuple[str, ...],
    skip_reason: str,
    stats: ParseStats | None = None,
    *,
    recursive: bool = False,
) -> list[Path] | None:
    """The files of ``path`` a parser reads: ``path`` itself when it is a file, else the files
    of the folder (``recursive``: and its subfolders) whose suffix is in ``suffixes``, sorted;
    every other file is counted in ``stats`` under ``skip_reason``. None when ``path`` does not
    exist or cannot be listed."""
    try:
        if path.is_dir():
            found: list[Path] = []
            for p in sorted(path.rglob("*") if recursive else path.iterdir()):
                if not p.is_file():
                    continue
                if p.suffix.lower() in suffixes:
                    found.append(p)
                elif stats is not None:
                    stats.skip(skip_reason, p)
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


class FileError(Exception):
    """A file cannot be read or decoded; the message is the reject reason."""


# --------------------------------------------------------------------------- JSON-safe raw


def json_safe(value: Any, *, max_chars: int = MAX_RAW_CHARS, _depth: int = 0) -> Any:
    """``value`` made JSON-serialisable: bytes decoded with replacement, non-finite floats as
    strings, tuples and sets as lists, keys as strings, and bounded in size: strings cut at
    ``max_chars``, containers at :data:`MAX_RAW_ITEMS` entries, nesting at :data:`MAX_RAW_DEPTH`."""
    if _depth > MAX_RAW_DEPTH:
        return "…"
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return value if len(value) <= max_chars else value[:max_chars] + "…"
    if isinstance(value, bytes | bytearray):
        return json_safe(bytes(value).decode("utf-8", errors="replace"), max_chars=max_chars, _depth=_depth)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {
            str(k): json_safe(v, max_chars=max_chars, _depth=_depth + 1)
            for k, v in itertools.islice(value.items(), MAX_RAW_ITEMS)
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [
            json_safe(v, max_chars=max_chars, _depth=_depth + 1)
            for v in itertools.islice(value, MAX_RAW_ITEMS)
        ]
    return json_safe(repr(value), max_chars=max_chars, _depth=_depth)


def reject(source: Path | str, position: str | int, reason: str, raw: Any = None) -> Reject:
    """A :class:`Reject` whose ``raw`` is JSON-serialisable and bounded in size (see :func:`json_safe`)."""
    return Reject(source=str(source), position=str(position), reason=reason, raw=json_safe(raw))


# --------------------------------------------------------------------------- reading files


def read_bytes(path: Path) -> bytes:
    """The file's bytes, ``.xz`` / ``.gz`` / ``.bz2`` decompressed as a stream within the active
    :class:`~influence.loaders.limits.Limits`; :class:`FileError` when that fails."""
    kind = path.suffix.lower().lstrip(".")
    try:
        return limits.read_bounded(path)
    except limits.LimitExceeded as e:
        raise FileError(str(e)) from e
    except (lzma.LZMAError, gzip.BadGzipFile, zlib.error, ValueError) as e:
        raise FileError(f"not a valid .{kind} file ({e}); re-download it or delete it") from e
    except EOFError as e:
        raise FileError(f"truncated .{kind} file; re-download it or delete it") from e
    except OSError as e:
        raise FileError(f"cannot read the file: {e.strerror or e}") from e


def decode_text(data: bytes) -> tuple[str, bool]:
    """Text of a JSON file and whether bad bytes had to be replaced.

    A byte-order mark selects UTF-8/16/32 (Windows PowerShell writes ``gallery-dl -j > x.json``
    as UTF-16); without one, the NUL-byte pattern of the first bytes tells UTF-16/32 (RFC 8259
    §8.1); otherwise UTF-8. Undecodable bytes become U+FFFD so the rest of the file is kept.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding)
    encoding = json.detect_encoding(data[:4]) if len(data) >= 4 else "utf-8"
    return _decode(data, encoding)


def _decode(data: bytes, encoding: str) -> tuple[str, bool]:
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), True


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line} column {col}"


_DECODER = json.JSONDecoder()
_WS = re.compile(r"\s*")
# a line that starts a new top-level value: where to resume after a broken one
_RESYNC = re.compile(r"\n(?=[\[{])")


def iter_json_values(text: str, source: Path | str) -> Iterator[tuple[str, Any] | Reject]:
    """Every top-level JSON value in ``text`` as ``(position, value)``, or a Reject.

    Handles one document, several concatenated documents (``gallery-dl -j`` with several
    URLs) and JSON Lines alike. After a broken value, parsing resumes at the next line that
    starts (in column 1) with ``[`` or ``{``: the start of the next array of an indented dump,
    the next line of a JSON Lines file.
    """
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    line, counted = 1, 0
    max_values, n_values = limits.current().max_records_per_file, 0
    while pos < len(text):
        if n_values >= max_values:
            yield reject(
                source,
                f"line {line + text.count(chr(10), counted, pos)}",
                f"too many records in one file: the rest of the file is skipped after {max_values:,} "
                "values — split the file or raise --max-records-per-file",
            )
            return
        n_values += 1
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError) as e:  # JSONDecodeError, or an int over 4300 digits
            err_pos = e.pos if isinstance(e, json.JSONDecodeError) else pos
            nxt = _RESYNC.search(text, pos + 1)
            stop = nxt.start() + 1 if nxt else len(text)
            if isinstance(e, json.JSONDecodeError):
                reason = f"invalid JSON: {e.msg} at {_line_col(text, err_pos)}"
            elif isinstance(e, RecursionError):
                reason = "invalid JSON: nested too deeply"
            else:
                reason = f"invalid JSON: {e}"
            yield reject(source, f"line {line}", reason, text[pos:stop])
            pos = _WS.match(text, stop).end()  # type: ignore[union-attr]
            continue
        yield f"line {line}", value
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]


def load_json_values(path: Path) -> Iterator[tuple[str, Any] | Reject]:
    """Read ``path`` (``.xz`` or plain) and yield its top-level JSON values or Rejects.

    A file that cannot be read gives one Reject; bad bytes are replaced (and the values
    parsed), an empty file gives a Reject.
    """
    try:
        data = read_bytes(path)
    except FileError as e:
        yield reject(path, "file", str(e))
        return
    if data[:1] in (b"{", b"[") and limits.current().max_records_per_file >= 1:
        # Most metadata files are one document: orjson reads it several times faster. Anything
        # it refuses (several documents, JSON Lines, NaN, a 65-bit integer, bad UTF-8, deep
        # nesting) takes the reader below, which says what is wrong.
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
        else:
            yield "line 1", value
            return
    text, _replaced = decode_text(data)
    if not text.strip():
        yield reject(path, "file", "empty file: nothing to load")
        return
    yield from iter_json_values(text, path)


# --------------------------------------------------------------------------- dated folders


def dated_folder(path: Path) -> tuple[Path, datetime] | None:
    """The deepest folder in ``path`` (itself included) named like a scrape time, and that time.

    ``2024-05-01T104000``, ``2024-05-01T1040`` and ``2024-05-01`` are read as UTC.
    """
    for folder in (path, *path.parents):
        when = folder_time(folder.name)
        if when is not None:
            return folder, when
    return None


def folder_time(name: str) -> datetime | None:
    """The UTC time a folder name like ``2024-05-01T104000`` stands for, or None."""
    m = DATED_FOLDER_RE.match(name)
    if not m:
        return None
    y, mo, d, h, mi, s = m.groups()
    try:
        return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=UTC)
    except ValueError:
        return None


def file_mtime(path: Path) -> datetime | None:
    """The file's modification time (UTC), or None if it cannot be read."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except (OSError, OverflowError, ValueError):
        return None


def observed_at(file: Path) -> datetime | None:
    """When the counts in ``file`` were seen: its dated folder's time, else its mtime (UTC)."""
    found = dated_folder(file.parent)
    if found is not None:
        return found[1]
    return file_mtime(file)


def observed_after(observed: datetime | None, posted: datetime | None) -> datetime | None:
    """``observed``, or None when it is not after ``posted`` (a file mtime set to the post's
    date by the scraper, or a wrong clock): an observation at age ≤ 0 would break velocity."""
    if observed is not None and posted is not None and observed <= posted:
        return None
    return observed


def scrape_id(source: str, root: Path) -> str:
    """Deterministic id of a scrape: ``<source>:<absolute root>:<dated folder name or "">``."""
    found = dated_folder(root)
    return f"{source}:{root.resolve()}:{found[0].name if found else ''}"


def dated_scrape_record(source: str, tool: str, root: Path) -> ScrapeRecord:
    """The ScrapeRecord of ``root`` (a file, a download folder or one dated run folder): its
    id from :func:`scrape_id`, its start time from the dated folder name when there is one."""
    found = dated_folder(root)
    return ScrapeRecord(
        id=scrape_id(source, root),
        source=source,
        tool=tool,
        started_at=found[1] if found else None,
        path=str(root.resolve()),
    )


# --------------------------------------------------------------------------- walking


def walk_folders(root: Path) -> Iterator[tuple[Path, list[Path]]]:
    """``(folder, files sorted by name)`` for every folder under ``root``, depth first, sorted.

    Only one folder's file names are held at a time. Unreadable folders are skipped (the
    caller sees no files for them); symlinked folders are not followed (loops).
    """
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue
        files: list[Path] = []
        subdirs: list[Path] = []
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append(Path(entry.path))
                elif entry.is_file():
                    files.append(Path(entry.path))
            except OSError:
                continue
        files.sort(key=lambda p: p.name)
        yield folder, files
        stack.extend(sorted(subdirs, key=lambda p: p.name, reverse=True))


# --------------------------------------------------------------------------- values


def dig(obj: Any, *keys: str | int) -> Any:
    """``obj[k1][k2]…`` or None when any step is missing or of the wrong type."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(obj, list) or not -len(obj) <= key < len(obj):
                return None
            obj = obj[key]
        else:
            if not isinstance(obj, dict):
                return None
            obj = obj.get(key)
        if obj is None:
            return None
    return obj


def as_id(value: Any) -> str | None:
    """A platform id as a string (the APIs mix ints and strings); None when unusable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_text(value: Any) -> str | None:
    """A string value, or None for anything else (never ``str()`` of a dict)."""
    return value if isinstance(value, str) else None


def small_user(entry: Any) -> UserRecord | None:
    """A UserRecord from a ``{id|pk, username, full_name}`` object (tagged users, coauthors);
    None when ``entry`` is not an object or has no valid username."""
    if not isinstance(entry, dict):
        return None
    raw = entry.get("username")
    name = textmod.normalise_username(raw) if isinstance(raw, str) else None
    if name is None:
        return None
    full = entry.get("full_name")
    return UserRecord(
        id=name,
        username=raw.strip() if isinstance(raw, str) else None,
        platform_id=as_id(entry.get("id")) or as_id(entry.get("pk")),
        full_name=full if isinstance(full, str) and full else None,
    )


def slugify(name: str | None) -> str | None:
    """gallery-dl's location slug: lower case, spaces as ``-``."""
    if not name:
        return None
    return name.strip().lower().replace(" ", "-") or None


class FieldErrors:
    """Collects bad optional values of one record: the record is kept without them, and each
    becomes a Reject so nothing is dropped silently."""

    def __init__(self, source: Path | str, position: str) -> None:
        self.source = str(source)
        self.position = position
        self.rejects: list[Reject] = []

    def _bad(self, name: str, value: Any, err: Exception) -> None:
        self.rejects.append(
            reject(
                self.source, f"{self.position} {name}", f"{name}: {err} (value dropped, record kept)", value
            )
        )

    def count(self, name: str, value: Any) -> int | None:
        """:func:`values.to_count` or None (noting the bad value)."""
        try:
            return values.to_count(value)
        except ValueError as e:
            self._bad(name, value, e)
            return None

    def boolean(self, name: str, value: Any) -> bool | None:
        """:func:`values.to_bool` or None (noting the bad value)."""
        try:
            return values.to_bool(value)
        except ValueError as e:
            self._bad(name, value, e)
            return None

    def date(self, name: str, value: Any) -> datetime | None:
        """:func:`values.to_datetime` or None (noting the bad value)."""
        try:
            return values.to_datetime(value)
        except ValueError as e:
            self._bad(name, value, e)
            return None

    def text(self, name: str, value: Any) -> str | None:
        """A string, or None (noting a value of another type)."""
        if value is None or isinstance(value, str):
            return value
        self._bad(name, value, ValueError(f"expected text, got {type(value).__name__}"))
        return None

    def first_date(self, candidates: list[tuple[str, Any]]) -> datetime | None:
        """The first usable date among ``(name, value)`` candidates (a fallback chain); bad
        values on the way are noted, missing ones (None) skipped."""
        for name, value in candidates:
            if value is None:
                continue
            posted = self.date(name, value)
            if posted is not None:
                return posted
        return None

    def first_count(
        self, candidates: list[tuple[str, Any]], *, zero_is_missing: frozenset[str] = frozenset()
    ) -> int | None:
        """The first usable count among ``(name, value)`` candidates (a fallback chain).

        Names in ``zero_is_missing`` are skipped when 0 (gallery-dl's ``count_*`` are 0 when
        the endpoint did not supply them).
        """
        for name, value in candidates:
            if value is None:
                continue
            if isinstance(value, dict) and "count" in value:
                value = value["count"]
            got = self.count(name, value)
            if got is None or (got == 0 and name in zero_is_missing):
                continue
            return got
        return None


_USER_FIELDS: tuple[str, ...] = UserRecord.__slots__  # type: ignore[attr-defined]


class RecentUsers:
    """Drops a UserRecord identical to one emitted recently (the owner repeats in every
    sidecar). Bounded, so memory stays flat however many files are read."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._seen: OrderedDict[str, UserRecord] = OrderedDict()

    def clear(self) -> None:
        """Forget everything (a new scrape starts: its users must be emitted again)."""
        self._seen.clear()

    def fresh(self, user: UserRecord) -> bool:
        """True when ``user`` should be emitted: new, or it tells something the last one did not.

        Ingest writes only non-null values, so a record whose every non-null field equals the
        remembered one adds nothing.
        """
        old = self._seen.get(user.id)
        if old is not None and (
            old == user or all(getattr(user, f) in (None, {}, getattr(old, f)) for f in _USER_FIELDS)
        ):
            self._seen.move_to_end(user.id)
            return False
        if old is not None:
            merged = UserRecord(**{f: getattr(old, f) for f in UserRecord.__slots__})  # type: ignore[attr-defined]
            for f in UserRecord.__slots__:  # type: ignore[attr-defined]
                if getattr(user, f) not in (None, {}):
                    setattr(merged, f, getattr(user, f))
            user = merged
        self._seen[user.id] = user
        self._seen.move_to_end(user.id)
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True


@dataclass
class ParseContext:
    """State a folder parser carries across files: its counters and the recently emitted users."""

    stats: ParseStats
    users: RecentUsers = field(default_factory=RecentUsers)

    def user(self, user: UserRecord | None) -> Iterator[UserRecord]:
        """``user`` unless it is None or a repeat of one emitted recently."""
        if user is not None and self.users.fresh(user):
            yield user
