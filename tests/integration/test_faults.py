"""Faults against the real managed server (issue 11): the server stopped during `analyze` and
`load` ends in `Error: …` and a non-zero exit, two loads of the same data at once both succeed,
the server's home is its owner's only, and its LOAD CSV does not fetch URLs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from influence import db
from influence.config import Settings
from influence.errors import QueryError
from influence.ingest import LoadSummary, ingest
from influence.loaders.records import FollowRecord, PostRecord, Record, ScrapeRecord, UserRecord
from influence.server import ManagedServer

pytestmark = pytest.mark.integration


def count(driver: Driver, query: str) -> int:
    return int(db.read(driver, query)[0][0])


def records(n_users: int) -> Iterator[Record]:
    yield ScrapeRecord(id="csv:/tmp/race.csv", source="csv", path="/tmp/race.csv")
    for i in range(n_users):
        yield UserRecord(f"u{i}", username=f"u{i}", followers=i)
        yield PostRecord(f"p{i}", author=f"u{i}", likes=i, hashtags=[f"t{i % 37}", f"t{i % 11}"])
        yield FollowRecord(f"u{i}", f"u{(i * 7 + 1) % n_users}")


def test_two_loads_of_the_same_data_at_once_both_succeed(clean_db: Driver, tmp_path: Path) -> None:
    n = 4000
    results: list[LoadSummary | BaseException] = []

    def load(k: int) -> None:
        try:
            results.append(ingest(clean_db, records(n), tmp_path / f"r{k}.jsonl", batch_size=250))
        except BaseException as e:
            results.append(e)

    threads = [threading.Thread(target=load, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert len(results) == 2 and all(isinstance(r, LoadSummary) for r in results), results
    assert all(r.rejected == 0 and r.written["users"] == n for r in results if isinstance(r, LoadSummary))
    assert count(clean_db, "MATCH (u:User) RETURN count(u)") == n
    assert count(clean_db, "MATCH (p:Post) RETURN count(p)") == n
    assert count(clean_db, "MATCH (h:Hashtag) RETURN count(h)") == 37
    assert count(clean_db, "MATCH ()-[f:FOLLOWS]->() RETURN count(f)") == n
    assert count(clean_db, "MATCH ()-[r:POSTED]->() RETURN count(r)") == n


def test_the_server_home_is_its_owners_only(server: ManagedServer) -> None:
    for sub in ("data", "logs", "run", "conf"):
        mode = stat.S_IMODE((server.home / sub).stat().st_mode)
        assert mode & 0o077 == 0, f"{sub} is {oct(mode)}"
    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600


def test_the_server_does_not_load_csv_from_urls(driver: Driver, server: ManagedServer) -> None:
    # even outside `influence query` (Neo4j Browser, a driver): the server refuses to fetch
    with pytest.raises(QueryError, match="blocked"):
        db.read(driver, f"LOAD CSV FROM 'http://127.0.0.1:{server.http_port}/' AS r RETURN count(r)")
    assert "internal.dbms.cypher_ip_blocklist=0.0.0.0/0,::/0" in server.conf_file.read_text()


def _influence(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "influence"), *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop_when_started(proc: subprocess.Popen[str], server: ManagedServer, marker: str) -> tuple[str, str]:
    """Stop the server as soon as ``proc`` writes ``marker`` on stderr; return its output."""
    assert proc.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            server.stop()
            break
    out, err = proc.communicate(timeout=300)
    return out, "".join(seen) + err


@pytest.mark.parametrize("command", ["load", "analyze"])
def test_the_server_stopped_midway_is_an_error_not_a_traceback(
    clean_db: Driver,
    server: ManagedServer,
    test_settings: Settings,
    cli_env: dict[str, str],
    tmp_path: Path,
    command: str,
) -> None:
    edges = tmp_path / "g.edgelist"
    n = 100_000
    edges.write_text("".join(f"n{i} n{(i * 13 + 7) % n}\nn{i} n{(i * 31 + 3) % n}\n" for i in range(n)))
    if command == "analyze":
        ingest(clean_db, _follows(edges), tmp_path / "r.jsonl")
        args = ["analyze", "--only", "influence,communities,embeddings"]
        marker = ""
    else:
        args = ["load", "follows", str(edges), "--batch-size", "500", "--rejects", str(tmp_path / "r.jsonl")]
        marker = "records"
    proc = _influence(cli_env, *args)
    try:
        out, err = _stop_when_started(proc, server, marker)
    finally:
        if server.pid() is None:
            server.start()
    assert proc.returncode == 1, (out, err)
    assert "Error: " in err and "Traceback" not in err, err
    assert "influence db start" in err  # says what to do
    # a rerun finishes what was left
    with db.connect(test_settings) as fresh:
        if command == "load":
            ingest(fresh, _follows(edges), tmp_path / "r2.jsonl")
            distinct = len(set(edges.read_text().splitlines()))
            assert count(fresh, "MATCH ()-[f:FOLLOWS]->() RETURN count(f)") == distinct


def _follows(path: Path) -> Iterator[Record]:
    from influence.loaders import follows

    yield from follows.parse(path, "edgelist")


def test_db_stop_says_when_it_had_to_kill_the_server(server: ManagedServer, cli_env: dict[str, str]) -> None:
    from click.testing import CliRunner

    from influence.cli import cli

    try:
        result = CliRunner().invoke(cli, ["db", "stop", "--timeout", "0"], env=cli_env)
    finally:
        if server.pid() is None:
            server.start()
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Neo4j killed: it did not stop within 0 s of SIGTERM")
    assert "recovers the database" in result.output


def test_a_csv_with_thousands_of_columns_adds_a_bounded_number_of_property_keys(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from influence.cli import cli

    columns = [f"zz_col_{i}" for i in range(5000)]
    csv = tmp_path / "wide.csv"
    csv.write_text(
        "username,"
        + ",".join(columns)
        + "\n"
        + "".join(f"user{r}," + ",".join(str(r) for _ in columns) + "\n" for r in range(3))
    )
    before = {r["propertyKey"] for r in db.read(clean_db, "CALL db.propertyKeys()")}
    rejects = tmp_path / "r.jsonl"
    result = CliRunner().invoke(
        cli,
        [
            "load",
            "csv",
            str(csv),
            "--kind",
            "accounts",
            "--map",
            "username=username",
            "--max-extra-properties",
            "20",
            "--rejects",
            str(rejects),
        ],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    after = {r["propertyKey"] for r in db.read(clean_db, "CALL db.propertyKeys()")}
    assert len({k for k in after - before if k.startswith("zz_col_")}) <= 20
    assert count(clean_db, "MATCH (u:User) RETURN count(u)") == 3
    assert "too many extra property names" in rejects.read_text()
    assert len(rejects.read_text().splitlines()) == 3  # one reject per row, not one per column
