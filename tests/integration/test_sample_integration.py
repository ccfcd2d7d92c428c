"""`influence sample`: a seeded synthetic gallery-dl scrape with planted structure (no database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence.cli import cli
from influence.sample import SampleParameters, generate_sample

PARAMS = SampleParameters(users=150, seed=7, images=60)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "out"
    generate_sample(out, PARAMS)
    return out


@pytest.fixture(scope="module")
def truth(sample: Path) -> dict[str, Any]:
    return json.loads((sample / "ground_truth.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- determinism


# --------------------------------------------------------------------------- format


# --------------------------------------------------------------------------- planted structure


# --------------------------------------------------------------------------- the gallery-dl parser reads it


# --------------------------------------------------------------------------- errors and CLI


# --------------------------------------------------------------------------- into the graph


@pytest.mark.integration
def test_sample_loads_into_the_graph_with_its_planted_counts(
    tmp_path: Path, cli_env: dict[str, str], clean_db: Driver
) -> None:
    out = tmp_path / "demo"
    summary = generate_sample(out, SampleParameters(users=60, seed=11, communities=3, images=10))
    result = CliRunner().invoke(
        cli, ["load", "gallery-dl", str(out), "--rejects", str(tmp_path / "rejects.jsonl")], env=cli_env
    )
    assert result.exit_code == 0, result.output
    records, _, _ = clean_db.execute_query(
        "MATCH (p:Post) WITH count(p) AS posts "
        "MATCH (o:Observation) WITH posts, count(o) AS observations "
        "MATCH (:User)-[f:FOLLOWS]->(:User) WITH posts, observations, count(f) AS follows "
        "MATCH (u:User) RETURN posts, observations, follows, count(u) AS users"
    )
    got = records[0]
    assert (got["posts"], got["observations"], got["follows"], got["users"]) == (
        summary.posts,
        summary.observations,
        summary.follows,
        summary.users,
    )
    truth = json.loads((out / "ground_truth.json").read_text())
    viral, _, _ = clean_db.execute_query(
        "MATCH (p:Post) WHERE p.id IN $codes RETURN count(p) AS n, min(COUNT { (p)-[:HAS_OBSERVATION]->() }) AS obs",
        codes=truth["viral_posts"],
    )
    assert viral[0]["n"] == len(truth["viral_posts"]) and viral[0]["obs"] == 3
