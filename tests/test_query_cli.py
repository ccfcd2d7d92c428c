"""`influence query`: ad-hoc reads with parameters; writes are refused."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence import db
from influence.cli import cli

pytestmark = pytest.mark.integration


def test_query_reads_with_params_and_refuses_writes(clean_db: Driver, cli_env: dict[str, str]) -> None:
    db.write(clean_db, "UNWIND range(1, 5) AS i CREATE (:User {id: 'u' + i, followers: i * 100})")
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "MATCH (u:User) WHERE u.followers >= $min RETURN u.id AS id "
                                 "ORDER BY u.followers DESC", "--param", "min:int=300", "--format", "json"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == ["u5", "u4", "u3"]
    text = runner.invoke(cli, ["query", "MATCH (u:User {id: $id}) RETURN u.followers AS f", "--param", "id=u2"], env=cli_env)
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
    found = runner.invoke(cli, ["query", "MATCH (u:User {id: $id}) RETURN u.followers AS f", "--param", "id=43597949",
                                "--format", "json"], env=cli_env)
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout) == [{"f": 7}]
    typed = runner.invoke(cli, [
        "query", "RETURN $s AS s, $n AS n, $x AS x, $ok AS ok, $ids AS ids",
        "--param", "s=5", "--param", "n:int=5", "--param", "x:float=0.5", "--param", "ok:bool=true",
        "--param", 'ids:json=["a", 2]', "--format", "json"], env=cli_env)
    assert typed.exit_code == 0, typed.output
    assert json.loads(typed.stdout) == [{"s": "5", "n": 5, "x": 0.5, "ok": True, "ids": ["a", 2]}]
    # a bad typed value is the same usage error (exit 2) as a bad `load csv --map`
    for bad in ("n:int=five", "n:float=x", "ok:bool=maybe", "ids:json=[1,", "n:date=2024", "=5", "n:=5"):
        result = runner.invoke(cli, ["query", "RETURN 1", "--param", bad], env=cli_env)
        assert result.exit_code == 2, (bad, result.output)
        assert "Invalid value for '--param'" in result.output and repr(bad) in result.output, result.output


def test_query_refuses_every_probe_with_the_rule_and_answers_reads(clean_db: Driver, cli_env: dict[str, str]) -> None:
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
        "SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t YIELD message RETURN message":
            "no TERMINATE TRANSACTIONS",
        "MATCH (u:User) SET u.hacked = true": "query type must be read-only",
        "CREATE INDEX probe FOR (n:User) ON (n.hacked)": "query type must be read-only",
        "USE system SHOW USERS": "no USE clause",
    }
    for statement, rule in probes.items():
        result = runner.invoke(cli, ["query", statement], env=cli_env)
        assert result.exit_code == 1, (statement, result.output)
        assert result.output.startswith("Error: ") and f"(rule: {rule})" in result.output, (statement, result.output)
    assert db.read(clean_db, "CALL gds.graph.list() YIELD graphName RETURN count(*) AS n")[0]["n"] == 0
    assert db.read(clean_db, "MATCH (u:User) WHERE u.hacked RETURN count(u) AS n")[0]["n"] == 0
    assert not any(r["name"] == "probe" for r in db.read(clean_db, "SHOW INDEXES YIELD name RETURN name"))
    for statement in ("RETURN gds.version() AS v", "CALL gds.graph.list()", "CALL db.labels()",
                      "CALL gds.graph.project.estimate('User', '*') YIELD requiredMemory RETURN requiredMemory",
                      "MATCH (u:User) RETURN u.id ORDER BY u.id"):
        result = runner.invoke(cli, ["query", statement, "--format", "json"], env=cli_env)
        assert result.exit_code == 0, (statement, result.output)
    # the row limit cuts with a notice; the timeout ends a long query with its rule
    cut = runner.invoke(cli, ["query", "UNWIND range(1, 100) AS x RETURN x", "--limit", "7", "--format", "json"],
                        env=cli_env)
    assert cut.exit_code == 0 and len(json.loads(cut.stdout)) == 7 and "row limit" in cut.stderr
    slow = runner.invoke(cli, ["query", "UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(x)",
                               "--timeout", "0.5"], env=cli_env)
    assert slow.exit_code == 1 and "(rule: transaction timeout)" in slow.output, slow.output
