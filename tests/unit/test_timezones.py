"""Time zone as a trait of proximity (issue 13, part 4): estimates from country or posting hours."""

from __future__ import annotations

import math

import pytest

from influence.analytics.timezones import (
    circular_mean_hour,
    country_offset,
    estimate,
    offset_from_hour,
    zone_label,
)


def _sums(hours: list[float]) -> tuple[int, float, float]:
    angles = [2 * math.pi * h / 24 for h in hours]
    return len(hours), sum(math.cos(a) for a in angles), sum(math.sin(a) for a in angles)


def test_circular_mean_wraps_round_midnight() -> None:
    mean, r = circular_mean_hour(*_sums([23.0, 1.0]))
    assert mean is not None and min(mean, 24 - mean) == pytest.approx(0.0, abs=1e-9)
    assert r == pytest.approx(math.cos(math.pi / 12))
    spread, r_spread = circular_mean_hour(*_sums([0.0, 6.0, 12.0, 18.0]))
    assert spread is None and r_spread == 0.0
    assert circular_mean_hour(0, 0.0, 0.0) == (None, 0.0)


def test_offsets_from_hours_and_countries() -> None:
    assert offset_from_hour(23.0) == -5.0  # posting at 23:00 UTC peaks at 18:00 in New York
    assert offset_from_hour(9.0) == 9.0
    assert offset_from_hour(6.5) == 12.0 or offset_from_hour(6.5) == -11.0
    assert country_offset("US") == -5.0 and country_offset("in") == 5.5
    assert country_offset("DE") == 1.0 and country_offset("BR") == -3.0 and country_offset("AU") == 10.0
    assert country_offset("ZZ") is None
    assert zone_label(5.5) == "UTC+5:30" and zone_label(-5.0, 0.82) == "UTC-5 (82 % of members)"
    assert zone_label(None) == "unknown"


def test_estimate_prefers_the_country_and_knows_how_sure_it_is() -> None:
    n, c, s = _sums([23.0] * 5)
    by_country = estimate({"id": "a", "country": "JP", "posts": n, "sumCos": c, "sumSin": s})
    assert by_country is not None and by_country["offset"] == 9.0 and by_country["source"] == "country"
    by_hours = estimate({"id": "b", "country": None, "posts": n, "sumCos": c, "sumSin": s})
    assert (
        by_hours is not None and by_hours["offset"] == -5.0 and by_hours["confidence"] == pytest.approx(1.0)
    )
    assert by_hours["link"]
    spread = estimate(
        {
            "id": "c",
            "country": None,
            **dict(zip(("posts", "sumCos", "sumSin"), _sums([0, 5, 10, 15, 20.5]), strict=True)),
        }
    )
    assert spread is None or not spread["link"]
    assert estimate({"id": "d", "country": None, "posts": 0, "sumCos": 0.0, "sumSin": 0.0}) is None
