"""Time zone as a trait of proximity (issue 13, part 4): estimates from country or posting hours."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence import db
from influence.analytics.timezones import (
    circular_mean_hour,
    country_offset,
    estimate,
    offset_from_hour,
    zone_label,
)
from influence.cli import cli


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


@pytest.mark.integration
def test_planted_posting_hours_give_time_zones_that_make_accounts_similar(
    clean_db: Driver, cli_env: dict[str, str]
) -> None:
    rng = random.Random(5)
    day = datetime(2024, 5, 1, tzinfo=UTC)
    planted = {"tokyo1": 9.0, "tokyo2": 9.0, "ny1": -5.0, "ny2": -5.0}
    rows = []
    for user, offset in planted.items():
        for k in range(12):  # local evening posts, 18:00 ± 1.5 h
            local = 18.0 + rng.uniform(-1.5, 1.5)
            when = day + timedelta(days=k, hours=local - offset)
            rows.append({"user": user, "post": f"{user}-{k}", "at": when.isoformat()})
    for k in range(12):  # round the clock: no time zone can be told
        rows.append(
            {"user": "owl", "post": f"owl-{k}", "at": (day + timedelta(days=k, hours=2 * k)).isoformat()}
        )
    db.write(
        clean_db,
        "UNWIND $rows AS r MERGE (u:User {id: r.user}) MERGE (p:Post {id: r.post}) "
        "SET p.postedAt = datetime(r.at) MERGE (u)-[:POSTED]->(p)",
        {"rows": rows},
    )
    db.write(
        clean_db,
        "MERGE (u:User {id: 'delhi', country: 'IN'}) MERGE (c:Country {code: 'IN'}) MERGE (u)-[:IN]->(c)",
    )
    result = CliRunner().invoke(cli, ["-q", "analyze", "--only", "proximity"], env=cli_env)
    assert result.exit_code == 0, result.output

    got = {
        r["id"]: r
        for r in db.read(
            clean_db,
            "MATCH (u:User) RETURN u.id AS id, u.timeZone AS tz, "
            "u.timeZoneSource AS src, u.timeZoneConfidence AS conf, "
            "EXISTS { (u)-[:IN_TIME_ZONE]->() } AS linked",
        )
    }
    for user, offset in planted.items():
        assert got[user]["tz"] == offset and got[user]["src"] == "posting hours"
        assert got[user]["conf"] > 0.9 and got[user]["linked"]
    assert got["delhi"]["tz"] == 5.5 and got["delhi"]["src"] == "country" and got["delhi"]["conf"] == 1.0
    assert not got["owl"]["linked"] and (got["owl"]["conf"] or 0.0) < 0.3

    pairs = {
        (r["a"], r["b"]) for r in db.read(clean_db, "MATCH (a)-[:SIMILAR]->(b) RETURN a.id AS a, b.id AS b")
    }
    assert ("tokyo1", "tokyo2") in pairs and ("ny1", "ny2") in pairs  # the time zone is their only trait
    assert not any({a, b} & {"tokyo1", "tokyo2"} and {a, b} & {"ny1", "ny2"} for a, b in pairs)

    db.write(clean_db, "MATCH (u:User) WHERE u.id STARTS WITH 'tokyo' SET u.community = 1")
    report = CliRunner().invoke(cli, ["report", "communities"], env=cli_env)
    assert report.exit_code == 0 and "UTC+9 (100 % of members)" in report.output, report.output
    raw = CliRunner().invoke(cli, ["report", "communities", "--format", "csv"], env=cli_env)
    assert raw.output.splitlines()[0].endswith("timeZone,timeZoneShare") and raw.output.splitlines()[
        1
    ].endswith(",9,1")
