"""What an operator meets first: `db status` and `make demo` never print the password (`db password`
does, on request), the demo never mixes its sample into other data, and an empty report says
what to run (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from influence import db, demo
from influence.cli import cli
from influence.config import Settings


def _home_env(home: Path) -> dict[str, str]:
    return {
        "INFLUENCE_HOME": str(home),
        "NEO4J_URI": "",
        "NEO4J_PASSWORD": "",
        "INFLUENCE_BOLT_PORT": "1",
        "INFLUENCE_HTTP_PORT": "2",
    }


def test_status_names_the_password_file_and_command_never_the_password(tmp_path: Path) -> None:
    server = db.managed_server(Settings(home=tmp_path))
    server.home.mkdir(parents=True)
    server._write_password()
    secret = server.password()
    runner = CliRunner()
    for fmt in ("table", "json", "csv"):
        result = runner.invoke(cli, ["db", "status", "--format", fmt], env=_home_env(tmp_path))
        assert result.exit_code == 0, result.output
        assert secret not in result.output
        assert str(server.password_file) in result.output and "influence db password" in result.output
    status = json.loads(
        runner.invoke(cli, ["db", "status", "--format", "json"], env=_home_env(tmp_path)).stdout
    )
    assert status["password_command"] == "influence db password" and "password" not in status
    printed = runner.invoke(cli, ["db", "password"], env=_home_env(tmp_path))
    assert printed.exit_code == 0 and printed.stdout == secret + "\n"


def test_db_password_refuses_without_an_install_or_with_an_own_server(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["db", "password"], env=_home_env(tmp_path / "nothing"))
    assert missing.exit_code == 1 and "influence db install" in missing.output
    own = runner.invoke(cli, ["--uri", "bolt://example.org:7687", "db", "password"], env=_home_env(tmp_path))
    assert own.exit_code == 1 and "NEO4J_PASSWORD" in own.output


def test_demo_guard_accepts_an_empty_graph_or_the_sample_only(tmp_path: Path) -> None:
    sample = tmp_path / "out" / "sample"
    inside = str((sample / "scrape-1").resolve())
    assert demo.foreign_scrapes(demo.GraphContents(0, ()), sample) == []
    assert demo.foreign_scrapes(demo.GraphContents(50, (inside, str(sample.resolve()))), sample) == []
    other = str((tmp_path / "my-brand" / "scrapes").resolve())
    assert demo.foreign_scrapes(demo.GraphContents(50, (inside, other)), sample) == [other]
    # a sibling folder whose name starts like the sample's is not the sample
    assert demo.foreign_scrapes(demo.GraphContents(5, (str(sample.resolve()) + "-mine",)), sample) != []
    assert demo.foreign_scrapes(demo.GraphContents(5, ("csv:relative/path",)), sample) == [
        "csv:relative/path"
    ]
    assert demo.foreign_scrapes(demo.GraphContents(5, ()), sample)  # nodes of unknown origin
