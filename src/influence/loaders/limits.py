"""Bounds on what one input may cost: memory per document, string and list sizes, records per
file, dynamic property names per load, and what an identifier may look like.

Hostile or broken input (a decompression bomb, a 1.5 GiB caption, a CSV with a million columns,
random bytes given as an edge list) must give a bounded, clear reject and let the load go on.

The active :class:`Limits` are held in a context variable so every parser and the ingest see the
same bounds without threading a parameter through each format's code: the CLI sets them with
:func:`using` around a load; library callers that do nothing get :data:`DEFAULT`.
"""

from __future__ import annotations

import contextvars
import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

MiB = 1024 * 1024
#: Bytes read from a (compressed) stream at a time.
CHUNK = 1 * MiB
#: Below this decompressed size the ratio is not checked (small files compress very well).
RATIO_FLOOR = 1 * MiB


@dataclass(frozen=True, slots=True)
class Limits:
    """What one input may cost. Every bound is configurable (``influence load --help``)."""

    #: Largest (decompressed) size of one input file / document, in bytes. The parser holds one
    #: document in memory, so this bounds the loader's memory (about 6× this at worst).
    max_document_bytes: int = 64 * MiB
    #: Largest decompressed / compressed size ratio of a ``.xz`` / ``.gz`` / ``.bz2`` file.
    max_ratio: float = 200.0
    #: Longest string value (caption, biography, name …), in characters; a record holding a
    #: longer one is rejected.
    max_text_chars: int = 20_000
    #: Most entries in one list value (hashtags, mentions, tagged users, coauthors).
    max_list_items: int = 2_000
    #: Most top-level JSON values read from one file; the rest of the file is one reject.
    max_records_per_file: int = 5_000_000
    #: Most distinct dynamic property names (CSV / GraphML extras) one load may create.
    max_extra_properties: int = 200
    #: Longest identifier (user id, post id, node id), in characters.
    max_id_chars: int = 256
    #: Largest line / row / record of a streamed text format (CSV row, edge-list line, Pajek or
    #: GML line) and largest GraphML / GEXF ``<node>`` or ``<edge>`` element, in bytes
    #: (characters for decoded text). A longer one is one reject, never a truncated record; the
    #: reader skips it without holding it, so memory stays flat whatever its length.
    max_line_bytes: int = 1 * MiB
    #: Largest GML or Pajek file: networkx reads these whole, at 30–55× the file size in memory,
    #: so a larger file is refused with the way to load a big graph (an edge list, or --bulk).
    max_graph_file_bytes: int = 16 * MiB
    #: Most lines written to one load's rejects file; later rejects are counted by reason only.
    max_rejects: int = 100_000
    #: Most bytes written to one load's rejects file; later rejects are counted by reason only.
    max_rejects_bytes: int = 64 * MiB

    def __post_init__(self) -> None:
        for name in self.__slots__:  # type: ignore[attr-defined]
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)}")


DEFAULT = Limits()
_ACTIVE: contextvars.ContextVar[Limits] = contextvars.ContextVar("influence_limits", default=DEFAULT)


def current() -> Limits:
    """The limits in force (:data:`DEFAULT` unless :func:`using` set others)."""
    return _ACTIVE.get()


@contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Put ``limits`` in force for the ``with`` block (parsers are lazy: iterate inside it)."""
    token = _ACTIVE.set(limits)
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)


class LimitExceeded(Exception):
    """An input is over one of the limits; the message is the reject reason."""


# --------------------------------------------------------------------------- reading


#: suffix → the standard-library codec module whose ``open`` reads it (imported when a file needs it)
_CODECS: dict[str, str] = {".xz": "lzma", ".gz": "gzip", ".bz2": "bz2"}
COMPRESSED_SUFFIXES = tuple(_CODECS)


def _mb(n: float) -> str:
    return f"{n / MiB:,.0f} MiB" if n >= MiB else f"{n:,.0f} bytes"


def read_bounded(path: Path, limits: Limits | None = None) -> bytes:
    """The bytes of ``path``, decompressed when it ends in ``.xz``, ``.gz`` or ``.bz2``.

    Decompression streams in chunks and stops as soon as the output passes
    ``max_document_bytes`` or ``max_ratio`` × the compressed size, so a bomb costs at most the
    limit in memory. Raises :class:`LimitExceeded` for that; ``OSError``, ``EOFError`` and the
    codec's own errors for a broken file.
    """
    lim = limits or current()
    codec = _CODECS.get(path.suffix.lower())
    opener: Callable[..., Any] | None = importlib.import_module(codec).open if codec else None
    size = path.stat().st_size
    if opener is None:
        if size > lim.max_document_bytes:
            raise LimitExceeded(
                f"file too large: {_mb(size)} is over the limit of {_mb(lim.max_document_bytes)} per "
                "document — split the file or raise --max-document-mb"
            )
        return path.read_bytes()
    out = bytearray()
    with opener(path, "rb") as f:
        while chunk := f.read(CHUNK):
            out += chunk
            if len(out) > lim.max_document_bytes:
                raise LimitExceeded(
                    f"decompressed file too large: over {_mb(lim.max_document_bytes)} from "
                    f"{_mb(size)} compressed (limit per document) — a decompression bomb, or raise "
                    "--max-document-mb"
                )
            if len(out) > RATIO_FLOOR and len(out) > lim.max_ratio * max(size, 1):
                raise LimitExceeded(
                    f"compression ratio too high: over {lim.max_ratio:g}:1 ({_mb(len(out))} from "
                    f"{_mb(size)}) — a decompression bomb, or raise --max-ratio"
                )
    return bytes(out)


class LineTooLong:
    """What :func:`bounded_lines` yields in place of a line over the limit: its length (at
    least ``length`` characters: counting stops at the end of the line or of the file)."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length

    def reason(self, limit: int) -> str:
        return (
            f"line too long: {self.length:,} characters, over the limit of {_mb(limit)} per line or "
            "record (skipped whole, not truncated) — raise --max-line-mb if the row is real"
        )


def bounded_lines(f: IO[str], limit: int | None = None) -> Iterator[str | LineTooLong]:
    """The lines of the text stream ``f`` (newlines kept), each at most ``limit`` characters
    (default: ``max_line_bytes``); a longer line is read past in chunks without holding it and
    yields one :class:`LineTooLong`, so one line number is one item either way."""
    cap = limit or current().max_line_bytes
    while line := f.readline(cap + 1):
        if len(line) <= cap or line.endswith(("\n", "\r")):
            yield line
            continue
        length = len(line)
        while chunk := f.readline(CHUNK):
            length += len(chunk)
            if chunk.endswith(("\n", "\r")):
                break
        yield LineTooLong(length)


def check_graph_file(path: Path, fmt: str, limits: Limits | None = None) -> None:
    """Raise :class:`LimitExceeded` when a GML / Pajek file (read whole by networkx) is over
    ``max_graph_file_bytes``; the message says how to load a big graph."""
    lim = limits or current()
    size = path.stat().st_size
    if size > lim.max_graph_file_bytes:
        raise LimitExceeded(
            f"file too large: {_mb(size)} of {fmt} is over the limit of {_mb(lim.max_graph_file_bytes)} for "
            "formats read whole into memory (about 50× the file size) — export the graph as an edge list "
            "(`a b [weight]` lines) or GraphML, which are streamed, and load that (with --bulk for millions "
            "of edges into an empty database), or raise --max-graph-file-mb"
        )


