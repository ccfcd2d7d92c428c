"""Render rows as a readable table, JSON or CSV (pure: returns text, prints nothing)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


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


def render(rows: Sequence[Mapping[str, Any]], fmt: str = "table", columns: Sequence[str] | None = None) -> str:
    """Rows as text in ``fmt`` (table, json or csv). ``columns`` picks and orders the columns.

    Only the table is formatted for people (``1.942e+04``, ``1,542,862``); JSON and CSV carry
    plain numbers (CSV: lists joined by ``|``, booleans as ``true``/``false``)."""
    cols = list(columns) if columns is not None else (list(rows[0].keys()) if rows else [])
    if fmt == "json":
        return json.dumps([{c: _jsonable(r.get(c)) for c in cols} for r in rows], indent=2, ensure_ascii=False)
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
    body = [[_cell(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(b[i]) for b in body)) for i, c in enumerate(cols)]
    widths = [min(w, 60) for w in widths]

    def line(cells: Sequence[str]) -> str:
        return "  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(cols), line(["-" * w for w in widths]), *(line(b) for b in body)])


def render_mapping(data: Mapping[str, Any], fmt: str = "table") -> str:
    """One record (key → value) as aligned ``key: value`` lines, or JSON."""
    if fmt == "json":
        return json.dumps(_jsonable(data), indent=2, ensure_ascii=False)
    if fmt == "csv":
        return render([data], "csv")
    width = max((len(k) for k in data), default=0)
    return "\n".join(f"{k.ljust(width)}  {_cell(v)}" for k, v in data.items())
