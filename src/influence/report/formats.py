"""Values in words and figures for the HTML report's cells (its Jinja2 filters): counts,
percentages, dates, safe links and shortened captions. Pure; missing values read "—"."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

#: Characters of a caption shown in a table cell (the full text on hover).
CAPTION_CHARS = 140


def native(value: Any) -> Any:
    """Neo4j temporal values as Python ones (other values unchanged)."""
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


def fmt_int(value: Any) -> str:
    """12345 → "12,345"; empty for missing values."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{round(float(value)):,}"


def fmt_compact(value: Any) -> str:
    """1234567 → "1.23M" (reach columns)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    v = float(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(v) >= size:
            return f"{v / size:.3g}{suffix}"
    return f"{v:.3g}" if v != int(v) else f"{int(v)}"


def fmt_pct(value: Any, digits: int = 2) -> str:
    """0.0345 → "3.45%"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def fmt_num(value: Any, digits: int = 3) -> str:
    """A float with ``digits`` significant digits; ints with thousands separators."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    v = float(value)
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def fmt_date(value: Any) -> str:
    """A date or date-time as "12 Mar 2024"."""
    value = native(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d %b %Y").lstrip("0")
    return "—" if value is None else str(value)


def safe_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL; None otherwise (no ``javascript:`` links)."""
    if not isinstance(value, str):
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


def shorten(value: Any, width: int = CAPTION_CHARS) -> str:
    """Text cut to ``width`` characters at a word boundary, newlines folded."""
    s = " ".join(str(value or "").split())
    if len(s) <= width:
        return s
    cut = s[:width].rsplit(" ", 1)[0]
    return (cut if len(cut) > width // 2 else s[:width]) + "…"
