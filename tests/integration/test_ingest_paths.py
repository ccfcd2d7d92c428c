"""New posts take the CREATE path (merge_posts_new), stored ones the MERGE path: same graph either way."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from neo4j import Driver

from influence import db
from influence.ingest import ingest
from influence.loaders.records import LikeRecord, PostRecord, Record, ScrapeRecord

pytestmark = pytest.mark.integration

T0 = datetime(2024, 5, 1, tzinfo=UTC)
REL_COUNTS = (
    "MATCH ()-[r]->() RETURN type(r) AS t, coalesce(r.coauthor, false) AS co, count(*) AS n ORDER BY t, co"
)


def post(pid: str, author: str = "ann") -> PostRecord:
    return PostRecord(
        pid,
        author=author,
        hashtags=["#Sun", "sea"],
        mentions=["bob"],
        features=["cid"],
        coauthors=["dan"],
        location_id="L1",
        location_name="Beach",
        country="PT",
        observed_at=T0,
        likes=7,
        comments=1,
    )


def records() -> list[Record]:
    return [ScrapeRecord("s1", "sample", path="<t>"), post("p1"), post("p2")]


def rel_counts(driver: Driver) -> list[tuple[str, bool, int]]:
    return [(r["t"], r["co"], r["n"]) for r in db.read(driver, REL_COUNTS)]


def test_new_and_stored_posts_give_the_same_graph(clean_db: Driver, tmp_path: Path) -> None:
    rejects = tmp_path / "r.jsonl"
    ingest(clean_db, records(), rejects)
    fresh = rel_counts(clean_db)
    # p1, p2 new: each has POSTED, co-author POSTED, 2 TAGGED, MENTIONS, FEATURES, AT, HAS_OBSERVATION,
    # FROM_SCRAPE; one Location IN its Country.
    assert ("TAGGED", False, 4) in fresh and ("POSTED", True, 2) in fresh and ("POSTED", False, 2) in fresh
    assert ("IN", False, 1) in fresh and ("HAS_OBSERVATION", False, 2) in fresh
    ingest(clean_db, records(), rejects)  # stored: MERGE path, nothing new
    assert rel_counts(clean_db) == fresh

    # A post first known as a like's stub is "stored": its full record takes the MERGE path.
    db.reset(clean_db)
    ingest(clean_db, [LikeRecord("eve", "p2")], rejects)
    ingest(clean_db, records(), rejects)
    assert rel_counts(clean_db) == sorted([*fresh, ("LIKED", False, 1)])
    p2 = db.read(
        clean_db, "MATCH (p:Post {id: 'p2'}) RETURN p.likes AS likes, p.lastObservedAt IS NOT NULL AS timed"
    )
    assert p2 == [{"likes": 7, "timed": True}]


def test_a_conflicting_author_is_rejected_and_a_new_post_in_the_same_batch_is_written(
    clean_db: Driver, tmp_path: Path
) -> None:
    rejects = tmp_path / "r.jsonl"
    ingest(clean_db, [post("p1", "ann")], rejects)
    summary = ingest(clean_db, [post("p1", "zed"), post("p3", "zed")], rejects)
    assert summary.written["posts"] == 1 and summary.rejected == 1
    authors = db.read(
        clean_db,
        "MATCH (u:User)-[r:POSTED]->(p:Post) WHERE r.coauthor IS NULL "
        "RETURN p.id AS post, u.id AS user ORDER BY post",
    )
    assert authors == [{"post": "p1", "user": "ann"}, {"post": "p3", "user": "zed"}]
