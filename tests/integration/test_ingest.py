"""Records → graph against the real Neo4j: model, idempotency, observations, rejects, safety."""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase

from influence import db
from influence.config import Settings
from influence.errors import ConnectionFailed, QueryError
from influence.ingest import LoadSummary, ingest, observation_id, safe_extra
from influence.loaders.records import (
    FollowRecord,
    LikeRecord,
    ObservationRecord,
    PostRecord,
    Record,
    Reject,
    ScrapeRecord,
    UserRecord,
)
from influence.server import ManagedServer

pytestmark = pytest.mark.integration

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def count(driver: Driver, query: str, **params: Any) -> int:
    return int(db.read(driver, query, params)[0][0])


def snapshot(driver: Driver) -> tuple[list[str], list[str]]:
    """Every node and relationship with its properties, canonical and sorted."""
    nodes = db.read(driver, "MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels = db.read(
        driver,
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, coalesce(a.id, a.name, a.code) AS a, "
        "coalesce(b.id, b.name, b.code) AS b, properties(r) AS p",
    )
    return (
        sorted(repr((sorted(r["l"]), sorted(r["p"].items()))) for r in nodes),
        sorted(repr((r["t"], r["a"], r["b"], sorted(r["p"].items()))) for r in rels),
    )


def sample(scrape: str = "s1", at: datetime = T0, likes: int = 100) -> list[Record]:
    """A small scrape: two accounts, three posts, a follow, a like, observations."""
    return [
        ScrapeRecord(
            scrape, "sample", tool="pytest", tool_version="1", started_at=at, path=f"/data/{scrape}"
        ),
        UserRecord(
            "alice",
            username="Alice",
            platform_id="101",
            full_name="Alice A",
            followers=5000,
            following=10,
            posts_count=2,
            verified=True,
            private=False,
            language="en",
            country="FR",
            biography="climber",
            category="Athlete",
        ),
        UserRecord("bob", username="bob", followers=20),
        PostRecord(
            "p1",
            author="alice",
            shortcode="p1",
            url="https://www.instagram.com/p/p1/",
            type="image",
            caption="Summit! #Climbing #alps @bob",
            posted_at=T0 - timedelta(days=1),
            observed_at=at,
            likes=likes,
            comments=4,
            hashtags=["climbing", "alps"],
            mentions=["bob"],
            features=["carol"],
            coauthors=["bob"],
            location_id="42",
            location_name="Chamonix",
            location_slug="chamonix",
            country="FR",
            language="en",
            width=1080,
            height=1350,
        ),
        PostRecord(
            "p2",
            author="alice",
            caption="#alps again",
            hashtags=["alps"],
            posted_at=T0,
            observed_at=at,
            likes=7,
        ),
        PostRecord("p3", author="bob", type="video", views=900, observed_at=at),
        FollowRecord("bob", "alice"),
        FollowRecord("carol", "alice", weight=2.5),
        LikeRecord("bob", "p1"),
        ObservationRecord("p2", at + timedelta(hours=1), likes=9, comments=1),
    ]


@pytest.fixture
def rejects(tmp_path: Path) -> Path:
    return tmp_path / "rejects.jsonl"


