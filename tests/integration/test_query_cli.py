"""`influence query`: ad-hoc reads with parameters; writes are refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence import db
from influence.cli import cli

pytestmark = pytest.mark.integration


def test_query_reads_with_params_and_refuses_writes(clean_db: Driver, cli_env: dict[str, str]) -> None:
    db.write(clean_db, "UNWIND range(1, 5) AS i CREATE (:User {id: 'u' + i, followers: i * 100})")
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "query",
            "MATCH (u:User) WHERE u.followers >= $min RETURN u.id AS id ORDER BY u.followers DESC",
            "--param",
            "min:int=300",
            "--format",
            "json",
        ],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == ["u5", "u4", "u3"]
    text = runner.invoke(
        cli, ["query", "MATCH (u:User {id: $id}) RETURN u.followers AS f", "--param", "id=u2"], env=cli_env
    )
    assert text.stdout.split() == ["f", "---", "200"]
    refused = runner.invoke(cli, ["query", "CREATE (:User {id: 'intruder'})"], env=cli_env)
    assert refused.exit_code == 1 and "read-only" in refused.output and "(rule: query type" in refused.output
    assert db.read(clean_db, "MATCH (u:User {id: 'intruder'}) RETURN count(u) AS n")[0]["n"] == 0
    bad = runner.invoke(cli, ["query", "RETURN 1", "--param", "oops"], env=cli_env)
    assert bad.exit_code == 2 and "NAME=VALUE" in bad.output


def test_query_param_values_are_text_unless_typed(clean_db: Driver, cli_env: dict[str, str]) -> None:
    # ids are strings in the graph: a numeric-looking id must still find its node
    db.write(clean_db, "CREATE (:User {id: '43597949', followers: 7})")
    runner = CliRunner()
    found = runner.invoke(
        cli,
        [
            "query",
            "MATCH (u:User {id: $id}) RETURN u.followers AS f",
            "--param",
            "id=43597949",
            "--format",
            "json",
        ],
        env=cli_env,
    )
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout) == [{"f": 7}]
    typed = runner.invoke(
        cli,
        [
            "query",
            "RETURN $s AS s, $n AS n, $x AS x, $ok AS ok, $ids AS ids",
            "--param",
            "s=5",
            "--param",
            "n:int=5",
            "--param",
            "x:float=0.5",
            "--param",
            "ok:bool=true",
            "--param",
            'ids:json=["a", 2]',
            "--format",
            "json",
        ],
        env=cli_env,
    )
    assert typed.exit_code == 0, typed.output
    assert json.loads(typed.stdout) == [{"s": "5", "n": 5, "x": 0.5, "ok": True, "ids": ["a", 2]}]
    # a bad typed value is the same usage error (exit 2) as a bad `load csv --map`
    for bad in ("n:int=five", "n:float=x", "ok:bool=maybe", "ids:json=[1,", "n:date=2024", "=5", "n:=5"):
        result = runner.invoke(cli, ["query", "RETURN 1", "--param", bad], env=cli_env)
        assert result.exit_code == 2, (bad, result.output)
        assert "Invalid value for '--param'" in result.output and repr(bad) in result.output, result.output


def test_query_refuses_every_probe_with_the_rule_and_answers_reads(
    clean_db: Driver, cli_env: dict[str, str]
) -> None:
    db.write(clean_db, "UNWIND range(1, 5) AS i CREATE (:User {id: 'u' + i})")
    runner = CliRunner()
    probes = {
        "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS r RETURN r": "no LOAD CSV",
        "CALL gds.graph.export('g', {dbName: 'x'})": "procedure allow-list",
        "CALL gds.graph.project('probe', 'User', '*')": "procedure allow-list",
        "MATCH (u:User) RETURN gds.graph.project('probe2', u, null) AS g": "procedure allow-list",
        "CALL gds.graph.generate('probe3', 10, 2)": "procedure allow-list",
        "CALL gds.graph.drop('probe', false)": "procedure allow-list",
        "CALL gds.pageRank.mutate('g', {mutateProperty: 'p'})": "procedure allow-list",
        "CALL gds.pageRank.write('g', {writeProperty: 'p'})": "procedure allow-list",
        "CALL db.clearQueryCaches()": "procedure allow-list",
        "CALL dbms.killConnection('bolt-1')": "procedure allow-list",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'": "no TERMINATE TRANSACTIONS",
        "SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t YIELD message RETURN message": "no TERMINATE TRANSACTIONS",
        "MATCH (u:User) SET u.hacked = true": "query type must be read-only",
        "CREATE INDEX probe FOR (n:User) ON (n.hacked)": "query type must be read-only",
        "USE system SHOW USERS": "no USE clause",
        "SHOW TRANSACTIONS YIELD currentQuery, parameters": "no server administration",
        "SHOW SETTINGS": "no server administration",
    }
    for statement, rule in probes.items():
        result = runner.invoke(cli, ["query", statement], env=cli_env)
        assert result.exit_code == 1, (statement, result.output)
        assert result.output.startswith("Error: ") and f"(rule: {rule})" in result.output, (
            statement,
            result.output,
        )
    assert db.read(clean_db, "CALL gds.graph.list() YIELD graphName RETURN count(*) AS n")[0]["n"] == 0
    assert db.read(clean_db, "MATCH (u:User) WHERE u.hacked RETURN count(u) AS n")[0]["n"] == 0
    assert not any(r["name"] == "probe" for r in db.read(clean_db, "SHOW INDEXES YIELD name RETURN name"))
    for statement in (
        "RETURN gds.version() AS v",
        "CALL gds.graph.list()",
        "CALL db.labels()",
        "CALL gds.graph.project.estimate('User', '*') YIELD requiredMemory RETURN requiredMemory",
        "MATCH (u:User) RETURN u.id ORDER BY u.id",
    ):
        result = runner.invoke(cli, ["query", statement, "--format", "json"], env=cli_env)
        assert result.exit_code == 0, (statement, result.output)
    # the row limit cuts with a notice; the timeout ends a long query with its rule
    cut = runner.invoke(
        cli, ["query", "UNWIND range(1, 100) AS x RETURN x", "--limit", "7", "--format", "json"], env=cli_env
    )
    assert cut.exit_code == 0 and len(json.loads(cut.stdout)) == 7 and "row limit" in cut.stderr
    slow = runner.invoke(
        cli,
        ["query", "UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(x)", "--timeout", "0.5"],
        env=cli_env,
    )
    assert slow.exit_code == 1 and "(rule: transaction timeout)" in slow.output, slow.output


def _cli_in_child(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """``influence ARGS`` in a child process; the result and the child's peak RSS in MB."""
    code = """
import atexit, sys
def peak():
    kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    sys.stderr.write(f"\\nPEAK_MB={kb / 1024:.0f}\\n")
atexit.register(peak)
from influence.cli import cli
cli.main(sys.argv[1:], prog_name="influence")
"""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )
    peak = float(done.stderr.rsplit("PEAK_MB=", 1)[1].split()[0])
    print(f"influence {' '.join(args)[:80]}: peak {peak:.0f} MB, exit {done.returncode}")
    return done, peak


