"""Render rows as a readable table, JSON or CSV (pure: returns text, prints nothing)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from influence import glossary

FORMATS = ("table", "json", "csv")


#: The widest a column gets before its cells wrap onto further lines (never cut, up to MAX_LINES).
MAX_WIDTH = 60
#: The longest word (an id, a path, a URL) kept on one line; longer ones are split over lines.
MAX_WORD = 120
#: Lines one cell may take; free text longer than that (a caption) ends with "…".
MAX_LINES = 8
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def is_identifier(column: str | None) -> bool:
    """True for a column of ids or codes (``id``, ``post_id``, ``community``, ``topic``, ``year``):
    its numbers are printed as they are, without thousands separators."""
    if not column:
        return False
    last = column.rsplit(".", 1)[-1].lower()
    return last in {"id", "community", "topic", "year", "pid", "seed", "shortcode", "port"} or last.endswith(
        ("id", "community")
    )


def _when(value: Any) -> str:
    """A point in time to the minute, in UTC when it carries a zone: ``2024-01-05 13:07 UTC``."""
    if hasattr(value, "to_native"):  # neo4j.time types
        value = value.to_native()
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number(value: float) -> str:
    """A number for people: ``19,420``, ``123.5``, ``0.1235``, ``0.00001234`` (never ``1.942e+04``)."""
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    size = abs(value)
    if size >= 1000:
        return f"{value:,.0f}"
    if size >= 1:
        return f"{value:.4g}"
    digits = min(12, 3 - math.floor(math.log10(size)))
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-", "-0") else "0"


def _cell(value: Any, column: str | None = None) -> str:
    if value is None:
        return ""
    if hasattr(value, "item") and hasattr(value, "dtype"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        if is_identifier(column) and value.is_integer():
            return str(int(value))
        return _number(value)
    if isinstance(value, int):
        return str(value) if is_identifier(column) else f"{value:,}"
    if isinstance(value, datetime | date) or hasattr(value, "to_native"):
        return _when(value)
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v, column) for v in value)
    if isinstance(value, str) and _ISO.match(value):
        try:
            return _when(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    return str(value)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` characters: wrapped at spaces (long words split),
    never cut, except free text beyond :data:`MAX_LINES` lines, which ends with "…"."""
    if len(text) <= width and "\n" not in text:
        return [text]
    lines: list[str] = []
    for part in text.splitlines() or [""]:
        lines += textwrap.wrap(part, width, break_on_hyphens=False, replace_whitespace=False) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines


def _raw(value: Any) -> str:
    """A CSV cell: numbers as Python writes them (``105123.5``, never ``1.051e+05`` or
    ``1,542,862``), so that the file feeds other programs unchanged; lists joined by ``|``."""
    value = _jsonable(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, list | tuple):
        return "|".join(_raw(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def render(
    rows: Sequence[Mapping[str, Any]], fmt: str = "table", columns: Sequence[str] | None = None
) -> str:
    """Rows as text in ``fmt`` (table, json or csv). ``columns`` picks and orders the columns.

    Only the table is formatted for people: numbers with thousands separators (``19,420``,
    never ``1.942e+04``; ids as they are), times to the minute in UTC, headers in words
    (:func:`header`), long cells wrapped rather than cut. JSON and CSV carry the raw values
    (CSV: lists joined by ``|``, booleans as ``true``/``false``)."""
    cols = list(columns) if columns is not None else (list(rows[0].keys()) if rows else [])
    if fmt == "json":
        return json.dumps(
            [{c: _jsonable(r.get(c)) for c in cols} for r in rows], indent=2, ensure_ascii=False
        )
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([_raw(r.get(c)) for c in cols])
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not rows:
        return "(no rows)"
    heads = [glossary.header(c) for c in cols]
    body = [[_cell(r.get(c), c) for c in cols] for r in rows]
    # text wraps at MAX_WIDTH; a word longer than that (an id, a path, a URL) keeps its line up
    # to MAX_WORD characters
    widths = [
        max(
            min(MAX_WIDTH, max(len(h), *(max(map(len, b[i].splitlines() or [""])) for b in body))),
            min(MAX_WORD, max((len(word) for b in body for word in b[i].split()), default=0)),
        )
        for i, h in enumerate(heads)
    ]
    numeric = [
        all(_is_number(r.get(c)) for r in rows if r.get(c) is not None) and not is_identifier(c) for c in cols
    ]

    def lines(cells: Sequence[str]) -> list[str]:
        wrapped = [_wrap(v, w) for v, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        out = []
        for k in range(height):
            parts = []
            for i, w in enumerate(wrapped):
                v = w[k] if k < len(w) else ""
                parts.append(v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]))
            out.append("  ".join(parts).rstrip())
        return out

    head = lines(heads)
    return "\n".join([*head, "  ".join("-" * w for w in widths), *(ln for b in body for ln in lines(b))])


def _is_number(value: Any) -> bool:
    if hasattr(value, "item") and hasattr(value, "dtype"):
        value = value.item()
    return isinstance(value, int | float) and not isinstance(value, bool)


def render_mapping(data: Mapping[str, Any], fmt: str = "table") -> str:
    """One record (key → value) as aligned ``key: value`` lines, or JSON."""
    if fmt == "json":
        return json.dumps(_jsonable(data), indent=2, ensure_ascii=False)
    if fmt == "csv":
        return render([data], "csv")
    width = max((len(k) for k in data), default=0)
    return "\n".join(f"{k.ljust(width)}  {_cell(v, k)}" for k, v in data.items())


def columns_text(columns: dict[str, dict[str, str]]) -> str:
    """Where each input column or key went, per input kind: mapped to a field, kept as a
    property, or ignored (named, so nothing is dropped in silence)."""
    lines = []
    for kind, seen in columns.items():
        mapped = [
            name if where == "read" else f"{name} → {where}"
            for name, where in seen.items()
            if not where.startswith(("property ", "ignored"))
        ]
        kept = [
            f"{name} → {where.removeprefix('property ')}"
            for name, where in seen.items()
            if where.startswith("property ")
        ]
        ignored = [name for name, where in seen.items() if where.startswith("ignored")]
        lines.append(f"{kind}: {len(seen)} columns or keys")
        read_as_is = all(
            where == "read" for where in seen.values() if not where.startswith(("property ", "ignored"))
        )
        lines.append(("  read: " if read_as_is else "  mapped to fields: ") + (", ".join(mapped) or "none"))
        if kept:
            lines.append("  kept as properties: " + ", ".join(kept))
        lines.append(f"  ignored ({len(ignored)}, not loaded): " + (", ".join(ignored) or "none"))
    return "\n".join(lines)
