"""Coercing scraped values: counts, booleans and dates (pure functions).

Each function returns the typed value or raises :class:`ValueError` with a reason that the
parsers put into the rejects file; "missing" (None, empty, the gallery-dl null date) is None.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

#: gallery-dl writes a missing or invalid timestamp as this string.
GALLERY_DL_NULL_DATE = "[Invalid DateTime]"
#: Dates before this are placeholders (profilecrawl writes 1970-01-01 for unknown dates).
EARLIEST_PLAUSIBLE = datetime(2010, 10, 1, tzinfo=UTC)  # Instagram launched 6 Oct 2010

_SUFFIX = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_COUNT_RE = re.compile(r"^([0-9]+(?:[.,][0-9]+)?)\s*([kmb])?$", re.IGNORECASE)


def to_count(value: Any) -> int | None:
    """A non-negative count: ``124``, ``"1,234"``, ``"124k"``, ``"1.2m"``, ``"3.5 M"``.

    Rounded counts ("124k") are expanded (124000): the precision is what the source had.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"count is a boolean: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"negative count: {value}")
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or value < 0:
            raise ValueError(f"invalid count: {value}")
        return round(value)
    if not isinstance(value, str):
        raise ValueError(f"count has type {type(value).__name__}: {value!r}")
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    m = _COUNT_RE.match(text)
    if not m:
        raise ValueError(f"not a count: {value!r}")
    number, suffix = m.groups()
    if suffix:
        return round(float(number.replace(",", ".")) * _SUFFIX[suffix.lower()])
    return int(number.replace(",", "").replace(".", "")) if re.fullmatch(r"\d{1,3}([.,]\d{3})+", number) else round(float(number.replace(",", ".")))


def to_bool(value: Any) -> bool | None:
    """A boolean from ``True``, ``1``, ``"true"``, ``"yes"`` …; None when missing."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str):
        v = value.strip().lower()
        if v in {"true", "t", "yes", "y", "1"}:
            return True
        if v in {"false", "f", "no", "n", "0"}:
            return False
    raise ValueError(f"not a boolean: {value!r}")


def to_datetime(value: Any) -> datetime | None:
    """A timezone-aware UTC datetime.

    Accepts gallery-dl's naive-UTC ``"2024-05-01 10:40:00"`` (and its ``"[Invalid DateTime]"``
    → None), ISO 8601 with or without offset or ``Z``, and Unix seconds (int, float or digits).
    Naive values are taken as UTC.
    """
    if value is None or value == "" or value == GALLERY_DL_NULL_DATE:
        return None
    if isinstance(value, bool):
        raise ValueError(f"date is a boolean: {value!r}")
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int | float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"invalid timestamp: {value}")
        try:
            dt = datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError) as e:
            raise ValueError(f"timestamp out of range: {value}") from e
    elif isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{9,11}(\.\d+)?", text):
            return to_datetime(float(text))
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as e:
            raise ValueError(f"not a date: {value!r}") from e
    else:
        raise ValueError(f"date has type {type(value).__name__}: {value!r}")
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def plausible_post_date(dt: datetime | None) -> datetime | None:
    """``dt``, or None when it is a placeholder before Instagram existed (e.g. 1970-01-01)."""
    if dt is None or dt < EARLIEST_PLAUSIBLE:
        return None
    return dt
