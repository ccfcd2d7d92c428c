"""`influence load …` through CliRunner against the real test server; the graph is inspected after."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from neo4j import Driver

from influence import db
from influence.cli import cli

pytestmark = pytest.mark.integration

LOAD_COMMANDS = ["gallery-dl", "instaloader", "profilecrawl", "csv", "follows", "bulk-import"]


def run(env: dict[str, str], *args: str, cwd: Path | None = None) -> Result:
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(cli, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


def count(driver: Driver, query: str) -> int:
    return int(db.read(driver, query)[0][0])


@pytest.mark.parametrize("command", LOAD_COMMANDS)
def test_every_load_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, ["load", command, "--help"])
    assert result.exit_code == 0
    load = cli.get_command(click.Context(cli), "load")  # the root group imports it on demand
    doc = getattr(load, "commands")[command].help  # noqa: B009
    assert doc and doc.strip()
    if command != "bulk-import":
        assert "--rejects" in result.output and "--bulk" in result.output and "--batch-size" in result.output


def test_load_follows_edgelist_writes_edges_and_rejects_next_to_cwd(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    edges = tmp_path / "g.edgelist"
    edges.write_text("# a comment\nalice bob\nbob carol 2.5\ncarol alice\nonly-one-column\n")
    result = run(cli_env, "load", "follows", str(edges), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "follows " in result.stdout and "records read" in result.stdout and "rejected" in result.stdout
    assert count(clean_db, "MATCH (:User)-[f:FOLLOWS]->(:User) RETURN count(f)") == 3
    weights = db.read(
        clean_db, "MATCH (:User {id: 'bob'})-[f:FOLLOWS]->(:User {id: 'carol'}) RETURN f.weight AS w"
    )
    assert weights[0]["w"] == 2.5
    rejects = list(tmp_path.glob("rejects-*.jsonl"))
    assert len(rejects) == 1
    line = json.loads(rejects[0].read_text().splitlines()[0])
    assert set(line) == {"source", "position", "reason", "raw"} and line["source"].endswith("g.edgelist")
    assert "4 records read, 3 written, 1 rejected" in result.stderr  # progress goes to stderr
    # loading again is idempotent and --quiet silences stderr
    again = run(cli_env, "load", "follows", str(edges), "--quiet", "--rejects", str(tmp_path / "r.jsonl"))
    assert again.exit_code == 0 and again.stderr == ""
    assert count(clean_db, "MATCH (:User)-[f:FOLLOWS]->(:User) RETURN count(f)") == 3


def test_load_csv_observations_with_a_column_map(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "obs.csv"
    data.write_text(
        "post_code,seen,hearts,comments\n"
        "abc,2024-05-01T10:00:00Z,10,1\n"
        "abc,2024-05-01T12:00:00Z,30,2\n"
        "abc,2024-05-01T11:00:00Z,20,2\n"
        "def,not a time,5,0\n"
    )
    rejects = tmp_path / "rejects.jsonl"
    result = run(
        cli_env,
        "load",
        "csv",
        "--kind",
        "observations",
        str(data),
        "--map",
        "post_code=post",
        "--map",
        "seen=at",
        "--map",
        "hearts=likes",
        "--rejects",
        str(rejects),
        "--batch-size",
        "2",
    )
    assert result.exit_code == 0, result.output
    rows = db.read(
        clean_db,
        "MATCH (p:Post {id: 'abc'}) RETURN p.likes AS l, p.comments AS c, "
        "COUNT { (p)-[:HAS_OBSERVATION]->() } AS n",
    )
    assert (rows[0]["l"], rows[0]["c"], rows[0]["n"]) == (30, 2, 3)
    assert len(rejects.read_text().splitlines()) >= 1


def test_bad_map_is_a_usage_error(cli_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "a.csv"
    data.write_text("username\nalice\n")
    result = run(cli_env, "load", "csv", "--kind", "accounts", str(data), "--map", "no-equals-sign")
    assert result.exit_code == 2 and "COLUMN=FIELD" in result.output
    bad_set = run(cli_env, "load", "csv", "--kind", "accounts", str(data), "--set", "author")
    assert bad_set.exit_code == 2 and "FIELD=VALUE" in bad_set.output


def test_nothing_usable_exits_1(clean_db: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "empty.edgelist"
    data.write_text("# nothing but comments\n")
    result = run(cli_env, "load", "follows", str(data), "--rejects", str(tmp_path / "r.jsonl"))
    assert result.exit_code == 1
    assert "nothing usable was loaded" in result.output
    assert count(clean_db, "MATCH (n:User) RETURN count(n)") == 0


def test_unreachable_database_exits_1_with_a_hint(cli_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "g.edgelist"
    data.write_text("a b\n")
    env = {**cli_env, "NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"}
    result = run(env, "load", "follows", str(data), "--rejects", str(tmp_path / "r.jsonl"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach Neo4j")


def test_bulk_writes_import_files_instead_of_loading(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "g.edgelist"
    data.write_text("a b\nb c\n")
    out = tmp_path / "import"
    result = run(
        cli_env, "load", "follows", str(data), "--bulk", str(out), "--rejects", str(tmp_path / "r.jsonl")
    )
    assert result.exit_code == 0, result.output
    assert (out / "import.sh").exists() and (out / "rels_FOLLOWS.csv").exists()
    assert len((out / "rels_FOLLOWS.csv").read_text().splitlines()) == 3  # header + 2 edges
    assert count(clean_db, "MATCH (n) RETURN count(n)") == 0  # nothing was loaded
    running = run(cli_env, "load", "bulk-import", str(out))
    assert running.exit_code == 1 and "stop it first" in running.output
