"""Embeddings: FastRP over the user graph, written as ``User.embedding`` with a version.

FastRP is not bit-reproducible across runs (parallel float sums, and a changed graph changes
every vector), so each run gets a version: ``User.embeddingVersion`` on every user it wrote and
an ``(:EmbeddingRun {version, algorithm, dimension, parameters (JSON), gdsVersion, nodeCount,
createdAt})`` node. A model trained on embeddings stores the version it used.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.analytics.base import AnalyzeOptions, StepResult, gds_millis
from influence.analytics.projection import Projection, estimate, run_algorithm


def new_version() -> str:
    """A sortable unique embedding version: UTC time plus a random suffix."""
    return datetime.now(UTC).strftime("fastrp-%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


def embeddings(
    driver: Driver, graph: Projection, options: AnalyzeOptions, database: str | None = None
) -> StepResult:
    """FastRP embeddings of users (undirected, weighted user graph), versioned (see module doc)."""
    config: dict[str, Any] = {
        "writeProperty": "embedding",
        "relationshipTypes": ["UNDIRECTED"],
        "relationshipWeightProperty": "weight",
        "embeddingDimension": options.embedding_dimension,
        "iterationWeights": list(options.embedding_iteration_weights),
        "concurrency": options.concurrency,
    }
    if options.embedding_seed is not None:
        config["randomSeed"] = options.embedding_seed
    estimate(driver, "fastrp", graph.name, config, database)
    row = run_algorithm(driver, "fastrp", graph.name, config, database)
    compute, write = gds_millis(row)
    version = new_version()
    stamp = db.write(
        driver,
        cypher.load("analyze_write_embedding_run"),
        {
            "version": version,
            "algorithm": "fastRP",
            "dimension": options.embedding_dimension,
            "parameters": json.dumps(
                {k: v for k, v in config.items() if k != "writeProperty"}, sort_keys=True
            ),
            "gdsVersion": db.gds_version(driver, database),
            "nodeCount": graph.nodes,
        },
        database=database,
    )
    return StepResult(
        "embeddings",
        compute_ms=compute,
        write_ms=write,
        details={
            "version": version,
            "dimension": options.embedding_dimension,
            "users": int(stamp[0]["users"]) if stamp else 0,
        },
    )
