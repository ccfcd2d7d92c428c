"""Neo4j plans every shipped Cypher file (``EXPLAIN``): a typo or a removed procedure fails here,
not in the middle of a load or an analysis."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from influence import cypher

pytestmark = pytest.mark.integration

ROOT = Path(cypher.__file__).parent
ALL = sorted(str(p.relative_to(ROOT))[: -len(".cypher")] for p in ROOT.rglob("*.cypher"))


def test_neo4j_plans_every_shipped_cypher_file(driver: Driver) -> None:
    failed: dict[str, str] = {}
    with driver.session() as session:
        for name in ALL:
            try:
                session.run("EXPLAIN " + cypher.load(name)).consume()
            except Exception as e:  # collect every failure, then report them together
                failed[name] = str(e)[:300]
    assert not failed, failed
