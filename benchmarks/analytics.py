"""Benchmark: GDS PageRank, Louvain and FastRP on a 100k-user / 1M-follow graph, vs networkx and igraph.

Generates a seeded follow graph with planted communities (most follows stay inside a
community; within it, targets are drawn with a power law so a few accounts gather most
followers), loads it through Bolt in UNWIND batches, runs the project's own analytics code
(``influence.analytics.run.analyze`` with the influence, communities and embeddings steps, one
shared projection) and then the same PageRank and Louvain in networkx and igraph on the same
edges. Prints times, ratios and each Louvain's NMI against the planted communities.

Run against the managed server (start it first, ideally with 4 GB heap)::

    INFLUENCE_HOME=/tmp/ig INFLUENCE_BOLT_PORT=17721 INFLUENCE_HEAP=4g influence db start
    INFLUENCE_HOME=/tmp/ig INFLUENCE_BOLT_PORT=17721 python benchmarks/analytics.py

Target (DESIGN.md): the three GDS steps together within 60 s on 2 cores.
It deletes everything in the database it is pointed at (it asks unless --yes).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import numpy as np

from influence import db
from influence.analytics.base import AnalyzeOptions
from influence.analytics.run import analyze
from influence.config import Settings
from influence.report.tables import render


def generate(
    users: int, follows: int, communities: int, seed: int, inside: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """(community per user, unique directed edges as an (m, 2) array) — seeded."""
    rng = np.random.default_rng(seed)
    community = np.arange(users) % communities
    members = [np.flatnonzero(community == c) for c in range(communities)]
    edges = np.empty((0, 2), dtype=np.int64)
    while len(edges) < follows:  # draw, drop self-loops and duplicates, repeat until enough
        n = int((follows - len(edges)) * 1.3) + 1000
        src = rng.integers(0, users, n)
        same = rng.random(n) < inside
        dst = rng.integers(0, users, n)
        for c in range(communities):
            idx = np.flatnonzero(same & (community[src] == c))
            # skewed rank inside the community: P(rank < k) = (k / size) ** 0.4, so a few
            # accounts gather most followers (influencers)
            ranks = (members[c].size * rng.random(idx.size) ** 2.5).astype(np.int64)
            dst[idx] = members[c][ranks]
        new = np.stack([src, dst], axis=1)
        edges = np.unique(np.concatenate([edges, new[new[:, 0] != new[:, 1]]]), axis=0)
    edges = edges[rng.permutation(len(edges))[:follows]]
    return community, edges[:follows]


def load(driver: Any, community: np.ndarray, edges: np.ndarray, batch: int = 20_000) -> float:
    """Empty the database and load users and FOLLOWS in UNWIND batches; return seconds."""
    db.reset(driver)
    db.init_schema(driver)
    started = time.perf_counter()
    db.write_batches(
        driver,
        "UNWIND $rows AS r CREATE (:User {id: r.id, username: r.id, planted: r.c})",
        ({"id": f"u{i}", "c": int(c)} for i, c in enumerate(community)),
        batch_size=batch,
    )
    db.write_batches(
        driver,
        "UNWIND $rows AS r MATCH (a:User {id: r[0]}) MATCH (b:User {id: r[1]}) CREATE (a)-[:FOLLOWS]->(b)",
        # sorted by follower: consecutive rows touch the same nodes (page-cache locality)
        ([f"u{a}", f"u{b}"] for a, b in edges[np.lexsort((edges[:, 1], edges[:, 0]))]),
        batch_size=batch,
    )
    return time.perf_counter() - started


def nmi(labels_true: np.ndarray, labels: dict[int, int] | np.ndarray) -> float:
    from sklearn.metrics import normalized_mutual_info_score

    pred = np.asarray([labels[i] for i in range(len(labels_true))]) if isinstance(labels, dict) else labels
    return float(normalized_mutual_info_score(labels_true, pred))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--follows", type=int, default=1_000_000)
    ap.add_argument("--communities", type=int, default=50)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--skip-load", action="store_true", help="Reuse the graph already in the database.")
    ap.add_argument(
        "--skip-networkx-louvain", action="store_true", help="networkx Louvain takes minutes at 1M edges."
    )
    ap.add_argument("--yes", action="store_true", help="Do not ask before emptying the database.")
    args = ap.parse_args(argv)

    settings = Settings.from_env()
    community, edges = generate(args.users, args.follows, args.communities, args.seed)
    print(
        f"graph: {args.users:,} users, {len(edges):,} follows, {args.communities} planted communities",
        flush=True,
    )
    rows: list[dict[str, Any]] = []
    with db.connect(settings) as driver:
        if not args.skip_load:
            if (
                not args.yes
                and input(f"empty the database at {settings.effective_uri}? [y/N] ").lower() != "y"
            ):
                return 1
            secs = load(driver, community, edges)
            print(f"loaded in {secs:.1f} s ({(len(edges) + args.users) / secs:,.0f} records/s)", flush=True)
        started = time.perf_counter()
        result = analyze(
            driver,
            ["influence", "communities", "embeddings"],
            AnalyzeOptions(),
            progress=lambda m: print(m, file=sys.stderr, flush=True),
        )
        wall = time.perf_counter() - started
        print(render(result.rows()))
        found = {
            int(r["id"][1:]): r["c"]
            for r in db.read(driver, "MATCH (u:User) RETURN u.id AS id, u.community AS c")
        }
    gds = {s.step: s for s in result.steps}
    gds_pr = gds["influence"].total_ms / 1000.0
    gds_lv = gds["communities"].total_ms / 1000.0
    gds_fr = gds["embeddings"].total_ms / 1000.0
    project = gds["project users"].project_ms / 1000.0
    rows.append({"tool": "GDS", "step": "projection", "seconds": project, "vs_gds": None, "nmi": None})
    rows.append(
        {"tool": "GDS", "step": "PageRank (compute+write)", "seconds": gds_pr, "vs_gds": 1.0, "nmi": None}
    )
    rows.append(
        {
            "tool": "GDS",
            "step": "Louvain (compute+write)",
            "seconds": gds_lv,
            "vs_gds": 1.0,
            "nmi": nmi(community, found),
        }
    )
    rows.append(
        {"tool": "GDS", "step": "FastRP (compute+write)", "seconds": gds_fr, "vs_gds": 1.0, "nmi": None}
    )
    rows.append(
        {
            "tool": "GDS",
            "step": "3 steps together",
            "seconds": gds_pr + gds_lv + gds_fr,
            "vs_gds": None,
            "nmi": None,
        }
    )

    import igraph as ig

    t = time.perf_counter()
    g = ig.Graph(n=args.users, edges=edges.tolist(), directed=True)
    build = time.perf_counter() - t
    t = time.perf_counter()
    g.pagerank(damping=0.85)
    ig_pr = time.perf_counter() - t
    t = time.perf_counter()
    parts = g.as_undirected(mode="collapse").community_multilevel()
    ig_lv = time.perf_counter() - t
    rows.append({"tool": "igraph", "step": "build graph", "seconds": build, "vs_gds": None, "nmi": None})
    rows.append(
        {"tool": "igraph", "step": "PageRank", "seconds": ig_pr, "vs_gds": ig_pr / gds_pr, "nmi": None}
    )
    rows.append(
        {
            "tool": "igraph",
            "step": "Louvain (multilevel)",
            "seconds": ig_lv,
            "vs_gds": ig_lv / gds_lv,
            "nmi": nmi(community, np.asarray(parts.membership)),
        }
    )

    import networkx as nx

    t = time.perf_counter()
    G = nx.DiGraph()
    G.add_nodes_from(range(args.users))
    G.add_edges_from(edges.tolist())
    build = time.perf_counter() - t
    t = time.perf_counter()
    nx.pagerank(G, alpha=0.85)
    nx_pr = time.perf_counter() - t
    rows.append({"tool": "networkx", "step": "build graph", "seconds": build, "vs_gds": None, "nmi": None})
    rows.append(
        {"tool": "networkx", "step": "PageRank", "seconds": nx_pr, "vs_gds": nx_pr / gds_pr, "nmi": None}
    )
    if not args.skip_networkx_louvain:
        t = time.perf_counter()
        comms = nx.community.louvain_communities(G.to_undirected(), seed=args.seed)
        nx_lv = time.perf_counter() - t
        labels = {n: i for i, c in enumerate(comms) for n in c}
        rows.append(
            {
                "tool": "networkx",
                "step": "Louvain",
                "seconds": nx_lv,
                "vs_gds": nx_lv / gds_lv,
                "nmi": nmi(community, labels),
            }
        )
    for r in rows:
        r["seconds"] = round(r["seconds"], 2)
        r["vs_gds"] = None if r["vs_gds"] is None else round(r["vs_gds"], 2)
        r["nmi"] = None if r["nmi"] is None else round(r["nmi"], 3)
    print()
    print(render(rows))
    total = gds_pr + gds_lv + gds_fr
    print(
        f"\nGDS PageRank + Louvain + FastRP: {total:.1f} s (target 60 s: {'met' if total <= 60 else 'MISSED'}); "
        f"analyze wall time incl. projection {wall:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