#: Peak RSS of `influence query` on a statement returning huge rows (issue 19: under 500 MB; the
#: interpreter with the CLI and the driver takes ~80 MB).
QUERY_BOUND_MB = 500


def test_query_results_are_bounded_by_bytes_as_well_as_rows(driver: Driver, cli_env: dict[str, str]) -> None:
    # issue 19's probe: 10,000 rows of a 20,000-item list grew the client to 6.9 GB
    done, peak = _cli_in_child(
        ["query", "UNWIND range(1,10000) AS i RETURN i, range(1,20000) AS l", "--format", "json"], cli_env
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert (
        10 < len(rows) < 100
        and rows[0]["l"][-1] == 20000
        and [r["i"] for r in rows] == list(range(1, len(rows) + 1))
    )
    assert "byte limit, --max-mb" in done.stderr and "Traceback" not in done.stderr
    assert peak < QUERY_BOUND_MB
    more, _ = _cli_in_child(
        [
            "query",
            "UNWIND range(1,10000) AS i RETURN i, range(1,20000) AS l",
            "--format",
            "json",
            "--max-mb",
            "16",
        ],
        cli_env,
    )
    assert 2 * len(rows) - 2 <= len(json.loads(more.stdout)) <= 2 * len(rows) + 2


def test_a_read_of_huge_strings_neither_takes_the_server_down_nor_outlives_the_timeout(
    driver: Driver, cli_env: dict[str, str]
) -> None:
    # issue 19's probe: 200 rows of a 10 MB string ran the server out of direct memory and the
    # driver retried past 300 s despite --timeout 120
    statement = 'UNWIND range(1,200) AS i RETURN i, reduce(s="xxxxxxxxxx", k IN range(1,20) | s+s) AS s'
    done, peak = _cli_in_child(["query", statement, "--timeout", "120", "--format", "json"], cli_env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []  # the first row alone is over the 8 MiB budget
    assert "no row is shown" in done.stderr and "Traceback" not in done.stderr
    assert peak < QUERY_BOUND_MB
    assert db.read(driver, "RETURN 1 AS ok")[0]["ok"] == 1  # the server is still up


def test_the_managed_server_runs_with_transaction_memory_and_time_limits(
    driver: Driver, cli_env: dict[str, str]
) -> None:
    settings = {
        r["name"]: r["value"]
        for r in db.read(
            driver,
            "SHOW SETTINGS YIELD name, value WHERE name IN "
            "['db.memory.transaction.max', 'dbms.memory.transaction.total.max', 'db.transaction.timeout'] "
            "RETURN name, value",
        )
    }
    assert set(settings) == {
        "db.memory.transaction.max",
        "dbms.memory.transaction.total.max",
        "db.transaction.timeout",
    }
    assert all(v not in ("0", "0B", "0s", "0B ", "") for v in settings.values()), settings
    # one read over db.memory.transaction.max is ended with a memory error, once (no retry), and
    # the server stays up
    done, _ = _cli_in_child(
        [
            "query",
            "UNWIND range(1, 20000000) AS i WITH collect(toString(i) + "
            "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') AS l RETURN size(l) AS n",
        ],
        cli_env,
    )
    assert done.returncode == 1 and "(rule: transaction memory" in done.stderr, done.stderr
    assert (
        done.stderr.startswith("Error: ") and "retried" not in done.stderr and "Traceback" not in done.stderr
    )
    assert db.read(driver, "RETURN 1 AS ok")[0]["ok"] == 1
