"""Each account's time zone, a trait of proximity next to language and geography.

From the account's country where known (``User.country``, else the most frequent country of its
posts' locations): the standard UTC offset most of that country's zones use (IANA tz database
via ``pytz.country_timezones`` and :mod:`zoneinfo`), confidence 1. Else from the hours it posts
at: the circular mean of its posting hours in UTC (hours as angles on a 24-hour clock), read
against :data:`PEAK_LOCAL_HOUR` — people post most in the early evening, local time — with the
mean resultant length R (0 = hours spread round the clock, 1 = always the same hour) as the
confidence (Mardia & Jupp, *Directional Statistics*, 2000, ch. 2).

Dates without a time of day carry no posting hour: a crawl that writes every date as midnight in
its own zone puts every post at one time of day (the 2017 profilecrawl: 05:00 UTC). Such times are
found in the data (:func:`date_only_times`: a time of day, to the second, shared by at least
:data:`DATE_ONLY_SHARE` of the dated posts), and left out; an account whose remaining posts all
share one time of day (two posts or more) gets no estimate from posting hours either. Without a
country such accounts have no time zone: "unknown", never a guess.

Written as ``User.timeZone`` (hours from UTC), ``timeZoneSource``, ``timeZoneConfidence`` and
``postingHourUtc``; accounts whose estimate has confidence ≥ :data:`MIN_CONFIDENCE` (and at least
:data:`MIN_POSTS` posts when it comes from posting hours) are linked
``(User)-[:IN_TIME_ZONE]->(:TimeZone {offset})``, a trait behind ``SIMILAR``.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from neo4j import Driver

from influence import cypher, db
from influence.analytics.projection import delete_all

#: The local hour people post at most (Instagram posting peaks in the early evening).
PEAK_LOCAL_HOUR = 18.0
#: Below this confidence (R for posting hours) an estimate is stored but not used as a trait.
MIN_CONFIDENCE = 0.3
#: Posting-hour estimates need at least this many dated posts.
MIN_POSTS = 3
_REFERENCE = (datetime(2024, 1, 15, 12), datetime(2024, 7, 15, 12))
#: A time of day (to the second) shared by at least this share of the dated posts (and by
#: :data:`DATE_ONLY_MIN_POSTS` posts) marks dates without a time: real posting times spread over
#: 86,400 seconds, so even a busy minute holds far less.
DATE_ONLY_SHARE = 0.05
DATE_ONLY_MIN_POSTS = 20


def circular_mean_hour(posts: int, sum_cos: float, sum_sin: float) -> tuple[float | None, float]:
    """``(mean hour in [0, 24), R)`` from the sums of cos and sin of ``2π·hour/24``; ``(None, 0)`` for no posts."""
    if posts <= 0:
        return None, 0.0
    r = math.hypot(sum_cos, sum_sin) / posts
    if r < 1e-12:
        return None, 0.0
    return (math.atan2(sum_sin, sum_cos) * 24.0 / (2.0 * math.pi)) % 24.0, min(1.0, r)


def offset_from_hour(mean_hour_utc: float) -> float:
    """The UTC offset (whole hours in −11..+12) that puts ``mean_hour_utc`` at :data:`PEAK_LOCAL_HOUR` local."""
    offset = round(PEAK_LOCAL_HOUR - mean_hour_utc)
    return float(((offset + 11) % 24) - 11)


@cache
def country_offset(code: str) -> float | None:
    """The standard UTC offset (hours) most zones of ISO 3166-1 alpha-2 ``code`` use; ``None`` if unknown."""
    import pytz

    zones = pytz.country_timezones.get(code.upper())
    if not zones:
        return None
    offsets: list[float] = []
    for name in zones:
        zone = ZoneInfo(name)
        seen = [zone.utcoffset(t) for t in _REFERENCE]
        offsets.append(min(s.total_seconds() for s in seen if s is not None) / 3600.0)  # standard time
    return Counter(offsets).most_common(1)[0][0]


def date_only_times(dated: int, common: list[dict[str, Any]]) -> list[int]:
    """The times of day (seconds after midnight UTC) that mark dates without a time, from the
    ``dated`` post count and the most ``common`` times (``{second, posts}``), see the module docstring."""
    return [
        int(c["second"])
        for c in common
        if int(c["posts"]) >= DATE_ONLY_MIN_POSTS and int(c["posts"]) >= DATE_ONLY_SHARE * max(dated, 1)
    ]


def estimate(row: dict[str, Any]) -> dict[str, Any] | None:
    """One account's estimate from a row of ``analyze_read_time_zones.cypher``; ``None`` when none."""
    hour, r = circular_mean_hour(
        int(row["posts"] or 0), float(row["sumCos"] or 0.0), float(row["sumSin"] or 0.0)
    )
    if int(row["posts"] or 0) >= 2 and int(row.get("timesOfDay") or 0) == 1:
        hour, r = None, 0.0  # every post at one second of the day: dates without a time
    country = row.get("country")
    offset = country_offset(country) if isinstance(country, str) and country else None
    if offset is not None:
        return {
            "id": row["id"],
            "offset": offset,
            "source": "country",
            "confidence": 1.0,
            "postingHour": hour,
            "link": True,
        }
    if hour is None:
        return None
    return {
        "id": row["id"],
        "offset": offset_from_hour(hour),
        "source": "posting hours",
        "confidence": r,
        "postingHour": hour,
        "link": r >= MIN_CONFIDENCE and int(row["posts"]) >= MIN_POSTS,
    }


def time_zones(driver: Driver, database: str | None = None) -> dict[str, int]:
    """Estimate and write every account's time zone (see the module docstring).

    Returns counts: ``estimated``, ``from_country``, ``from_posting_hours``, ``linked`` (traits),
    and ``date_only_times`` (how many times of day were read as dates without a time).
    """
    delete_all(driver, "analyze_delete_time_zones", database)
    (tod,) = db.read(driver, cypher.load("analyze_read_times_of_day"), database=database)
    date_only = date_only_times(int(tod["dated"] or 0), [dict(c) for c in tod["common"] or []])
    rows = db.read(driver, cypher.load("analyze_read_time_zones"), {"dateOnly": date_only}, database=database)
    out = [e for e in (estimate(dict(r)) for r in rows) if e is not None]
    db.write_batches(driver, cypher.load("analyze_write_time_zones"), out, database=database)
    return {
        "estimated": len(out),
        "from_country": sum(1 for e in out if e["source"] == "country"),
        "from_posting_hours": sum(1 for e in out if e["source"] != "country"),
        "linked": sum(1 for e in out if e["link"]),
        "date_only_times": len(date_only),
    }


def zone_label(offset: float | None, share: float | None = None) -> str:
    """``"UTC+5:30"``, ``"UTC-5 (82 % of members)"``; ``"unknown"`` without an offset (no member
    has a country or posting times that carry a time of day)."""
    if offset is None:
        return "unknown"
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(round(abs(offset) * 60), 60)
    text = f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")
    return text if share is None else f"{text} ({100.0 * share:.0f} % of members)"
