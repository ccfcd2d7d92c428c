"""docker/compose.yml stays in step with the managed server (no Docker engine here to run it)."""

from __future__ import annotations

import re
from pathlib import Path

from influence.server.manager import NEO4J_VERSION

COMPOSE = Path(__file__).resolve().parents[2] / "docker" / "compose.yml"


def test_compose_pins_the_same_neo4j_and_enables_gds() -> None:
    text = COMPOSE.read_text()
    assert f"image: neo4j:{NEO4J_VERSION}-community" in text
    assert re.search(r"NEO4J_PLUGINS: '\[\"graph-data-science\"\]'", text)
    assert 'NEO4J_dbms_security_procedures_unrestricted: "gds.*"' in text
    # auth stays on and ports are published on loopback only, like the managed server
    assert 'NEO4J_AUTH: "neo4j/${NEO4J_PASSWORD' in text
    assert '"127.0.0.1:7687:7687"' in text and '"127.0.0.1:7474:7474"' in text
