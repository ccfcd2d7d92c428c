"""neo4j-admin import CSVs: the files, and a real import that gives the same graph as the MERGE loader."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bulk_records import T0, records
from influence.errors import InputError
from influence.ingest.bulk import import_arguments, write_import


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_files_have_import_headers_and_no_duplicates(tmp_path: Path) -> None:
    out = tmp_path / "bulk"
    rejects = tmp_path / "rejects.jsonl"
    summary = write_import(records(), out, rejects)
    assert summary.rejected == 3
    assert sorted(json.loads(line)["reason"].split(":")[0] for line in rejects.read_text().splitlines()) == [
        "conflicting author",
        "missing key",
        "not JSON",
    ]
    users = read_csv(out / "nodes_User.csv")
    assert [u["id:ID(User)"] for u in users] == ["alice", "bob"]  # first record of alice wins
    assert users[0]["username"] == "Alice" and users[0][":LABEL"] == "User"
    assert users[0]["followers:long"] == "5000" and users[0]["verified:boolean"] == "true"
    assert users[0]["party"] == "D" and users[0]["seat:long"] == "3" and users[0]["tags:string[]"] == "a;b"
    assert users[1]["seat:long"] == "4" and users[1]["party"] == ""
    stubs = {r["id:ID(User)"] for r in read_csv(out / "nodes_User_stubs.csv")}
    assert stubs == {"carol", "erin"}  # bob and alice have full records: no stubs
    assert {r["id:ID(Post)"] for r in read_csv(out / "nodes_Post_stubs.csv")} == {"p9"}
    follows = read_csv(out / "rels_FOLLOWS.csv")
    assert [(r[":START_ID(User)"], r[":END_ID(User)"], r["weight:double"]) for r in follows] == [
        ("bob", "alice", ""),
        ("carol", "alice", "2.5"),
    ]
    assert all(r[":TYPE"] == "FOLLOWS" for r in follows)
    posts = {r["id:ID(Post)"]: r for r in read_csv(out / "nodes_Post.csv")}
    assert posts["p1"]["caption"] == 'line one\nline "two", three'
    assert posts["p1"]["lastObservedAt:datetime"] == T0.isoformat()
    manifest = json.loads((out / "manifest.json").read_text())
    assert "nodes_User.csv" in manifest["nodes"] and "rels_TAGGED.csv" in manifest["relationships"]
    script = (out / "import.sh").read_text()
    assert "database import full" in script and f"--nodes={out / 'nodes_User.csv'}" in script
    assert "influence load bulk-import" in (out / "README.md").read_text()
    args = import_arguments(out, overwrite=True)
    assert args[:4] == ["database", "import", "full", "neo4j"]
    assert "--overwrite-destination=true" in args


def test_output_folder_must_be_new(tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("x\n")
    with pytest.raises(InputError, match="not empty"):
        write_import(records(), tmp_path, tmp_path / "r.jsonl")
