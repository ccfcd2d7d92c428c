"""Ingest speed: the batched loader vs one transaction per record vs LOAD CSV, and loader memory.

Runs against the server the environment describes (``Settings.from_env()``: the managed server
under ``INFLUENCE_HOME`` on ``INFLUENCE_BOLT_PORT``, or ``NEO4J_URI``). It **empties that
database** first. LOAD CSV needs the managed server (it writes into its import folder).

    INFLUENCE_HOME=/tmp/ig-bench INFLUENCE_BOLT_PORT=17701 INFLUENCE_HTTP_PORT=17702 \
        python benchmarks/ingest.py --posts 200000

Records are generated in memory (seeded): users (one per 10 posts), posts with 0–5 hashtags
drawn from a skewed pool and timed counts (so each post also gets an Observation), and one
follow per post. Targets (DESIGN.md): ≥ 50,000 records/s and ≥ 50× the per-record loader.
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from neo4j import Driver

from influence import cypher, db
from influence.config import Settings
from influence.ingest import ingest
from influence.loaders.records import FollowRecord, PostRecord, Record, ScrapeRecord, UserRecord

T0 = datetime(2024, 5, 1, tzinfo=UTC)


def generate(n_posts: int, seed: int = 42) -> Iterator[Record]:
    """A seeded synthetic scrape: users, then posts and follows interleaved (streamed)."""
    rng = random.Random(seed)
    n_users = max(n_posts // 10, 2)
    n_tags = max(n_posts // 40, 10)
    yield ScrapeRecord("bench", "sample", tool="benchmarks/ingest.py", started_at=T0, path="<generated>")
    for u in range(n_users):
        yield UserRecord(
            f"user{u}",
            username=f"User{u}",
            followers=int(rng.paretovariate(1.2) * 100),
            following=rng.randrange(2000),
            posts_count=10,
            verified=u % 100 == 0,
            language="en",
        )
    for p in range(n_posts):
        tags = {f"tag{min(int(rng.paretovariate(0.8)), n_tags)}" for _ in range(rng.randrange(6))}
        yield PostRecord(
            f"post{p}",
            author=f"user{rng.randrange(n_users)}",
            shortcode=f"post{p}",
            type="image",
            caption=f"caption {p} " + " ".join("#" + t for t in tags),
            posted_at=T0 - timedelta(minutes=p),
            observed_at=T0,
            likes=rng.randrange(5000),
            comments=rng.randrange(200),
            hashtags=sorted(tags),
        )
        a, b = rng.randrange(n_users), rng.randrange(n_users)
        if a != b:
            yield FollowRecord(f"user{a}", f"user{b}")


def count_records(n_posts: int) -> int:
    return sum(1 for _ in generate(n_posts))


def reset(driver: Driver) -> None:
    db.reset(driver)
    db.init_schema(driver)


def graph_size(driver: Driver) -> tuple[int, int]:
    nodes = db.read(driver, "MATCH (n) RETURN count(n) AS n")[0]["n"]
    rels = db.read(driver, "MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return int(nodes), int(rels)


def run_batched(driver: Driver, n_posts: int, batch_size: int, rejects: Path) -> float:
    summary = ingest(driver, generate(n_posts), rejects, batch_size=batch_size)
    assert summary.rejected == 0, summary.reasons
    nodes, rels = graph_size(driver)
    total = summary.records
    rate = total / summary.seconds
    print(
        f"batched (batch {batch_size}): {total:,} records in {summary.seconds:.1f} s = {rate:,.0f} records/s "
        f"({nodes:,} nodes, {rels:,} relationships)"
    )
    return rate


def run_per_record(driver: Driver, n_records: int, rejects: Path) -> float:
    def first() -> Iterator[Record]:
        for i, record in enumerate(generate(n_records)):
            if i >= n_records:
                return
            yield record

    summary = ingest(driver, first(), rejects, batch_size=1)
    rate = summary.records / summary.seconds
    print(
        f"one transaction per record: {summary.records:,} records in {summary.seconds:.1f} s = {rate:,.0f} records/s"
    )
    return rate


def write_csvs(folder: Path, n_posts: int) -> int:
    """The generated records as four CSVs for LOAD CSV; returns the number of records."""
    records = 0
    with (
        (folder / "bench_users.csv").open("w", newline="") as fu,
        (folder / "bench_posts.csv").open("w", newline="") as fp,
        (folder / "bench_tags.csv").open("w", newline="") as ft,
        (folder / "bench_follows.csv").open("w", newline="") as ff,
    ):
        wu, wp, wt, wf = (csv.writer(f) for f in (fu, fp, ft, ff))
        wu.writerow(["id", "username", "followers", "following", "postsCount", "verified", "language"])
        wp.writerow(
            ["id", "author", "shortcode", "type", "caption", "postedAt", "observedAt", "likes", "comments"]
        )
        wt.writerow(["post", "tag"])
        wf.writerow(["follower", "followed"])
        for r in generate(n_posts):
            if isinstance(r, UserRecord):
                wu.writerow(
                    [r.id, r.username, r.followers, r.following, r.posts_count, r.verified, r.language]
                )
            elif isinstance(r, PostRecord):
                assert r.posted_at is not None and r.observed_at is not None
                wp.writerow(
                    [
                        r.id,
                        r.author,
                        r.shortcode,
                        r.type,
                        r.caption,
                        r.posted_at.isoformat(),
                        r.observed_at.isoformat(),
                        r.likes,
                        r.comments,
                    ]
                )
                wt.writerows([r.id, t] for t in r.hashtags)
            elif isinstance(r, FollowRecord):
                wf.writerow([r.follower, r.followed])
            else:
                continue
            records += 1
    return records


def run_load_csv(driver: Driver, settings: Settings, n_posts: int) -> float | None:
    if not settings.managed:
        print("LOAD CSV: skipped (needs the managed server's import folder; NEO4J_URI is set)")
        return None
    import_dir = settings.server_home / "import"
    import_dir.mkdir(parents=True, exist_ok=True)
    records = write_csvs(import_dir, n_posts)
    started = time.monotonic()
    for name, file in (
        ("loadcsv_users", "bench_users.csv"),
        ("loadcsv_posts", "bench_posts.csv"),
        ("loadcsv_tags", "bench_tags.csv"),
        ("loadcsv_follows", "bench_follows.csv"),
    ):
        # CALL { } IN TRANSACTIONS needs an implicit (auto-commit) transaction.
        with driver.session(database=settings.database) as session:
            session.run(cypher.load(name), url=f"file:///{file}").consume()
    seconds = time.monotonic() - started
    for file in ("bench_users.csv", "bench_posts.csv", "bench_tags.csv", "bench_follows.csv"):
        (import_dir / file).unlink(missing_ok=True)
    rate = records / seconds
    nodes, rels = graph_size(driver)
    print(
        f"LOAD CSV … IN TRANSACTIONS: {records:,} records in {seconds:.1f} s = {rate:,.0f} records/s "
        f"({nodes:,} nodes, {rels:,} relationships; CSV writing not timed)"
    )
    return rate


def peak_memory(driver: Driver, n_posts: int, batch_size: int, rejects: Path) -> float:
    """Peak Python memory (MiB) of a streamed load of ``n_posts`` posts (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    ingest(driver, generate(n_posts), rejects, batch_size=batch_size)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=200_000, help="posts to generate (default 200000)")
    parser.add_argument("--per-record", type=int, default=5_000, help="records for the per-record loader")
    parser.add_argument("--batch-size", type=int, nargs="+", default=[10_000], help="batch sizes to try")
    parser.add_argument(
        "--memory",
        type=int,
        nargs="*",
        default=[100_000, 200_000],
        help="input sizes (posts) for the memory measurement",
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=["per-record", "load-csv", "memory"])
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    print(
        f"server {settings.effective_uri}; generating {args.posts:,} posts "
        f"({count_records(args.posts):,} records)",
        flush=True,
    )
    with db.connect(settings) as driver, TemporaryDirectory() as tmp:
        rejects = Path(tmp) / "rejects.jsonl"
        rates: dict[str, float] = {}
        for size in args.batch_size:
            reset(driver)
            rates[f"batched {size}"] = run_batched(driver, args.posts, size, rejects)
        best = max(rates.values())
        if "per-record" not in args.skip:
            reset(driver)
            rates["per-record"] = run_per_record(driver, args.per_record, rejects)
        if "load-csv" not in args.skip:
            reset(driver)
            rate = run_load_csv(driver, settings, args.posts)
            if rate is not None:
                rates["LOAD CSV"] = rate
        print()
        print(f"{'loader':<24}{'records/s':>12}{'vs batched':>12}")
        for name, rate in rates.items():
            print(f"{name:<24}{rate:>12,.0f}{rate / best:>11.3f}x")
        if "per-record" in rates:
            print(f"batched / per-record = {best / rates['per-record']:,.0f}x (target ≥ 50x)")
        print(f"best batched rate {best:,.0f} records/s (target ≥ 50,000)")
        if "memory" not in args.skip and args.memory:
            reset(driver)
            print()
            for n in args.memory:
                mib = peak_memory(driver, n, max(args.batch_size), rejects)
                print(
                    f"loader peak memory, {n:,} posts ({count_records(n):,} records): {mib:.1f} MiB",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
