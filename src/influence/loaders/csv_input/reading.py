"""Reading a CSV file as it is: encoding, Excel's ``sep=`` line, delimiter, rows, dicts."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from influence.loaders import limits
from influence.loaders.common import ParseStats, input_files, reject
from influence.loaders.csv_input.cleaning import MISSING, fix_text
from influence.loaders.records import Reject

_SAMPLE_BYTES = 1 << 16
_MAX_CONSECUTIVE_ERRORS = 1000


def _csv_files(path: Path, stats: ParseStats | None = None) -> list[Path] | None:
    return input_files(path, (".csv", ".tsv"), "not a .csv / .tsv file", stats)


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
        too_long: dict[int, limits.LineTooLong] = {}
        lines_iter = _no_nul(stream, too_long)
        if sep is not None:
            next(lines_iter, None)  # Excel's "sep=;" line: not the header
        delimiter = sep or _delimiter(lines[1] if sep is not None and len(lines) > 1 else lines[0])
        reader = csv.reader(lines_iter, delimiter=delimiter)
        skipped = 1 if sep is not None else 0  # file line = reader line + the sep= line
        errors = 0
        while True:
            before = reader.line_num
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, OSError) as e:
                errors += 1
                yield reject(file, f"line {reader.line_num + skipped}", f"unreadable CSV row: {e}")
                if errors > _MAX_CONSECUTIVE_ERRORS:
                    yield reject(
                        file,
                        f"line {reader.line_num + skipped}",
                        "too many unreadable rows; rest of the file skipped",
                    )
                    return
                continue
            errors = 0
            if too_long:  # a line of this row was over the limit: the row is one reject, never cut short
                over = [
                    n for n in range(before + skipped + 1, reader.line_num + skipped + 1) if n in too_long
                ]
                if over:
                    cap = limits.current().max_line_bytes
                    for n in over:
                        yield reject(file, f"line {n}", too_long.pop(n).reason(cap))
                    continue
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
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            yield reject(
                file, f"line {line}", f"{len(row)} cells but the header has {len(header)} columns", row
            )
            continue
        cells = {
            name: ("" if value.strip().lower() in MISSING else fix_text(value.strip()))
            for name, value in zip(header, row, strict=False)
        }
        yield line, {name: cells.get(name, "") for name in header}


def _no_nul(stream: io.TextIOWrapper, too_long: dict[int, limits.LineTooLong]) -> Iterator[str]:
    """The lines of ``stream`` without NUL bytes; a line over ``max_line_bytes`` becomes an empty
    line and is noted in ``too_long`` by its line number, for :func:`read_rows` to reject its row."""
    for n, line in enumerate(limits.bounded_lines(stream), start=1):
        if isinstance(line, limits.LineTooLong):
            too_long[n] = line
            yield "\n"
        else:
            yield line.replace("\0", "") if "\0" in line else line


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
