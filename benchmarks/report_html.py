"""Benchmark: `influence report html` on a 100,000-user graph stays fast and the page stays small.

Writes a seeded synthetic graph straight through Bolt (UNWIND batches, parameters only): users
with followers and the analytics' properties (PageRank, community, engagement rate), posts with
hashtags and velocity / viral labels, hashtag CO_OCCURS edges. Then builds the report and
prints the time of each query and chart, the total, and the size of index.html.

    INFLUENCE_HOME=/tmp/ig-report INFLUENCE_BOLT_PORT=17751 INFLUENCE_HTTP_PORT=17752 \\
        influence db start
    INFLUENCE_HOME=/tmp/ig-report INFLUENCE_BOLT_PORT=17751 INFLUENCE_HTTP_PORT=17752 \\
        python benchmarks/report_html.py --yes

It deletes everything in the database it is pointed at (it asks unless --yes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from influence import db
from influence.config import Settings
from influence.report.html import build_report

USERS_QUERY = """
UNWIND $rows AS row
CREATE (:User {id: row.id, username: row.id, followers: row.followers, pagerank: row.pagerank,
               community: row.community, engagementRate: row.er, language: row.lang})
"""
POSTS_QUERY = """
UNWIND $rows AS row
MATCH (u:User {id: row.author})
CREATE (u)-[:POSTED]->(p:Post {id: row.id, shortcode: row.id, caption: row.caption, likes: row.likes,
                               comments: row.comments, velocity: row.velocity, viralScore: row.score,
                               viralRatio: row.ratio, isViral: row.viral,
                               postedAt: datetime({epochSeconds: row.at})})
WITH p, row
UNWIND row.tags AS tag
MATCH (h:Hashtag {name: tag})
CREATE (p)-[:TAGGED]->(h)
"""
TAGS_QUERY = """
UNWIND $rows AS row
CREATE (:Hashtag {name: row.name, pagerank: row.pagerank, community: row.community, communitySpread: row.spread})
"""
COOCCURS_QUERY = """
UNWIND $rows AS row
MATCH (a:Hashtag {name: row.a}), (b:Hashtag {name: row.b})
MERGE (a)-[c:CO_OCCURS]->(b) SET c.count = row.n, c.weight = toFloat(row.n)
"""


def clear(driver: Any) -> None:
    """Delete everything in batches: one DETACH DELETE of a hashtag with 100,000 posts (what
    ``db.reset`` does) exceeds the transaction memory of a 2 GB heap."""
    with driver.session() as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def generate(driver: object, users: int, posts_per_user: int, tags: int, seed: int) -> None:
    """Write the synthetic graph (see the module docstring)."""
    rng = np.random.default_rng(seed)
    communities = 40
    followers = (rng.pareto(1.2, users) * 500 + 50).astype(int)
    pagerank = rng.pareto(2.0, users) + 0.15
    community = rng.integers(0, communities, users)
    er = np.clip(rng.lognormal(-3.5, 0.6, users) * (followers**-0.1) * 3, 0, 1)
    user_rows = [
        {
            "id": f"user{i}",
            "followers": int(followers[i]),
            "pagerank": float(pagerank[i]),
            "community": int(community[i]),
            "er": float(er[i]),
            "lang": ["en", "de", "fr", "es", "it"][i % 5],
        }
        for i in range(users)
    ]
    db.write_batches(driver, USERS_QUERY, user_rows, 10_000)  # type: ignore[arg-type]
    tag_rows = [
        {
            "name": f"tag{i}",
            "pagerank": float(rng.pareto(2.0) + 0.15),
            "community": i % 25,
            "spread": int(rng.integers(1, communities)),
        }
        for i in range(tags)
    ]
    db.write_batches(driver, TAGS_QUERY, tag_rows, 10_000)  # type: ignore[arg-type]
    pair = rng.integers(0, tags, (tags * 20, 2))
    co = {(f"tag{min(a, b)}", f"tag{max(a, b)}") for a, b in pair if a != b}
    db.write_batches(
        driver,
        COOCCURS_QUERY,  # type: ignore[arg-type]
        ({"a": a, "b": b, "n": int(rng.integers(1, 50))} for a, b in co),
        10_000,
    )

    def post_rows():  # type: ignore[no-untyped-def]
        weights = 1.0 / np.arange(1, tags + 1)
        weights /= weights.sum()
        for i in range(users):
            for k in range(posts_per_user):
                viral = rng.random() < 0.005
                velocity = float(rng.lognormal(1.0, 0.8) * (30 if viral else 1))
                yield {
                    "id": f"p{i}_{k}",
                    "author": f"user{i}",
                    "caption": f"post {k} of user {i} <b>",
                    "likes": int(rng.integers(0, 5000)),
                    "comments": int(rng.integers(0, 300)),
                    "velocity": velocity,
                    "score": float(rng.normal(5 if viral else 0, 1)),
                    "ratio": velocity / 2.7,
                    "viral": viral,
                    "at": 1_700_000_000 + int(rng.integers(0, 8e6)),
                    "tags": [f"tag{t}" for t in rng.choice(tags, 3, replace=False, p=weights)],
                }

    db.write_batches(driver, POSTS_QUERY, post_rows(), 10_000)  # type: ignore[arg-type]


def main() -> int:
    """Run the benchmark and print the numbers."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--posts-per-user", type=int, default=3)
    parser.add_argument("--hashtags", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=2, help="Report builds (the first warms the caches).")
    parser.add_argument("--reuse", action="store_true", help="Reuse the graph already loaded (from --keep).")
    parser.add_argument("--keep", action="store_true", help="Leave the graph in the database afterwards.")
    parser.add_argument("--yes", action="store_true", help="Do not ask before deleting the database.")
    args = parser.parse_args()
    settings = Settings.from_env()
    with db.connect(settings) as driver:
        if not args.reuse:
            if (
                not args.yes
                and input(f"delete everything in {settings.effective_uri}? [y/N] ").lower() != "y"
            ):
                return 1
            clear(driver)
            db.init_schema(driver)
            started = time.monotonic()
            generate(driver, args.users, args.posts_per_user, args.hashtags, args.seed)
            print(
                f"generated {args.users:,} users, {args.users * args.posts_per_user:,} posts, "
                f"{args.hashtags:,} hashtags in {time.monotonic() - started:.1f} s"
            )
        for run in range(1, args.runs + 1):
            with tempfile.TemporaryDirectory() as tmp:
                result = build_report(driver, Path(tmp) / "report", top=20)
                size = result.path.stat().st_size
                assets = (
                    sum(p.stat().st_size for p in (Path(tmp) / "report").rglob("*") if p.is_file()) - size
                )
                print(
                    f"\nrun {run}: report built in {result.seconds:.2f} s; index.html {size / 1024:.0f} KiB, "
                    f"images and network page {assets / 1024:.0f} KiB"
                )
                for step, seconds in result.timings.items():
                    print(f"  {step:<28} {seconds:7.3f} s")
        if not args.keep:
            clear(driver)
    return 0


if __name__ == "__main__":
    sys.exit(main())
