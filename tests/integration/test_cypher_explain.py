"""Neo4j plans every shipped Cypher file (``EXPLAIN``): a typo or a removed procedure fails here,
not in the middle of a load or an analysis. A file with a ``<procedure>`` slot is planned once for
every GDS algorithm of the allow-list that fills it."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from influence import cypher
from influence.analytics.projection import ALGORITHMS, PROCEDURE, statement

pytestmark = pytest.mark.integration

ROOT = Path(cypher.__file__).parent
ALL = sorted(str(p.relative_to(ROOT))[: -len(".cypher")] for p in ROOT.rglob("*.cypher"))


def _statements() -> dict[str, str]:
    out = {name: cypher.load(name) for name in ALL if PROCEDURE not in cypher.load(name)}
    for algorithm in ALGORITHMS:
        out[f"{algorithm} (run)"] = statement(algorithm)
        out[f"{algorithm} (estimate)"] = statement(algorithm, estimate=True)
    return out


def test_neo4j_plans_every_shipped_cypher_file(driver: Driver) -> None:
    failed: dict[str, str] = {}
    with driver.session() as session:
        for name, text in _statements().items():
            try:
                session.run("EXPLAIN " + text).consume()
            except Exception as e:  # collect every failure, then report them together
                failed[name] = str(e)[:300]
    assert not failed, failed
