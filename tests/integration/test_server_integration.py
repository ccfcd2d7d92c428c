"""The real managed Neo4j 5.26 + GDS 2.13 + Browser (integration tier)."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from graphdatascience import GraphDataScience
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError

from influence import db
from influence.cli import cli
from influence.config import Settings
from influence.server import ManagedServer

pytestmark = pytest.mark.integration


def test_gds_version_is_2_13(driver: Driver) -> None:
    assert db.gds_version(driver).startswith("2.13.")
    assert db.neo4j_version(driver).startswith("5.26.")


def test_pagerank_through_the_gds_client_finds_the_hub(
    clean_db: Driver, test_settings: Settings, server: ManagedServer
) -> None:
    # a star: every spoke follows the hub, the hub follows one spoke back
    db.write(
        clean_db,
        "CREATE (h:User {id: 'hub'}) WITH h"
        " UNWIND range(1, 8) AS i CREATE (s:User {id: 'spoke' + i})-[:FOLLOWS]->(h)"
        " WITH h, s WHERE s.id = 'spoke1' CREATE (h)-[:FOLLOWS]->(s)",
    )
    gds = GraphDataScience(server.bolt_uri, auth=("neo4j", server.password()), arrow=False)
    try:
        G = gds.graph.project.native("star", "User", "FOLLOWS").graph
        ranks = gds.page_rank.stream(G)
        top_node = ranks.sort_values("score", ascending=False).iloc[0]["nodeId"]
        top = db.read(clean_db, "MATCH (n) WHERE id(n) = $id RETURN n.id AS id", {"id": int(top_node)})
        assert top[0]["id"] == "hub"
        G.drop()
    finally:
        gds.close()


def test_browser_is_served(server: ManagedServer) -> None:
    with urllib.request.urlopen(server.browser_url, timeout=10) as response:
        page = response.read().decode("utf-8", "replace")
    assert "Neo4j Browser" in page
    with urllib.request.urlopen(f"http://127.0.0.1:{server.http_port}/", timeout=10) as response:
        discovery = json.loads(response.read())
    assert discovery["neo4j_version"].startswith("5.26.")


@pytest.fixture
def auth_lockout_guard() -> Iterator[None]:
    """Neo4j locks a user for 5 s after 3 failed logins: let the lock expire for later tests."""
    yield
    time.sleep(6)


def test_connection_without_the_password_is_refused(server: ManagedServer, auth_lockout_guard: None) -> None:
    for auth in [("neo4j", "wrong-password"), ("neo4j", "neo4j")]:
        with GraphDatabase.driver(server.bolt_uri, auth=auth) as drv, pytest.raises(AuthError):
            drv.verify_connectivity()


def test_wrong_password_is_a_clear_cli_error(cli_env: dict[str, str], auth_lockout_guard: None) -> None:
    result = CliRunner().invoke(cli, ["--password", "nope", "db", "init"], env=cli_env)
    assert result.exit_code == 1
    assert "Error: Neo4j at bolt://127.0.0.1:" in result.output and "refused user 'neo4j'" in result.output


def test_second_start_is_harmless(cli_env: dict[str, str], server: ManagedServer) -> None:
    pid = server.pid()
    result = CliRunner().invoke(cli, ["db", "start"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "already running" in result.output
    assert server.pid() == pid


def test_status_reports_versions_and_where_the_password_is(
    cli_env: dict[str, str], server: ManagedServer
) -> None:
    result = CliRunner().invoke(cli, ["db", "status", "--format", "json"], env=cli_env)
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert status["running"] is True
    assert status["neo4j_version"].startswith("5.26.") and status["gds_version"].startswith("2.13.")
    assert status["browser_url"] == server.browser_url
    assert status["password_file"] == str(server.password_file)


def test_init_twice_gives_the_same_schema(driver: Driver, cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "init"], env=cli_env).exit_code == 0
    first = db.schema(driver)
    assert runner.invoke(cli, ["db", "init"], env=cli_env).exit_code == 0
    assert db.schema(driver) == first
    names = {row[0] for row in first}
    assert {"user_id", "post_id", "hashtag_name", "observation_id", "scrape_id"} <= names


def test_reset_keeps_the_schema_and_drops_gds_graphs(driver: Driver, cli_env: dict[str, str]) -> None:
    db.write(driver, "CREATE (:User {id: 'reset-me'})-[:FOLLOWS]->(:User {id: 'reset-me-too'})")
    db.read(
        driver, "CALL gds.graph.project('reset-graph', 'User', 'FOLLOWS') YIELD graphName RETURN graphName"
    )
    before = db.schema(driver)
    result = CliRunner().invoke(cli, ["db", "reset", "--yes"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert db.read(driver, "MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
    assert db.read(driver, "CALL gds.graph.list() YIELD graphName RETURN count(*) AS n")[0]["n"] == 0
    assert db.schema(driver) == before


def test_reset_needs_yes(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["db", "reset"], env=cli_env)
    assert result.exit_code == 1 and "--yes" in result.output


def test_unreachable_server_is_a_clear_error() -> None:
    result = CliRunner().invoke(cli, ["--uri", "bolt://127.0.0.1:1", "--password", "x", "db", "init"])
    assert result.exit_code == 1
    assert "Error: cannot reach Neo4j at bolt://127.0.0.1:1" in result.output


def test_missing_gds_is_reported() -> None:
    # A server without GDS answers "unknown function"; gds_version maps that error.
    from influence.errors import GdsMissingError

    class NoGds:
        def execute_query(self, *a: object, **k: object) -> object:
            from neo4j.exceptions import ClientError

            raise ClientError("Unknown function 'gds.version'")

    with pytest.raises(GdsMissingError, match="install GDS 2.13"):
        db.gds_version(NoGds())  # type: ignore[arg-type]
