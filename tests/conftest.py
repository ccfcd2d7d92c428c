"""Test fixtures and the two tiers.

``tests/unit`` needs no server and no Java and runs in under a minute (``make test-unit``; a
few of its tests read a small real file from ``../shared/data`` or run a tool's ``--help``).
``tests/integration`` holds what is slow or touches the real world: the managed Neo4j + GDS,
whole real data sets, child processes whose memory is measured, and whole-model training. Tests under it are marked ``integration``
automatically, and a unit test that asks for the server fails at collection. Integration tests (marked ``integration``) share one real managed
Neo4j + GDS server, installed if needed and started once per test session under a test-only
home (``.influence-test/`` in the repository, or ``INFLUENCE_TEST_HOME``) on its own ports
(17687 / 17474 unless ``INFLUENCE_TEST_BOLT_PORT`` / ``INFLUENCE_TEST_HTTP_PORT`` say
otherwise), so a developer's own server is left alone. It is stopped at the end if this
session started it. If it cannot be started the tests fail: an unreachable Neo4j is never a
skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from influence import db
from influence.config import Settings
from influence.server import ManagedServer
from servers import cli_environment, running_server, session_driver

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SHARED_REFERENCE = REPO.parent / "shared" / "reference"

# the real-data acceptance suite (tests/real) runs with `make real`, not with `make test`
collect_ignore = [] if os.environ.get("INFLUENCE_REAL") == "1" else ["real"]


def _test_settings() -> Settings:
    env = os.environ
    return Settings(
        home=Path(env.get("INFLUENCE_TEST_HOME") or REPO / ".influence-test"),
        bolt_port=int(env.get("INFLUENCE_TEST_BOLT_PORT") or 17687),
        http_port=int(env.get("INFLUENCE_TEST_HTTP_PORT") or 17474),
        heap=env.get("INFLUENCE_TEST_HEAP") or "3g",
        pagecache=env.get("INFLUENCE_TEST_PAGECACHE") or "1g",
    )


@pytest.fixture(scope="session")
def test_settings() -> Settings:
    """Settings that point at the test server."""
    return _test_settings()


@pytest.fixture(scope="session")
def server(test_settings: Settings) -> Iterator[ManagedServer]:
    """The real managed server, installed if needed and running for the whole session."""
    yield from running_server(test_settings)


@pytest.fixture(scope="session")
def driver(server: ManagedServer, test_settings: Settings) -> Iterator[Driver]:
    """One driver to the test server for the whole session."""
    yield from session_driver(test_settings)


@pytest.fixture
def clean_db(driver: Driver) -> Driver:
    """The test server emptied (data and GDS graphs), schema in place."""
    db.reset(driver)
    db.init_schema(driver)
    return driver


@pytest.fixture
def cli_env(test_settings: Settings, server: ManagedServer) -> dict[str, str]:
    """Environment for CliRunner / subprocess runs of ``influence`` against the test server."""
    return cli_environment(test_settings)


def _require(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing; in CI the shared data must be present")
        pytest.skip(f"{path} is absent (a clone without ../shared); skipped outside CI")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (real scraped data sets); skip if absent, fail in CI."""
    return _require(SHARED_DATA)


@pytest.fixture(scope="session")
def real_world_cases() -> Path:
    """``../shared/cases/real-world-inputs`` (issue 10's input shapes), read in place."""
    return _require(REPO.parent / "shared" / "cases" / "real-world-inputs")


@pytest.fixture(scope="session")
def scraper_samples() -> Path:
    """``../shared/reference/scraper-formats/samples`` (files written by the real tools)."""
    return _require(SHARED_REFERENCE / "scraper-formats" / "samples")


SERVER_FIXTURES = frozenset({"server", "driver", "clean_db", "cli_env"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``tests/integration`` as ``integration``; refuse a unit test that needs the server."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "integration" in parts:
            item.add_marker(pytest.mark.integration)
        elif "unit" in parts:
            needs = SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ()))
            if needs or item.get_closest_marker("integration"):
                raise pytest.UsageError(
                    f"{item.nodeid} needs the server ({', '.join(sorted(needs)) or 'marked integration'}): "
                    "move it to tests/integration"
                )


FAKE_GALLERY_DL = Path(__file__).parent / "fixtures" / "fake_gallery_dl"


@pytest.fixture
def fake_gallery_dl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The stand-in first on PATH; returns the file its argv lines are logged to."""
    log = tmp_path / "argv.jsonl"
    monkeypatch.setenv("PATH", f"{FAKE_GALLERY_DL}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_GALLERY_DL_LOG", str(log))
    monkeypatch.delenv("FAKE_GALLERY_DL_MISSING", raising=False)
    return log


@pytest.fixture
def cookies(tmp_path: Path) -> Path:
    path = tmp_path / "cookies.txt"
    path.write_text("# Netscape HTTP Cookie File\n.instagram.com\tTRUE\t/\tTRUE\t0\tsessionid\tx\n")
    return path