def read_rejects(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_sample_builds_the_documented_graph(clean_db: Driver, rejects: Path) -> None:
    summary = ingest(clean_db, sample(), rejects)
    assert summary.written == {
        "scrapes": 1,
        "users": 2,
        "posts": 3,
        "follows": 2,
        "likes": 1,
        "comments": 0,
        "observations": 1,
    }
    assert summary.rejected == 0 and not rejects.exists()
    assert summary.files == 1
    alice = db.read(clean_db, "MATCH (u:User {id: 'alice'}) RETURN u")[0]["u"]
    assert dict(alice) == {
        "id": "alice",
        "username": "Alice",
        "platformId": "101",
        "fullName": "Alice A",
        "followers": 5000,
        "following": 10,
        "postsCount": 2,
        "verified": True,
        "private": False,
        "language": "en",
        "country": "FR",
        "biography": "climber",
        "category": "Athlete",
    }
    p1 = dict(db.read(clean_db, "MATCH (p:Post {id: 'p1'}) RETURN p")[0]["p"])
    assert p1["likes"] == 100 and p1["comments"] == 4 and p1["type"] == "image" and p1["width"] == 1080
    assert p1["postedAt"].to_native() == T0 - timedelta(days=1)
    assert p1["lastObservedAt"].to_native() == T0
    # every relationship type of the model, with its endpoints
    expected = {
        ("alice", "POSTED", "p1"),
        ("alice", "POSTED", "p2"),
        ("bob", "POSTED", "p3"),
        ("bob", "POSTED", "p1"),  # co-author
        ("p1", "TAGGED", "climbing"),
        ("p1", "TAGGED", "alps"),
        ("p2", "TAGGED", "alps"),
        ("p1", "MENTIONS", "bob"),
        ("p1", "FEATURES", "carol"),
        ("p1", "AT", "42"),
        ("42", "IN", "FR"),
        ("bob", "FOLLOWS", "alice"),
        ("carol", "FOLLOWS", "alice"),
        ("bob", "LIKED", "p1"),
        ("alice", "SPEAKS", "en"),
        ("alice", "IN", "FR"),
        ("p1", "HAS_OBSERVATION", observation_id("p1", T0)),
        ("p2", "HAS_OBSERVATION", observation_id("p2", T0)),
        ("p3", "HAS_OBSERVATION", observation_id("p3", T0)),
        ("p2", "HAS_OBSERVATION", observation_id("p2", T0 + timedelta(hours=1))),
        ("alice", "FROM_SCRAPE", "s1"),
        ("bob", "FROM_SCRAPE", "s1"),
        ("p1", "FROM_SCRAPE", "s1"),
        ("p2", "FROM_SCRAPE", "s1"),
        ("p3", "FROM_SCRAPE", "s1"),
    }
    rels = db.read(
        clean_db,
        "MATCH (a)-[r]->(b) RETURN coalesce(a.id, a.name, a.code) AS a, type(r) AS t, coalesce(b.id, b.name, b.code) AS b",
    )
    assert {(r["a"], r["t"], r["b"]) for r in rels} == expected
    assert len(rels) == len(expected)
    coauthor = db.read(
        clean_db, "MATCH (:User {id: 'bob'})-[r:POSTED]->(:Post {id: 'p1'}) RETURN r.coauthor AS c"
    )
    assert coauthor[0]["c"] is True
    assert (
        db.read(clean_db, "MATCH (:User {id: 'carol'})-[f:FOLLOWS]->() RETURN f.weight AS w")[0]["w"] == 2.5
    )
    # the stub made for a mentioned-only user has its key and nothing else
    carol = db.read(clean_db, "MATCH (u:User {id: 'carol'}) RETURN properties(u) AS p")[0]["p"]
    assert carol == {"id": "carol"}
    scrape = db.read(clean_db, "MATCH (s:Scrape {id: 's1'}) RETURN properties(s) AS p")[0]["p"]
    assert scrape["source"] == "sample" and scrape["tool"] == "pytest" and scrape["path"] == "/data/s1"
    loc = db.read(clean_db, "MATCH (l:Location {id: '42'}) RETURN l.name AS n, l.slug AS s")[0]
    assert (loc["n"], loc["s"]) == ("Chamonix", "chamonix")
    # the later ObservationRecord moved p2's latest counts; comments came with it
    p2 = db.read(
        clean_db, "MATCH (p:Post {id: 'p2'}) RETURN p.likes AS l, p.comments AS c, p.lastObservedAt AS t"
    )[0]
    assert (p2["l"], p2["c"], p2["t"].to_native()) == (9, 1, T0 + timedelta(hours=1))


def test_reloading_the_same_input_changes_nothing(clean_db: Driver, rejects: Path) -> None:
    ingest(clean_db, sample(), rejects)
    before = snapshot(clean_db)
    again = ingest(clean_db, sample(), rejects)
    assert again.nodes_created == 0 and again.relationships_created == 0
    assert snapshot(clean_db) == before


def test_a_newer_scrape_updates_counts_and_adds_one_observation(clean_db: Driver, rejects: Path) -> None:
    ingest(clean_db, sample("s1", T0, likes=100), rejects)
    obs = "MATCH (:Post {id: 'p1'})-[:HAS_OBSERVATION]->(o) RETURN count(o)"
    assert count(clean_db, obs) == 1
    later = T0 + timedelta(hours=6)
    ingest(clean_db, sample("s2", later, likes=250), rejects)
    p1 = db.read(clean_db, "MATCH (p:Post {id: 'p1'}) RETURN p.likes AS l, p.lastObservedAt AS t")[0]
    assert p1["l"] == 250 and p1["t"].to_native() == later
    assert count(clean_db, obs) == 2
    series = db.read(
        clean_db, "MATCH (:Post {id: 'p1'})-[:HAS_OBSERVATION]->(o) RETURN o.likes AS l ORDER BY o.at"
    )
    assert [r["l"] for r in series] == [100, 250]
    # both scrapes are recorded as provenance of the post
    assert count(clean_db, "MATCH (:Post {id: 'p1'})-[:FROM_SCRAPE]->(s) RETURN count(s)") == 2


def test_an_older_scrape_loaded_later_does_not_regress_counts(clean_db: Driver, rejects: Path) -> None:
    later = T0 + timedelta(hours=6)
    ingest(clean_db, sample("s2", later, likes=250), rejects)
    ingest(clean_db, sample("s1", T0, likes=100), rejects)
    p1 = db.read(clean_db, "MATCH (p:Post {id: 'p1'}) RETURN p.likes AS l, p.lastObservedAt AS t")[0]
    assert p1["l"] == 250 and p1["t"].to_native() == later
    # ... but its observation is kept in the time series
    assert count(clean_db, "MATCH (:Post {id: 'p1'})-[:HAS_OBSERVATION]->(o) RETURN count(o)") == 2


def test_nulls_never_erase_known_values(clean_db: Driver, rejects: Path) -> None:
    ingest(clean_db, sample(), rejects)
    sparse: list[Record] = [
        UserRecord("alice", followers=6000),
        PostRecord("p1", author="alice"),  # untimed, no counts
        PostRecord("p3", likes=5),  # untimed counts never override timed ones
        FollowRecord("carol", "alice"),  # no weight
    ]
    ingest(clean_db, sparse, rejects)
    alice = db.read(clean_db, "MATCH (u:User {id: 'alice'}) RETURN u")[0]["u"]
    assert alice["followers"] == 6000 and alice["fullName"] == "Alice A" and alice["verified"] is True
    p1 = db.read(clean_db, "MATCH (p:Post {id: 'p1'}) RETURN p")[0]["p"]
    assert p1["caption"].startswith("Summit!") and p1["likes"] == 100
    p3 = db.read(clean_db, "MATCH (p:Post {id: 'p3'}) RETURN p")[0]["p"]
    assert p3["views"] == 900 and p3.get("likes") is None
    assert (
        db.read(clean_db, "MATCH (:User {id: 'carol'})-[f:FOLLOWS]->() RETURN f.weight AS w")[0]["w"] == 2.5
    )


def test_untimed_counts_fill_in_a_post_without_observations(clean_db: Driver, rejects: Path) -> None:
    ingest(clean_db, [PostRecord("q", author="x", likes=3)], rejects)
    ingest(clean_db, [PostRecord("q", author="x", likes=4)], rejects)
    assert count(clean_db, "MATCH (p:Post {id: 'q'}) RETURN p.likes") == 4
    assert count(clean_db, "MATCH (o:Observation) RETURN count(o)") == 0


def shuffled_observations(seed: int) -> list[Record]:
    rng = random.Random(seed)
    obs: list[Record] = [
        ObservationRecord(f"r{p}", T0 + timedelta(hours=h), likes=10 * h + p, comments=h)
        for p in range(5)
        for h in range(8)
    ]
    rng.shuffle(obs)
    return obs


@pytest.mark.parametrize("batch_size", [1, 7, 1000])
def test_observations_in_any_order_and_batching_end_at_the_latest(
    clean_db: Driver, rejects: Path, batch_size: int
) -> None:
    summary = ingest(clean_db, shuffled_observations(batch_size), rejects, batch_size=batch_size)
    assert summary.written["observations"] == 40
    rows = db.read(
        clean_db, "MATCH (p:Post) RETURN p.id AS id, p.likes AS l, p.comments AS c, p.lastObservedAt AS t"
    )
    assert {r["id"]: (r["l"], r["c"], r["t"].to_native()) for r in rows} == {
        f"r{p}": (70 + p, 7, T0 + timedelta(hours=7)) for p in range(5)
    }
    assert count(clean_db, "MATCH (:Post)-[:HAS_OBSERVATION]->(o:Observation) RETURN count(o)") == 40


def test_batch_size_does_not_change_the_graph(clean_db: Driver, rejects: Path) -> None:
    records = sample() + sample("s2", T0 + timedelta(hours=2), likes=120)
    ingest(clean_db, records, rejects, batch_size=1000)
    big = snapshot(clean_db)
    db.reset(clean_db)
    ingest(clean_db, records, rejects, batch_size=1)
    assert snapshot(clean_db) == big


def test_rejects_carry_source_position_reason_and_raw(clean_db: Driver, rejects: Path) -> None:
    records: list[Record] = [
        ScrapeRecord("s", "sample", path="/data/in.json"),
        UserRecord(""),
        PostRecord("  "),
        PostRecord("ok", author="a", likes="lots"),  # type: ignore[arg-type]
        FollowRecord("a", ""),
        ObservationRecord("ok", None, likes=1),  # type: ignore[arg-type]
        ObservationRecord("ok", T0),
        LikeRecord("", "ok"),
        Reject(
            "/data/other.json", "$[3]", "not a date: 'soon'", {"when": "soon", "blob": b"\xff\xfe", "t": T0}
        ),
        PostRecord("fine", author="a", hashtags=["ok"]),
    ]
    summary = ingest(clean_db, records, rejects)
    assert summary.written["posts"] == 1 and summary.usable
    lines = read_rejects(rejects)
    assert summary.rejected == len(lines) == 8
    assert [ln["position"] for ln in lines] == ["1", "2", "3", "4", "5", "6", "7", "$[3]"]
    assert all(ln["source"] == "/data/in.json" for ln in lines[:7])
    assert lines[7]["source"] == "/data/other.json"
    assert lines[7]["raw"] == {"when": "soon", "blob": "\ufffd\ufffd", "t": T0.isoformat()}
    assert lines[2]["raw"]["likes"] == "lots" and "likes" in lines[2]["reason"]
    assert "followed is empty" in lines[3]["reason"]
    assert summary.reasons["missing key"] == 5
    assert summary.reasons["empty observation"] == 1
    assert summary.files == 2
    # nothing of the rejected records reached the graph
    assert count(clean_db, "MATCH (p:Post) RETURN count(p)") == 1
    # a second load appends
    ingest(clean_db, [UserRecord("")], rejects)
    assert len(read_rejects(rejects)) == 9


def test_conflicting_authors_keep_the_first_and_reject_the_rest(clean_db: Driver, rejects: Path) -> None:
    records: list[Record] = [
        PostRecord("x", author="alice", likes=1, observed_at=T0),
        PostRecord("x", author="mallory", likes=999, observed_at=T0 + timedelta(hours=1)),  # same load
        PostRecord("x", author="alice", likes=2, observed_at=T0 + timedelta(hours=2)),  # consistent: fine
    ]
    summary = ingest(clean_db, records, rejects)
    assert summary.written["posts"] == 2 and summary.rejected == 1
    assert summary.reasons["conflicting author"] == 1
    assert read_rejects(rejects)[0]["raw"]["author"] == "mallory"
    # a later load is checked against the stored author too
    again = ingest(
        clean_db, [PostRecord("x", author="eve", likes=5, observed_at=T0 + timedelta(hours=3))], rejects
    )
    assert again.rejected == 1 and again.written["posts"] == 0 and not again.usable
    x = db.read(clean_db, "MATCH (p:Post {id: 'x'}) RETURN p.likes AS l")[0]
    assert x["l"] == 2
    assert [r["a"] for r in db.read(clean_db, "MATCH (a)-[:POSTED]->(:Post {id: 'x'}) RETURN a.id AS a")] == [
        "alice"
    ]
    assert count(clean_db, "MATCH (o:Observation) RETURN count(o)") == 2


def test_extra_properties_are_validated(clean_db: Driver, rejects: Path) -> None:
    extra = {
        "party": "D",
        "seat_2024": 3,
        "tags": ["a", "b"],
        "bad key": 1,
        "followers": 10**9,
        "nested": {"a": 1},
        "missing": None,
        "x'}) DETACH DELETE n //": 1,
    }
    summary = ingest(clean_db, [UserRecord("u", followers=5, extra=extra)], rejects)
    assert summary.written["users"] == 1
    u = db.read(clean_db, "MATCH (u:User {id: 'u'}) RETURN properties(u) AS p")[0]["p"]
    assert u == {"id": "u", "followers": 5, "party": "D", "seat_2024": 3, "tags": ["a", "b"]}
    reasons = sorted(r["reason"] for r in read_rejects(rejects))
    assert len(reasons) == 4 and all(r.startswith("extra property dropped") for r in reasons)


def test_injection_attempts_are_stored_as_text(clean_db: Driver, rejects: Path) -> None:
    evil = "x'}) DETACH DELETE n //"
    evil2 = 'y"}) MATCH (m) DETACH DELETE m RETURN 1 //'
    ingest(clean_db, sample(), rejects)
    before = count(clean_db, "MATCH (n) RETURN count(n)")
    ingest(
        clean_db,
        [
            UserRecord(evil, username=evil, full_name=evil2, extra={"note": evil}),
            PostRecord(
                evil2, author=evil, caption=evil, hashtags=[evil], mentions=[evil2], location_name=evil
            ),
            FollowRecord(evil, evil2),
        ],
        rejects,
    )
    # new nodes: the user, the post, the mentioned user, the hashtag, the location
    assert count(clean_db, "MATCH (n) RETURN count(n)") == before + 5
    assert (
        count(
            clean_db,
            "MATCH (u:User {id: $id}) WHERE u.username = $id AND u.note = $id RETURN count(u)",
            id=evil,
        )
        == 1
    )
    assert count(clean_db, "MATCH (h:Hashtag {name: $n}) RETURN count(h)", n=evil.lower()) == 1
    assert (
        count(
            clean_db, "MATCH (:User {id: $a})-[:FOLLOWS]->(:User {id: $b}) RETURN count(*)", a=evil, b=evil2
        )
        == 1
    )


def test_empty_input_is_not_usable(clean_db: Driver, rejects: Path) -> None:
    summary = ingest(clean_db, iter([]), rejects)
    assert summary.records == 0 and not summary.usable


def test_summary_rows_render(clean_db: Driver, rejects: Path) -> None:
    summary = ingest(clean_db, sample() + [UserRecord("")], rejects)
    rows = {r["item"]: r["value"] for r in summary.rows()}
    assert rows["posts written"] == 3 and rows["rejected"] == 1 and rows["  rejected: missing key"] == 1
    assert rows["rejects file"] == str(rejects)
    assert summary.records_per_second > 0


def generated(n_posts: int, seed: int = 7) -> Iterator[Record]:
    rng = random.Random(seed)
    yield ScrapeRecord("gen", "sample", path="/gen")
    for u in range(n_posts // 10):
        yield UserRecord(f"u{u}", followers=rng.randrange(10_000))
    for p in range(n_posts):
        yield PostRecord(
            f"g{p}",
            author=f"u{p % (n_posts // 10)}",
            likes=rng.randrange(1000),
            observed_at=T0,
            hashtags=[f"t{rng.randrange(50)}" for _ in range(3)],
        )
        yield FollowRecord(f"u{rng.randrange(n_posts // 10)}", f"u{p % (n_posts // 10)}")


def test_streaming_input_is_consumed_lazily(clean_db: Driver, rejects: Path) -> None:
    # a generator is read once, batch by batch; the counts match what was generated
    summary: LoadSummary = ingest(clean_db, generated(3000), rejects, batch_size=500)
    assert summary.written["posts"] == 3000 and summary.written["users"] == 300
    assert count(clean_db, "MATCH (p:Post) RETURN count(p)") == 3000
    assert count(clean_db, "MATCH (:Post)-[:TAGGED]->(h:Hashtag) RETURN count(DISTINCT h)") <= 50


def test_safe_extra_and_observation_id_units() -> None:
    safe, dropped = safe_extra({"ok": 1.5, "1bad": 1, "id": "x", "mixed": [1, "a"], "nan": float("nan")})
    assert safe == {"ok": 1.5} and len(dropped) == 4
    assert observation_id("p", datetime(2024, 1, 1, 13, tzinfo=UTC)) == "p@2024-01-01T13:00:00Z"


@pytest.mark.parametrize("how", ["restart", "crash"])
def test_an_interrupted_load_is_finished_by_running_it_again(
    clean_db: Driver, server: ManagedServer, test_settings: Settings, tmp_path: Path, how: str
) -> None:
    n_posts = 20_000
    # a driver that gives up quickly, so the interrupted load fails instead of waiting 30 s
    driver = GraphDatabase.driver(
        server.bolt_uri, auth=("neo4j", server.password()), max_transaction_retry_time=1.0
    )
    started = threading.Event()
    failure: list[BaseException] = []

    def load() -> None:
        try:
            ingest(
                driver,
                generated(n_posts),
                tmp_path / "r.jsonl",
                batch_size=500,
                progress=lambda _: started.set(),
            )
        except BaseException as e:
            failure.append(e)

    thread = threading.Thread(target=load)
    thread.start()
    assert started.wait(120), "the load never reported progress"
    # interrupt only once some posts are committed (on a busy machine the first progress line
    # can come before the first post batch)
    deadline = time.monotonic() + 120
    while count(clean_db, "MATCH (p:Post) RETURN count(p)") == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    if how == "restart":
        server.stop()
    else:
        pid = server.pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        while server.pid() is not None:
            time.sleep(0.2)
    thread.join(300)
    driver.close()
    server.start()
    assert failure and isinstance(failure[0], ConnectionFailed | QueryError), failure
    with db.connect(test_settings) as fresh:
        partial = count(fresh, "MATCH (p:Post) RETURN count(p)")
        assert 0 < partial < n_posts, "the load was not interrupted midway"
        summary = ingest(fresh, generated(n_posts), tmp_path / "r.jsonl", batch_size=500)
        assert summary.rejected == 0
        resumed = snapshot(fresh)
        db.reset(fresh)
        ingest(fresh, generated(n_posts), tmp_path / "r.jsonl")
        assert resumed == snapshot(fresh)
        assert count(fresh, "MATCH (p:Post) RETURN count(p)") == n_posts
