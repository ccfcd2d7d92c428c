"""Time zone as a trait of proximity (issue 13, part 4): estimates from country or posting hours."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence import db
from influence.cli import cli


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
