"""Coercing scraped values: counts, booleans and dates (pure functions).

Each function returns the typed value or raises :class:`ValueError` with a reason that the
parsers put into the rejects file; "missing" (None, empty, the gallery-dl null date) is None.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

#: gallery-dl writes a missing or invalid timestamp as this string.
GALLERY_DL_NULL_DATE = "[Invalid DateTime]"
#: Dates before this are placeholders (profilecrawl writes 1970-01-01 for unknown dates).
EARLIEST_PLAUSIBLE = datetime(2010, 10, 1, tzinfo=UTC)  # Instagram launched 6 Oct 2010

_SUFFIX = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_COUNT_RE = re.compile(r"^([0-9]+(?:[.,][0-9]+)*)\s*([kmb])?$", re.IGNORECASE)


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
    if not suffix and re.fullmatch(
        r"\d{1,3}(,\d{3})+|\d{1,3}(\.\d{3})+", number
    ):  # "1,234,567" / "1.234.567"
        return int(number.replace(",", "").replace(".", ""))
    if number.count(",") + number.count(".") > 1:
        raise ValueError(f"not a count: {value!r}")
    if suffix:
        return round(float(number.replace(",", ".")) * _SUFFIX[suffix.lower()])
    return round(float(number.replace(",", ".")))


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


#: Day-first or month-first, for dates like ``05/01/2017`` (see :func:`date_order`).
DAY_FIRST = "dayfirst"
MONTH_FIRST = "monthfirst"

_NUMERIC_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?!\d)")
_EPOCH_RE = re.compile(r"[+-]?\d{9,17}(\.\d+)?")
# a string dateutil may read: a 4-digit year, a d/m/y triple, or a month name with a number
_DATELIKE_RE = re.compile(
    r"\d{4}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}|"
    r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|\d\s*(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)


def epoch(number: float) -> datetime:
    """A Unix time as UTC: seconds, or milliseconds / microseconds told apart by magnitude
    (an exporter's ``1685642400000`` is milliseconds: as seconds it would be the year 55 000)."""
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"invalid timestamp: {number}")
    magnitude = abs(number)
    if magnitude >= 1e14:
        seconds = number / 1e6
    elif magnitude >= 1e11:
        seconds = number / 1e3
    else:
        seconds = number
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as e:
        raise ValueError(f"timestamp out of range: {number}") from e


def date_order(texts: Iterable[str]) -> str | None:
    """:data:`DAY_FIRST` or :data:`MONTH_FIRST` for a column of numeric dates, decided from its
    unambiguous values (``27/12/2016`` is day-first, ``12/27/2016`` month-first); None when no
    value decides it (or they contradict each other)."""
    day = month = 0
    for text in texts:
        m = _NUMERIC_DATE_RE.match(text) if isinstance(text, str) else None
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            day += 1
        elif b > 12 >= a:
            month += 1
    if day and not month:
        return DAY_FIRST
    if month and not day:
        return MONTH_FIRST
    return None


def to_datetime(value: Any, *, order: str | None = None, fmt: str | None = None) -> datetime | None:
    """A timezone-aware UTC datetime.

    Accepts gallery-dl's naive-UTC ``"2024-05-01 10:40:00"`` (and its ``"[Invalid DateTime]"``
    → None), ISO 8601 with or without offset or ``Z``, Unix seconds or milliseconds (int, float
    or digits), RFC 2822 (``Wed, 01 May 2024 10:40:00 +0000``), Twitter's ``created_at``
    (``Wed May 01 10:40:00 +0000 2024``) and other written dates through ``python-dateutil``.
    A numeric date whose day and month can be swapped (``05/01/2017``) needs ``order``
    (:data:`DAY_FIRST` / :data:`MONTH_FIRST`, see :func:`date_order`); without it it is a
    ValueError, never a silent month-first guess. ``fmt`` is a ``strptime`` format the user
    gave, tried first. Naive values are taken as UTC.
    """
    if value is None or value == "" or value == GALLERY_DL_NULL_DATE:
        return None
    if isinstance(value, bool):
        raise ValueError(f"date is a boolean: {value!r}")
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int | float):
        dt = epoch(float(value))
    elif isinstance(value, str):
        dt = _parse_text(value, order, fmt)
    else:
        raise ValueError(f"date has type {type(value).__name__}: {value!r}")
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


