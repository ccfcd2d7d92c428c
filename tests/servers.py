"""The managed Neo4j a test session runs against: shared by the test suite (tests/conftest.py)
and the real-data acceptance suite (tests/real/conftest.py), each with its own settings."""

from __future__ import annotations

from collections.abc import Iterator

from neo4j import Driver

from influence import db
from influence.config import Settings
from influence.server import ManagedServer


def running_server(settings: Settings) -> Iterator[ManagedServer]:
    """Install if needed, start, yield the server; stop it afterwards if this call started it."""
    srv = db.managed_server(settings)
    srv.install()
    started = srv.start()
    yield srv
    if started:
        srv.stop()


def session_driver(settings: Settings) -> Iterator[Driver]:
    """One driver to the server with the schema in place; closed afterwards."""
    drv = db.connect(settings)
    db.init_schema(drv)
    yield drv
    drv.close()


def cli_environment(settings: Settings) -> dict[str, str]:
    """Environment for CliRunner / subprocess runs of ``influence`` against that server."""
    return {
        "INFLUENCE_HOME": str(settings.home),
        "INFLUENCE_BOLT_PORT": str(settings.bolt_port),
        "INFLUENCE_HTTP_PORT": str(settings.http_port),
        "INFLUENCE_HEAP": settings.heap or "",
        "INFLUENCE_PAGECACHE": settings.pagecache or "",
        "NEO4J_URI": "",
        "NEO4J_PASSWORD": "",
    }
