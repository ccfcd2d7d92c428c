"""What an operator meets first: `db status` and `make demo` never print the password (`db password`
does, on request), the demo never mixes its sample into other data, and an empty report says
what to run (issue 12)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence import db, demo
from influence.cli import cli
from influence.config import Settings
from influence.server import ManagedServer

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.integration
def test_demo_refuses_a_graph_holding_other_data(
    clean_db: Driver, test_settings: Settings, tmp_path: Path
) -> None:
    sample = tmp_path / "demo" / "sample"
    demo.check_graph(clean_db, sample, "test")  # empty: fine
    db.write(
        clean_db,
        "CREATE (:Scrape {id: 's1', path: $p})<-[:FROM_SCRAPE]-(:User {id: 'planted'})",
        {"p": str((sample / "2024-01-01T000000").resolve())},
    )
    assert demo.check_graph(clean_db, sample, "test").nodes == 2  # only the sample: fine
    db.write(
        clean_db,
        "CREATE (:Scrape {id: 's2', path: '/home/me/brand-scrapes'})<-[:FROM_SCRAPE]-(:User {id: 'mine'})",
    )
    with pytest.raises(demo.NotTheSampleError, match="/home/me/brand-scrapes") as refused:
        demo.check_graph(clean_db, sample, "bolt://x")
    assert "DEMO_HOME" in str(refused.value) and "never mixes" in str(refused.value)
    # the Makefile's entry point: exit 1 with the message, nothing loaded
    env = {
        **os.environ,
        "INFLUENCE_HOME": str(test_settings.home),
        "INFLUENCE_BOLT_PORT": str(test_settings.bolt_port),
        "INFLUENCE_HTTP_PORT": str(test_settings.http_port),
    }
    env.pop("NEO4J_URI", None)
    env.pop("NEO4J_PASSWORD", None)
    run = subprocess.run(
        [sys.executable, "-m", "influence.demo", "check", str(sample)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and run.stderr.startswith("Error: the demo's Neo4j") and not run.stdout
    db.write(clean_db, "MATCH (n) WHERE n.id IN ['s2', 'mine'] DETACH DELETE n")
    ok = subprocess.run(
        [sys.executable, "-m", "influence.demo", "check", str(sample)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr


def _make_demo_vars(settings: Settings) -> list[str]:
    return [
        f"VENV={Path(sys.prefix)}",
        f"DEMO_HOME={settings.home}",
        f"DEMO_BOLT_PORT={settings.bolt_port}",
        f"DEMO_HTTP_PORT={settings.http_port}",
    ]


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_demo_runs_its_own_server_and_its_last_lines_hold_no_password(
    server: ManagedServer, test_settings: Settings
) -> None:
    # a clean environment: no server settings, and no flags of a `make test` this runs under
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NEO4J_", "INFLUENCE_")) and k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    # the demo's commands all carry the demo's own home and ports, and drop a NEO4J_URI
    dry = subprocess.run(
        ["make", "-n", "demo", *_make_demo_vars(test_settings)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    commands = [
        line
        for line in dry.stdout.splitlines()
        if "bin/influence " in line and " sample " not in line and not line.lstrip().startswith("echo")
    ]
    assert commands and all(
        f"INFLUENCE_HOME={test_settings.home}" in c and "-u NEO4J_URI" in c for c in commands
    )
    assert any("influence.demo check" in line for line in dry.stdout.splitlines())
    info = subprocess.run(
        ["make", "-s", "demo-info", *_make_demo_vars(test_settings)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert info.returncode == 0, info.stderr
    assert server.password() not in info.stdout + info.stderr
    assert server.browser_url in info.stdout and server.bolt_uri in info.stdout
    assert str(server.password_file) in info.stdout and "db password" in info.stdout


@pytest.mark.integration
def test_an_unanalysed_graph_gets_a_hint_not_just_no_rows(clean_db: Driver, cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    empty = runner.invoke(cli, ["report", "influencers"], env=cli_env)
    assert empty.stdout.strip() == "(no rows)" and "influence load" in empty.stderr
    db.write(
        clean_db,
        "CREATE (u:User {id: 'a', followers: 10})-[:POSTED]->(:Post {id: 'p', likes: 3})"
        "-[:TAGGED]->(:Hashtag {name: 'x'})",
    )
    for report, words in (
        ("influencers", "PageRank"),
        ("communities", "community"),
        ("hashtags", "use count"),
        ("viral", "viral score"),
    ):
        result = runner.invoke(cli, ["report", report], env=cli_env)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == "(no rows)"
        assert words in result.stderr and "run `influence analyze`" in result.stderr, (report, result.stderr)
        # JSON stays parseable: the hint goes to stderr only
        as_json = runner.invoke(cli, ["report", report, "--format", "json"], env=cli_env)
        assert json.loads(as_json.stdout) == [] and "influence analyze" in as_json.stderr
    articles = runner.invoke(cli, ["report", "influencers", "--by", "articlerank"], env=cli_env)
    assert "influence analyze --algorithm articlerank" in articles.stderr
    db.write(clean_db, "MATCH (u:User) SET u.pagerank = 0.5, u.community = 1")
    other = runner.invoke(cli, ["report", "influencers", "--community", "7"], env=cli_env)
    assert other.stdout.strip() == "(no rows)" and "nothing in community 7" in other.stderr
    ranked = runner.invoke(cli, ["report", "influencers"], env=cli_env)
    assert "(no rows)" not in ranked.stdout and not ranked.stderr
