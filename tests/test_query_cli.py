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
                                 "ORDER BY u.followers DESC", "--param", "min=300", "--format", "json"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == ["u5", "u4", "u3"]
    text = runner.invoke(cli, ["query", "MATCH (u:User {id: $id}) RETURN u.followers AS f", "--param", "id=u2"], env=cli_env)
    assert text.stdout.split() == ["f", "---", "200"]
    refused = runner.invoke(cli, ["query", "CREATE (:User {id: 'intruder'})"], env=cli_env)
    assert refused.exit_code == 1 and "read-only" in refused.output
    assert db.read(clean_db, "MATCH (u:User {id: 'intruder'}) RETURN count(u) AS n")[0]["n"] == 0
    bad = runner.invoke(cli, ["query", "RETURN 1", "--param", "oops"], env=cli_env)
    assert bad.exit_code == 1 and "NAME=VALUE" in bad.output