def iterparse_bounded(
    path: Path, records: tuple[str, ...], limits: Limits | None = None
) -> Iterator[tuple[str, Any]]:
    """:func:`xml.etree.ElementTree.iterparse` ``(event, element)`` pairs (``start`` and
    ``end``), with each element whose local tag is in ``records`` (``node``, ``edge``) bounded
    by ``max_line_bytes``: the text and attributes of its descendants are counted as they
    arrive, and once over the limit its children are dropped as they end and the element ends
    with the event ``"too large"`` (its size so far in ``element.attrib["_bytes"]``) instead of
    ``"end"``. Memory stays flat whatever one element holds."""
    import xml.etree.ElementTree as ET

    cap = (limits or current()).max_line_bytes
    open_record: Any = None
    inside: list[Any] = []  # the record and its open descendants, innermost last
    size = 0
    over = False
    for event, elem in ET.iterparse(str(path), events=("start", "end")):
        if open_record is None:
            tag = elem.tag.rsplit("}", 1)[-1] if isinstance(elem.tag, str) else ""
            if event == "start" and tag in records:
                open_record, inside, size, over = elem, [elem], 0, False
            yield event, elem
        elif event == "start":
            inside.append(elem)
            if not over:
                yield event, elem
        elif elem is open_record:
            open_record = None
            if over:
                elem.attrib["_bytes"] = str(size)
                yield "too large", elem
            else:
                yield event, elem
        else:
            inside.pop()
            size += len(elem.text or "") + len(elem.tail or "") + 8
            size += sum(len(k) + len(v) for k, v in elem.attrib.items())
            over = over or size > cap
            if over:  # drop what ended, at every depth: memory stays flat
                elem.clear()
                del inside[-1][:]
            else:
                yield event, elem


#: Most digits of an integer in a JSON file read by :func:`read_json_file` (a 64-bit count has 20).
MAX_JSON_INT_DIGITS = 40


def _bounded_int(text: str) -> int:
    if len(text) > MAX_JSON_INT_DIGITS:
        raise ValueError(f"a number with {len(text):,} digits (at most {MAX_JSON_INT_DIGITS})")
    return int(text)


def read_json_file(path: Path, max_bytes: int) -> Any:
    """The JSON value of a small file the project wrote itself (a model's ``model.json``),
    read with bounds: at most ``max_bytes`` (checked before reading), integers of at most
    :data:`MAX_JSON_INT_DIGITS` digits, nesting as deep as the parser allows. Raises
    ``ValueError`` with the reason for anything else (``OSError`` when it cannot be read)."""
    import json

    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"{_mb(size)}, over the {_mb(max_bytes)} such a file may take")
    text = path.read_bytes().decode("utf-8")
    try:
        return json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


# --------------------------------------------------------------------------- identifiers

#: Instagram usernames: letters, digits, ``.`` and ``_``, at most 30 (stored lower-case).
INSTAGRAM_USERNAME_RE = re.compile(r"[a-z0-9._]{1,30}")
#: Sources whose user ids are Instagram usernames (see :mod:`influence.loaders.records`).
INSTAGRAM_SOURCES = frozenset({"gallery-dl", "instaloader", "profilecrawl", "sample"})


def id_problem(value: str, what: str, limits: Limits | None = None) -> str | None:
    """Why ``value`` is not a usable identifier, or None when it is.

    An identifier is at most ``max_id_chars`` long and made of printable characters (no control
    characters, no U+FFFD from undecodable bytes): random bytes are not an account.
    """
    lim = limits or current()
    if len(value) > lim.max_id_chars:
        return f"invalid id: {what} is {len(value):,} characters long (limit {lim.max_id_chars})"
    if "\ufffd" in value:
        return f"invalid id: {what} holds undecodable bytes"
    if not value.isprintable():
        return f"invalid id: {what} holds control or non-printable characters"
    return None


def username_problem(value: str, what: str) -> str | None:
    """Why ``value`` is not an Instagram username (lower-case), or None when it is."""
    if INSTAGRAM_USERNAME_RE.fullmatch(value) is None:
        return f"invalid username: {what} is not an Instagram username (a-z, 0-9, '.', '_', at most 30)"
    return None


def looks_binary(sample: bytes) -> bool:
    """True when the first bytes of a file are not text: a NUL byte (outside UTF-16/32), or more
    than 10 % of them undecodable as UTF-8 or control characters."""
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\0" in sample:
        return True
    text = sample.decode("utf-8", errors="replace")
    bad = sum(1 for c in text if c == "\ufffd" or (c < " " and c not in "\t\r\n\f"))
    return bad > 0.1 * len(text)
