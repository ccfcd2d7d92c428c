"""The helpers every parser shares (``influence.loaders.common``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from influence.loaders.common import (
    MAX_RAW_CHARS,
    MAX_RAW_DEPTH,
    MAX_RAW_ITEMS,
    FieldErrors,
    ParseContext,
    ParseStats,
    dated_scrape_record,
    json_safe,
    reject,
    scrape_id,
    small_user,
)
from influence.loaders.records import Reject, UserRecord


def test_json_safe_bounds_strings_containers_and_depth() -> None:
    assert json_safe("x" * (MAX_RAW_CHARS + 5)) == "x" * MAX_RAW_CHARS + "…"
    assert len(json_safe(list(range(MAX_RAW_ITEMS + 50)))) == MAX_RAW_ITEMS
    assert len(json_safe({str(i): i for i in range(MAX_RAW_ITEMS + 50)})) == MAX_RAW_ITEMS
    nested: object = "leaf"
    for _ in range(MAX_RAW_DEPTH + 5):
        nested = [nested]
    out = json_safe(nested)
    depth = 0
    while isinstance(out, list):
        out, depth = out[0], depth + 1
    assert out == "…" and depth == MAX_RAW_DEPTH + 1


def test_json_safe_makes_any_value_serialisable() -> None:
    raw = {
        1: float("nan"),
        "b": b"\xff\xfeok",
        "t": (1, 2),
        "when": datetime(2024, 5, 1, tzinfo=UTC),
        "p": Path("/x"),
    }
    out = json_safe(raw)
    json.dumps(out, allow_nan=False)
    assert out == {
        "1": "nan",
        "b": "\ufffd\ufffdok",
        "t": [1, 2],
        "when": "2024-05-01T00:00:00+00:00",
        "p": "/x",
    }
    assert json_safe(object()).startswith("<object object")


def test_reject_keeps_source_position_reason_and_bounds_raw() -> None:
    r = reject(Path("/d/f.csv"), 7, "bad row", {"cell": "y" * (MAX_RAW_CHARS * 2)})
    assert isinstance(r, Reject)
    assert (r.source, r.position, r.reason) == ("/d/f.csv", "7", "bad row")
    assert r.raw["cell"].endswith("…") and len(r.raw["cell"]) == MAX_RAW_CHARS + 1


def test_small_user_needs_a_valid_username() -> None:
    user = small_user({"username": " Alice.Travels ", "pk": 42, "full_name": "Alice"})
    assert user == UserRecord(
        id="alice.travels", username="Alice.Travels", platform_id="42", full_name="Alice"
    )
    assert small_user({"username": "bob", "id": "7", "full_name": ""}) == UserRecord(
        id="bob", username="bob", platform_id="7"
    )
    assert small_user({"username": "not a name!"}) is None
    assert small_user({"id": 1}) is None
    assert small_user("alice") is None


def test_first_date_takes_the_first_usable_and_notes_bad_ones() -> None:
    fe = FieldErrors("f.json", "post 1")
    got = fe.first_date([("a", None), ("b", "not a date"), ("c", 1714521600), ("d", "2020-01-01")])
    assert got == datetime(2024, 5, 1, tzinfo=UTC)
    assert [r.position for r in fe.rejects] == ["post 1 b"]  # "d" is never read
    assert FieldErrors("f", "p").first_date([("a", None)]) is None


def test_dated_scrape_record_reads_the_run_folder(tmp_path: Path) -> None:
    run = tmp_path / "2024-05-01T104000"
    run.mkdir()
    rec = dated_scrape_record("gallery-dl", "gallery-dl", run)
    assert rec.id == scrape_id("gallery-dl", run) and rec.source == "gallery-dl" and rec.tool == "gallery-dl"
    assert rec.started_at == datetime(2024, 5, 1, 10, 40, tzinfo=UTC)
    assert rec.path == str(run.resolve()) and rec.tool_version is None
    assert dated_scrape_record("instaloader", "instaloader", tmp_path).started_at is None


def test_parse_context_drops_recent_repeats() -> None:
    ctx = ParseContext(stats=ParseStats())
    alice = UserRecord(id="alice", followers=10)
    assert list(ctx.user(alice)) == [alice]
    assert list(ctx.user(UserRecord(id="alice", followers=10))) == []
    assert list(ctx.user(None)) == []
    assert [u.followers for u in ctx.user(UserRecord(id="alice", followers=11))] == [11]


def test_load_json_values_reads_one_document_and_falls_back_for_the_rest(tmp_path: Path) -> None:
    from influence.loaders.common import load_json_values

    one = tmp_path / "one.json"
    one.write_text('{"a": [1, 2.5, "x"], "b": null}')
    assert list(load_json_values(one)) == [("line 1", {"a": [1, 2.5, "x"], "b": None})]
    # what the fast reader refuses takes the standard one: several documents, NaN, huge integers
    several = tmp_path / "several.json"
    several.write_text('{"a": 1}\n{"a": NaN}\n')
    got = list(load_json_values(several))
    assert got[0] == ("line 1", {"a": 1}) and got[1][0] == "line 2"
    huge = tmp_path / "huge.json"
    huge.write_text('{"n": ' + "9" * 5000 + "}")
    (bad,) = list(load_json_values(huge))
    assert isinstance(bad, Reject) and "invalid JSON" in bad.reason
