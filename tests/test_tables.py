"""Rendering rows: the table is for people, CSV and JSON carry plain numbers for programs."""

from __future__ import annotations

import csv
import io
import json

from influence.report.tables import render

ROWS = [{"id": "p1", "viral_probability": 0.123456789, "predicted_velocity": 105123.5,
         "followers": 1542862.0, "up": ["posting hour (+0.20)", "caption length (+0.10)"], "safe": True,
         "missing": float("nan")}]


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
