"""Audience overlap, the reach planner and audience quality on the real data in ../shared/data.

Two graphs, one after the other (the database is emptied before each):

- **#womenwhoclimb** (``instagram-womenwhoclimb``): each of 115 influencers' top post with the
  ids of the accounts that liked it (113,517 likes), the influencers' follower counts, and the
  posts (with like counts) of the 1,774 accounts that used the hashtag. Loaded through the
  ingest API (users, posts, ``LikeRecord``) until ``influence load csv --kind likes`` lands.
- **US Congress follows** (``follow-graphs``): 517 accounts, 61,766 follows, with
  ``influence load follows``.

For each: the overlap of the ten most-followed accounts, ``plan --budget 10`` against the top
ten by followers, and the audience-quality scores. Prints Markdown for docs/audience.md.

    INFLUENCE_HOME=/tmp/ig-dev INFLUENCE_BOLT_PORT=17721 influence db start
    INFLUENCE_HOME=/tmp/ig-dev INFLUENCE_BOLT_PORT=17721 python benchmarks/audience.py --yes

It deletes everything in the database it is pointed at (it asks unless --yes).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from influence import db
from influence.analytics import audience
from influence.analytics.run import analyze
from influence.config import Settings
from influence.ingest import ingest
from influence.loaders.follows import parse, parse_nodes
from influence.loaders.records import LikeRecord, PostRecord, Record, UserRecord

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def climb_records(folder: Path) -> Iterator[Record]:
    """#womenwhoclimb as records: posters and their posts, influencers, their top post and its likers."""
    posts = json.loads((folder / "hashtags_likes_dict.json").read_text(encoding="utf-8"))
    for user, d in posts.items():
        yield UserRecord(id=user)
        for code, likes in zip(d["posts"], d["likes"], strict=False):
            yield PostRecord(id=code, author=user, shortcode=code, likes=int(likes))
    inter = json.loads((folder / "interaction_dict.json").read_text(encoding="utf-8"))
    for user, d in inter.items():
        yield UserRecord(id=user, followers=int(d["num_follow"]))
        yield PostRecord(id=d["post"], author=user, shortcode=d["post"], likes=int(d["max_likes"]))
        for liker in d.get("likes") or []:
            yield LikeRecord(user=str(liker), post=d["post"])


def top_followed(driver: Any, n: int) -> list[str]:
    rows = db.read(
        driver,
        "MATCH (u:User) WHERE u.followers IS NOT NULL AND (EXISTS { ()-[:FOLLOWS]->(u) } "
        "OR EXISTS { (u)-[:POSTED]->()<-[:LIKED]-() }) RETURN u.id AS id "
        "ORDER BY u.followers DESC, u.id LIMIT $n",
        {"n": n},
    )
    return [r["id"] for r in rows]


def measure(driver: Any, name: str, budget: int) -> dict[str, Any]:
    started = time.perf_counter()
    ids = top_followed(driver, 10)
    ov = audience.overlap(driver, ids)
    t_overlap = time.perf_counter() - started
    off = [v for i, row in enumerate(ov.matrix) for j, v in enumerate(row) if i < j]
    started = time.perf_counter()
    plan = audience.plan(driver, budget)
    t_plan = time.perf_counter() - started
    started = time.perf_counter()
    q = audience.quality(driver)
    t_quality = time.perf_counter() - started
    scores = [r["score"] for r in q if r["score"] is not None]
    return {
        "data": name,
        "accounts compared": len(ov.accounts),
        "Jaccard median / max": f"{statistics.median(off):.3f} / {max(off):.3f}",
        "union / in ≥ 2": f"{ov.union:,} / {ov.shared_by_two:,}",
        f"plan reach (K={budget})": f"{plan.reach:,.0f}",
        f"top-{budget} by followers": f"{plan.baseline_reach:,.0f}",
        "plan gain": f"{plan.reach / plan.baseline_reach - 1:+.1%}" if plan.baseline_reach else "",
        "candidates": plan.candidates,
        "quality scored": len(scores),
        "quality min / median / max": (
            f"{min(scores):.0f} / {statistics.median(scores):.0f} / {max(scores):.0f}" if scores else ""
        ),
        "lowest": ", ".join(f"{r['username']} {r['score']:.0f}" for r in q[:3] if r["score"] is not None),
        "seconds overlap / plan / quality": f"{t_overlap:.1f} / {t_plan:.1f} / {t_quality:.1f}",
        "first picks": ", ".join(p.username for p in plan.picks[:3]),
        "signals of the lowest": {k: q[0][k] for k in audience.SIGNALS} if q else {},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--yes", action="store_true", help="Do not ask before emptying the database.")
    parser.add_argument("--budget", type=int, default=10)
    args = parser.parse_args()
    if not args.yes and input("This deletes everything in the database. Continue? [y/N] ").lower() != "y":
        return 1
    settings = Settings.from_env()
    driver = db.connect(settings)
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db.reset(driver)
            started = time.perf_counter()
            ingest(driver, climb_records(DATA / "instagram-womenwhoclimb"), Path(tmp) / "r.jsonl")
            print(f"#womenwhoclimb loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            analyze(driver, ["engagement"])
            results.append(measure(driver, "#womenwhoclimb likes", args.budget))
            db.reset(driver)
            folder = DATA / "follow-graphs"
            records = chain(
                parse_nodes(folder / "congress-twitter-network-nodes.csv"),
                parse(folder / "congress-twitter-network-edges.csv"),
            )
            ingest(driver, records, Path(tmp) / "r2.jsonl")
            results.append(measure(driver, "US Congress follows", args.budget))
    finally:
        driver.close()
    keys = [k for k in results[0] if k != "signals of the lowest"]
    print("| " + " | ".join(["figure", *(r["data"] for r in results)]) + " |")
    print("|---" * (len(results) + 1) + "|")
    for k in keys[1:]:
        print("| " + " | ".join([k, *(str(r[k]) for r in results)]) + " |")
    for r in results:
        print(f"\n{r['data']}: signals of the lowest-scored account: {r['signals of the lowest']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
