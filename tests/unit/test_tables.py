"""Rendering rows: the table is for people, CSV and JSON carry plain numbers for programs."""

from __future__ import annotations

import csv
import io
import json

from influence.report.tables import render

ROWS = [
    {
        "id": "p1",
        "viral_probability": 0.123456789,
        "predicted_velocity": 105123.5,
        "followers": 1542862.0,
        "up": ["posting hour (+0.20)", "caption length (+0.10)"],
        "safe": True,
        "missing": float("nan"),
    }
]


def test_csv_carries_plain_numbers_that_parse_back() -> None:
    text = render(ROWS, "csv")
    row = next(csv.DictReader(io.StringIO(text)))
    assert float(row["viral_probability"]) == 0.123456789
    assert float(row["predicted_velocity"]) == 105123.5
    assert row["followers"] == "1542862"  # not 1,542,862 nor 1.543e+06
    assert row["up"] == "posting hour (+0.20)|caption length (+0.10)"
    assert row["safe"] == "true" and row["missing"] == ""


def test_json_carries_plain_numbers() -> None:
    data = json.loads(render(ROWS, "json"))[0]
    assert data["predicted_velocity"] == 105123.5 and data["followers"] == 1542862.0
    assert data["missing"] is None


def test_table_is_formatted_for_people() -> None:
    text = render(ROWS, "table")
    assert "1,542,862" in text and "0.1235" in text


def test_table_numbers_have_separators_and_ids_stay_as_they_are() -> None:
    rows = [
        {
            "id": 43597949,
            "community": 18117,
            "uses": 19420,
            "velocity": 19420.5,
            "share": 0.000012345,
            "rate": 12.3456,
            "flag": True,
        }
    ]
    text = render(rows, "table")
    assert "19,420" in text and "19,420.5" not in text and "e+" not in text and "e-" not in text
    assert "43597949" in text and "18117" in text and "43,597,949" not in text and "18,117" not in text
    assert "0.00001234" in text and "12.35" in text
    # the same rows stay raw for programs
    assert next(csv.DictReader(io.StringIO(render(rows, "csv")))) == {
        "id": "43597949",
        "community": "18117",
        "uses": "19420",
        "velocity": "19420.5",
        "share": "1.2345e-05",
        "rate": "12.3456",
        "flag": "true",
    }
    assert json.loads(render(rows, "json"))[0]["velocity"] == 19420.5


def test_table_times_are_to_the_minute_in_utc_and_raw_elsewhere() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    import neo4j.time

    nanos = neo4j.time.DateTime(2024, 1, 5, 13, 7, 59, 123456789, tzinfo=UTC)
    rows = [
        {
            "postedAt": nanos,
            "seen": datetime(2024, 1, 5, 15, 7, tzinfo=timezone(timedelta(hours=2))),
            "text": "2024-01-05T13:07:12.500000000Z",
        }
    ]
    text = render(rows, "table")
    assert text.count("2024-01-05 13:07 UTC") == 3 and "123456789" not in text and ":59" not in text
    assert json.loads(render(rows, "json"))[0]["postedAt"] == nanos.iso_format()  # raw, nanoseconds kept
    assert "13:07:59.123456789" in render(rows, "csv")


def test_table_headers_in_words_and_key_cells_never_cut() -> None:
    key = "iterations_" + "x" * 70 + "_end"
    rows = [{"step": key, "precision_at_41": 0.5, "engagementRate": 0.01, "caption": "word " * 300}]
    text = render(rows, "table")
    assert "Precision in the top 41" in text and "engagement rate" in text and "precision_at_41" not in text
    cells = "".join(line.split("  ")[0] for line in text.splitlines()[2:])
    assert key in cells  # wrapped over lines, never cut with "…"
    assert all(len(line) < 200 for line in text.splitlines())
    assert text.rstrip().endswith("…")  # free text beyond MAX_LINES lines is shortened
    assert json.loads(render(rows, "json"))[0]["precision_at_41"] == 0.5
    assert "precision_at_41" in render(rows, "csv").splitlines()[0]
