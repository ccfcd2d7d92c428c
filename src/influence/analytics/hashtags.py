"""Hashtags: uses, co-occurrence graph, hashtag PageRank and topics, spread across communities.

- ``Hashtag.uses``: number of posts tagged with the hashtag.
- ``(a:Hashtag)-[:CO_OCCURS {count, weight, npmi}]->(b:Hashtag)``, stored once per pair (from the
  name that sorts first; query it undirected): ``count`` = posts tagged with both;
  ``weight`` = Jaccard = count / (uses(a) + uses(b) − count), in (0, 1], used as the edge weight
  of the hashtag graph; ``npmi`` = normalised pointwise mutual information
  log(p(ab) / (p(a)·p(b))) / −log p(ab) over posts with hashtags, in [−1, 1] (1 = always together),
  for analysts (it can be negative, so it is not used as a weight).
- ``Hashtag.pagerank`` and ``Hashtag.community`` (topic communities, Louvain) on the
  co-occurrence graph weighted by Jaccard.
- ``Hashtag.communitySpread``: how many user communities (``User.community``) have authors who used
  the hashtag — run after the communities step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.analytics.base import AnalyzeOptions, StepResult, Stopwatch, gds_millis
from influence.analytics.projection import delete_all, estimate, projected, run_algorithm


def cooccurrence_weights(pairs: Iterable[Mapping[str, Any]], tagged_posts: int) -> list[dict[str, Any]]:
    """Add Jaccard ``weight`` and ``npmi`` to pair rows ``{a, b, count, usesA, usesB}`` (pure)."""
    out = []
    for p in pairs:
        c, ua, ub = int(p["count"]), int(p["usesA"] or 0), int(p["usesB"] or 0)
        union = ua + ub - c
        weight = c / union if union > 0 else 0.0
        npmi: float | None = None
        if tagged_posts > 0 and ua > 0 and ub > 0 and c > 0:
            p_ab = c / tagged_posts
            if p_ab < 1.0:
                npmi = math.log(p_ab / ((ua / tagged_posts) * (ub / tagged_posts))) / -math.log(p_ab)
            else:
                npmi = 1.0
        out.append({"a": p["a"], "b": p["b"], "count": c, "weight": weight, "npmi": npmi})
    return out


def hashtags(driver: Driver, options: AnalyzeOptions, database: str | None = None) -> StepResult:
    """Uses, CO_OCCURS, hashtag PageRank and topic communities, community spread."""
    watch = Stopwatch()
    with watch.time("compute"):
        counted = db.write(driver, cypher.load("analyze_hashtag_uses"), database=database)[0]
        tagged_posts = int(counted["posts"])
        pairs = db.read(
            driver,
            cypher.load("analyze_read_cooccurrence"),
            {"minCount": options.cooccurrence_min_count},
            database=database,
        )
        rows = cooccurrence_weights((dict(p) for p in pairs), tagged_posts)
    with watch.time("write"):
        delete_all(driver, "analyze_delete_co_occurs", database)
        db.write_batches(driver, cypher.load("analyze_write_cooccurrence"), rows, database=database)
    result = StepResult("hashtags", compute_ms=watch.ms["compute"], write_ms=watch.ms["write"])
    details: dict[str, Any] = {"hashtags": int(counted["hashtags"]), "co_occurs": len(rows)}
    if int(counted["hashtags"]) > 0 and not rows:
        # Hashtags but no pair used together (e.g. one hashtag in a whole Reddit load): GDS
        # cannot project an undirected type that has no relationship, and there is no topic
        # to find; PageRank and topics stay unset rather than failing the whole analysis.
        details["topics"] = 0
        details["note"] = "no two hashtags used on the same post: no hashtag topics"
    elif int(counted["hashtags"]) > 0:
        with projected(
            driver,
            "hashtags",
            "analyze_project_hashtags",
            "analyze_count_hashtags",
            relationship_properties=("weight", "count"),
            relationship_factor=2.0,
            database=database,
        ) as graph:
            result.project_ms = graph.project_ms
            pr_config = {
                "writeProperty": "pagerank",
                "relationshipWeightProperty": "weight",
                "maxIterations": options.max_iterations,
                "dampingFactor": options.damping_factor,
                "concurrency": options.concurrency,
            }
            estimate(driver, "pagerank", graph.name, pr_config, database)
            pr = run_algorithm(driver, "pagerank", graph.name, pr_config, database)
            lv_config = {
                "writeProperty": "community",
                "relationshipWeightProperty": "weight",
                "concurrency": options.louvain_concurrency,
            }
            lv = run_algorithm(driver, "louvain", graph.name, lv_config, database)
            for row in (pr, lv):
                compute, write = gds_millis(row)
                result.compute_ms += compute
                result.write_ms += write
            details["topics"] = int(lv.get("communityCount") or 0)
            details["topic_modularity"] = float(lv.get("modularity") or 0.0)
    with watch.time("spread"):
        db.write(driver, cypher.load("analyze_hashtag_spread"), database=database)
    result.compute_ms += watch.ms["spread"]
    result.details = details
    return result
