"""Communities: Louvain / Leiden on the user graph, and proximity communities from SIMILAR.

- ``User.community`` (+ ``User.communitySize``): Louvain (or Leiden) over the undirected,
  weighted FOLLOWS + INTERACTS graph.
- ``(User)-[:SIMILAR {score}]->(User)``: Node Similarity (Jaccard) over the traits accounts
  show — hashtags and locations of their posts, their languages, countries and estimated time
  zone (:mod:`influence.analytics.timezones`, written first) — keeping each
  user's ``top_k`` most similar accounts above ``cutoff``; then ``User.proximityCommunity``:
  weighted Louvain over SIMILAR. This groups accounts that do not follow each other (seed lists
  of famous accounts rarely do).
"""

from __future__ import annotations

import time
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.analytics.base import AnalyzeOptions, StepResult, gds_millis
from influence.analytics.projection import Projection, call, delete_all, estimate, projected, run_algorithm
from influence.analytics.timezones import time_zones


def _sizes(driver: Driver, statement: str, database: str | None) -> list[int]:
    rows = db.write(driver, cypher.load(statement), database=database)
    return sorted((int(r["size"]) for r in rows), reverse=True)


def communities(
    driver: Driver, graph: Projection, options: AnalyzeOptions, database: str | None = None
) -> StepResult:
    """Louvain or Leiden communities of users, written as ``User.community`` and ``communitySize``."""
    algo = options.communities
    config: dict[str, Any] = {
        "writeProperty": "community",
        "relationshipTypes": ["UNDIRECTED"],
        "relationshipWeightProperty": "weight",
        "concurrency": options.louvain_concurrency if algo == "louvain" else options.concurrency,
    }
    if algo == "leiden":
        config["randomSeed"] = 42
    estimate(driver, algo, graph.name, config, database)
    row = run_algorithm(driver, algo, graph.name, config, database)
    compute, write = gds_millis(row)
    sizes = _sizes(driver, "analyze_community_sizes", database)
    return StepResult(
        "communities",
        compute_ms=compute,
        write_ms=write,
        details={
            "algorithm": algo,
            "communities": int(row.get("communityCount") or 0),
            "modularity": float(row.get("modularity") or 0.0),
            "levels": int(row.get("ranLevels") or 0),
            "largest": sizes[0] if sizes else 0,
            "sizes": sizes,
        },
    )


def proximity(driver: Driver, options: AnalyzeOptions, database: str | None = None) -> StepResult:
    """Time zones, SIMILAR relationships (Node Similarity over traits) and ``User.proximityCommunity``."""
    result = StepResult("proximity")
    started = time.perf_counter()
    zones = time_zones(driver, database)
    result.write_ms += (time.perf_counter() - started) * 1000.0
    result.write_ms += _timed_delete(driver, database)
    with projected(
        driver,
        "proximity",
        "analyze_project_proximity",
        "analyze_count_proximity",
        database=database,
    ) as graph:
        result.project_ms = graph.project_ms
        if graph.relationships == 0:
            result.details = {"similar": 0, "communities": 0, "time_zones": zones["linked"]}
            return result
        sim_config = {
            "nodeLabels": ["User", "Trait"],
            "mutateRelationshipType": "SIMILAR",
            "mutateProperty": "score",
            "topK": options.similarity_top_k,
            "similarityCutoff": options.similarity_cutoff,
            "concurrency": options.concurrency,
        }
        estimate(driver, "node_similarity", graph.name, sim_config, database)
        sim = run_algorithm(driver, "node_similarity", graph.name, sim_config, database)
        compute, write = gds_millis(sim)
        result.compute_ms += compute + write  # mutate is in-memory work, not a database write
        wrote = call(
            driver,
            "analyze_write_relationships",
            {"graph": graph.name, "type": "SIMILAR", "property": "score"},
            database,
        )
        result.write_ms += float(wrote.get("writeMillis") or 0)
        db.write(driver, cypher.load("analyze_clear_proximity"), database=database)
        louvain_config = {
            "writeProperty": "proximityCommunity",
            "nodeLabels": ["User"],
            "relationshipTypes": ["SIMILAR"],
            "relationshipWeightProperty": "score",
            "concurrency": options.louvain_concurrency,
        }
        lv = run_algorithm(driver, "louvain", graph.name, louvain_config, database)
        compute, write = gds_millis(lv)
        result.compute_ms += compute
        result.write_ms += write
    sizes = sorted(
        (int(r["size"]) for r in db.read(driver, cypher.load("analyze_proximity_sizes"), database=database)),
        reverse=True,
    )
    result.details = {
        "similar": int(wrote.get("relationshipsWritten") or 0),
        "communities": int(lv.get("communityCount") or 0),
        "modularity": float(lv.get("modularity") or 0.0),
        "largest": sizes[0] if sizes else 0,
        "time_zones": zones["linked"],
        "sizes": sizes,
    }
    return result


def _timed_delete(driver: Driver, database: str | None) -> float:
    started = time.perf_counter()
    delete_all(driver, "analyze_delete_similar", database)
    return (time.perf_counter() - started) * 1000.0