#: Excel's 1900 date system: serial day 1 is 1900-01-01, counted from 1899-12-30 because Excel
#: keeps Lotus 1-2-3's nonexistent 1900-02-29 (true for every serial after February 1900).
EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)
#: Serial day numbers read as Excel dates: 1954-10-04 … 2119-01-10 (a smaller or larger
#: number in a date column is not a plausible Excel date of a post).
EXCEL_SERIALS = (20_000, 80_000)
_EXCEL_RE = re.compile(r"\d{5}(?:\.\d+)?")


def excel_serial(number: float) -> datetime:
    """An Excel serial day number (1900 date system; the fraction is the time of day) as UTC,
    rounded to the second: ``45326.7777777778`` → 2024-02-04T18:40:00Z, ``45326`` →
    2024-02-04T00:00:00Z. ValueError outside :data:`EXCEL_SERIALS`."""
    if not (EXCEL_SERIALS[0] <= number < EXCEL_SERIALS[1]):
        raise ValueError(f"not an Excel serial date: {number!r}")
    return EXCEL_EPOCH + timedelta(seconds=round(number * 86400))


_CLOCK_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)


def with_time_of_day(day: datetime, clock: str) -> datetime:
    """``day`` (a date at midnight) at the time of day ``clock``: ``06:06:07``, ``6:40 pm``, or
    an Excel time fraction (``0.7777777778`` → 18:40:00). ValueError for anything else."""
    text = clock.strip()
    m = _CLOCK_RE.match(text)
    if m:
        hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        meridian = (m.group(4) or "").lower().replace(".", "")
        if meridian:
            if not 1 <= hour <= 12:
                raise ValueError(f"not a time of day: {clock!r}")
            hour = hour % 12 + (12 if meridian == "pm" else 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(f"not a time of day: {clock!r}")
        return day + timedelta(hours=hour, minutes=minute, seconds=second)
    try:
        fraction = float(text)
    except ValueError:
        raise ValueError(
            f"not a time of day: {clock!r} (e.g. 18:40, 6:40 pm or an Excel fraction 0.7778)"
        ) from None
    if not 0 <= fraction < 1:
        raise ValueError(f"not a time of day: {clock!r} (an Excel time is a fraction of a day, 0 to 1)")
    return day + timedelta(seconds=round(fraction * 86400))


class TimeZoneError(ValueError):
    """A time-zone abbreviation that cannot be resolved (unknown, or used by several zones)."""


@functools.cache
def zone_abbreviations() -> dict[str, frozenset[timedelta]]:
    """Each time-zone abbreviation of the IANA zone database (``CET``, ``EST``, ``IST`` …)
    → the UTC offsets it stands for in current use (January and July of 2024 in every zone).
    One offset: the abbreviation can be resolved; several (``IST``: India +05:30, Ireland
    +01:00, Israel +02:00; ``CST``: US −06:00, China +08:00) it is ambiguous. Source: the
    system's zone database through :mod:`zoneinfo` (the ``tzdata`` package where the system
    has none)."""
    import zoneinfo

    found: dict[str, set[timedelta]] = {}
    for name in zoneinfo.available_timezones():
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            continue
        for month in (1, 7):
            moment = datetime(2024, month, 15, 12, tzinfo=zone)
            abbr, offset = moment.tzname(), moment.utcoffset()
            if abbr and offset is not None and abbr.isalpha():
                found.setdefault(abbr.upper(), set()).add(offset)
    return {k: frozenset(v) for k, v in found.items()}


def _zone(name: str | None, offset: int | None) -> Any:
    """dateutil's ``tzinfos`` callable: a written offset wins; a name is resolved through
    :func:`zone_abbreviations`, an ambiguous or unknown one refused by name (never UTC)."""
    from dateutil import tz

    if offset is not None:
        return tz.tzoffset(name, offset)
    if name is None:
        return None
    upper = name.upper()
    if upper in ("UTC", "GMT", "Z", "UT"):
        return tz.UTC
    offsets = zone_abbreviations().get(upper)
    if not offsets:
        raise TimeZoneError(
            f"unknown time-zone abbreviation {name!r}: write the offset (e.g. +01:00) instead"
        )
    if len(offsets) > 1:
        shown = ", ".join(sorted(_offset_text(o) for o in offsets))
        raise TimeZoneError(
            f"ambiguous time-zone abbreviation {name!r} (used for UTC {shown}): "
            "write the offset (e.g. +01:00) instead"
        )
    (only,) = offsets
    return tz.tzoffset(upper, int(only.total_seconds()))


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _parse_text(value: str, order: str | None, fmt: str | None) -> datetime:
    text = value.strip()
    if fmt:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass  # a value in another format: the usual readers below
    if _EPOCH_RE.fullmatch(text):
        return epoch(float(text))
    if _EXCEL_RE.fullmatch(text):
        number = float(text)
        if EXCEL_SERIALS[0] <= number < EXCEL_SERIALS[1]:
            return excel_serial(number)
        raise ValueError(f"not a date: {value!r} (as an Excel serial day number it is out of range)")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    if not _DATELIKE_RE.search(text):
        raise ValueError(f"not a date: {value!r}")
    dayfirst = False
    m = _NUMERIC_DATE_RE.match(text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            dayfirst = True
        elif a <= 12 and b <= 12 and a != b:
            if order is None:
                raise ValueError(
                    f"ambiguous date {value!r}: day-first or month-first? nothing else in the column "
                    "tells; give --date-format (e.g. %d/%m/%Y %H:%M, or dayfirst / monthfirst)"
                )
            dayfirst = order == DAY_FIRST
    from dateutil import parser as dateparser

    try:
        parsed: datetime = dateparser.parse(text, dayfirst=dayfirst, tzinfos=_zone)
    except TimeZoneError as e:
        raise ValueError(f"{e}: {value!r}") from None
    except (ValueError, OverflowError) as e:
        raise ValueError(f"not a date: {value!r}") from e
    return parsed


_AGE_RE = re.compile(
    r"^\s*(?:posted\s+)?(an?|\d+(?:[.,]\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|"
    r"d|days?|w|wk|wks|weeks?|mo|months?|y|yr|yrs|years?)\.?(?:\s+ago)?\s*$",
    re.IGNORECASE,
)
_AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "mo": 30 * 86400, "y": 365 * 86400}


def to_age(value: str) -> timedelta:
    """A relative age as exporters write it ("11 hours", "2 days ago", "3w", "an hour") as a
    timedelta; ValueError for anything else. Months are 30 days, years 365."""
    m = _AGE_RE.match(value)
    if not m:
        raise ValueError(f"not a relative age: {value!r} (e.g. '11 hours', '2 days ago')")
    number, unit = m.groups()
    amount = 1.0 if number.lower() in ("a", "an") else float(number.replace(",", "."))
    unit = unit.lower()
    key = "mo" if unit.startswith("mo") else "m" if unit.startswith("m") else unit[0]
    return timedelta(seconds=amount * _AGE_UNITS[key])


def plausible_post_date(dt: datetime | None) -> datetime | None:
    """``dt``, or None when it is a placeholder before Instagram existed (e.g. 1970-01-01)."""
    if dt is None or dt < EARLIEST_PLAUSIBLE:
        return None
    return dt
