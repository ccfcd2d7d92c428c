"""neo4j-admin import CSVs: the files, and a real import that gives the same graph as the MERGE loader."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from bulk_records import T0, records
from influence import db
from influence.config import Settings
from influence.errors import ServerError
from influence.ingest import ingest
from influence.ingest.bulk import import_arguments, write_import
from influence.loaders.records import (
    PostRecord,
    UserRecord,
)
from influence.server import ManagedServer
from influence.server.admin_import import run_import


def snapshot(driver: Driver) -> tuple[list[str], list[str]]:
    def norm(props: dict[str, Any]) -> list[tuple[str, Any]]:
        # DateTime values compare by instant (the importer and Cypher may name UTC differently)
        return sorted(
            (k, v.to_native().astimezone(UTC) if hasattr(v, "to_native") else v) for k, v in props.items()
        )

    nodes = db.read(driver, "MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels = db.read(
        driver,
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, coalesce(a.id, a.name, a.code) AS a, "
        "coalesce(b.id, b.name, b.code) AS b, properties(r) AS p",
    )
    return (
        sorted(repr((sorted(r["l"]), norm(r["p"]))) for r in nodes),
        sorted(repr((r["t"], r["a"], r["b"], norm(r["p"]))) for r in rels),
    )


@pytest.fixture
def stored_database(server: ManagedServer, tmp_path: Path) -> Iterator[ManagedServer]:
    """Gives the test the server, and puts the store of database `neo4j` back afterwards.

    An import replaces the store and restarts its transaction ids, which every driver that
    used it before (the session's driver) would wait for in vain (bookmarks): restoring the
    original store keeps the rest of the session working.
    """
    data = server.home / "data"
    parts = [data / "databases" / "neo4j", data / "transactions" / "neo4j"]
    saved = tmp_path / "saved-store"
    server.stop()
    for part in parts:
        shutil.copytree(part, saved / part.relative_to(data))
    server.start()
    yield server
    server.stop()
    for part in parts:
        shutil.rmtree(part)
        shutil.copytree(saved / part.relative_to(data), part)
    server.start()


@pytest.mark.integration
def test_import_gives_the_graph_the_merge_loader_builds(
    clean_db: Driver, stored_database: ManagedServer, test_settings: Settings, tmp_path: Path
) -> None:
    server = stored_database
    # the MERGE loader's graph of the same records (minus the duplicate user record, which the
    # importer skips while MERGE would merge it) is the reference
    reference = [r for r in records() if not (isinstance(r, UserRecord) and r.username == "ALICE-duplicate")]
    with db.connect(test_settings) as driver:
        db.reset(driver)
        ingest(driver, reference, tmp_path / "r1.jsonl")
        expected = snapshot(driver)
    out = tmp_path / "bulk"
    write_import(records(), out, tmp_path / "r2.jsonl")

    with pytest.raises(ServerError, match="stop it first"):
        run_import(server, import_arguments(out.resolve(), overwrite=True))
    server.stop()
    try:
        output = run_import(server, import_arguments(out.resolve(), overwrite=True))
    finally:
        server.start()
    assert "IMPORT DONE" in output
    with db.connect(test_settings) as driver:  # a new driver: the old bookmarks belong to the old store
        db.init_schema(driver)
        assert snapshot(driver) == expected
        # the imported graph takes normal loads on top: a newer scrape moves p1's counts
        ingest(
            driver,
            [PostRecord("p1", author="alice", observed_at=T0 + timedelta(hours=5), likes=300)],
            tmp_path / "r3.jsonl",
        )
        p1 = db.read(
            driver, "MATCH (p:Post {id: 'p1'})-[:HAS_OBSERVATION]->(o) RETURN p.likes AS l, count(o) AS n"
        )
        assert (p1[0]["l"], p1[0]["n"]) == (300, 3)
