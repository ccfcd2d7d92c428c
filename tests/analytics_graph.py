"""A small seeded Instagram-like graph with planted structure, written with Cypher (UNWIND).

Used by the analytics tests until (and besides) the sample generator: 3 communities of 20 users,
one planted influencer per community (followed by nearly everyone), community hashtags and
languages, posts observed twice, and planted viral posts (20× the author's usual engagement).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from neo4j import Driver

from influence import db

START = datetime(2024, 3, 1, tzinfo=UTC)


@dataclass
class Planted:
    community_of: dict[str, int] = field(default_factory=dict)
    influencers: list[str] = field(default_factory=list)
    viral_posts: list[str] = field(default_factory=list)
    post_tags: dict[str, list[str]] = field(default_factory=dict)


def build(driver: Driver, seed: int = 7, communities: int = 3, size: int = 20) -> Planted:
    """Write the graph into an empty database and return what was planted."""
    rnd = random.Random(seed)
    planted = Planted()
    users, follows, posts, observations, likes = [], [], [], [], []
    langs = ["en", "es", "de", "fr", "it"]
    for c in range(communities):
        for i in range(size):
            uid = f"c{c}u{i}"
            planted.community_of[uid] = c
            is_influencer = i == 0
            if is_influencer:
                planted.influencers.append(uid)
            followers = rnd.randint(200_000, 400_000) if is_influencer else rnd.randint(500, 20_000)
            users.append(
                {
                    "id": uid,
                    "username": uid.upper(),
                    "followers": followers,
                    "language": langs[c % len(langs)],
                }
            )
    ids = list(planted.community_of)
    for a in ids:
        for b in ids:
            if a == b:
                continue
            same = planted.community_of[a] == planted.community_of[b]
            p = (0.95 if same else 0.15) if b in planted.influencers else (0.3 if same else 0.01)
            if rnd.random() < p:
                follows.append({"a": a, "b": b})
    for uid in ids:
        c = planted.community_of[uid]
        base = rnd.uniform(50, 200)
        pool = [f"topic{c}_{k}" for k in range(5)]
        n_posts = 6
        viral_k = rnd.randrange(n_posts) if (uid.endswith("u3") or uid.endswith("u7")) else -1
        for k in range(n_posts):
            pid = f"{uid}p{k}"
            tags = rnd.sample(pool, 2) + (["everyone"] if rnd.random() < 0.3 else [])
            planted.post_tags[pid] = tags
            posted = START + timedelta(days=2 * k, hours=rnd.randint(0, 12))
            mult = 20.0 if k == viral_k else rnd.uniform(0.8, 1.25)
            if k == viral_k:
                planted.viral_posts.append(pid)
            final = base * mult
            obs = [
                {
                    "id": f"{pid}@2",
                    "at": posted + timedelta(hours=2),
                    "likes": int(final * 0.2),
                    "comments": int(final * 0.02),
                },
                {
                    "id": f"{pid}@20",
                    "at": posted + timedelta(hours=20),
                    "likes": int(final),
                    "comments": int(final * 0.1),
                },
            ]
            posts.append(
                {
                    "id": pid,
                    "author": uid,
                    "postedAt": posted,
                    "tags": tags,
                    "likes": obs[-1]["likes"],
                    "comments": obs[-1]["comments"],
                    "last": obs[-1]["at"],
                }
            )
            observations.extend({**o, "post": pid} for o in obs)
            if k == 0:
                others = [x for x in ids if planted.community_of[x] == c and x != uid]
                likes.extend({"u": x, "p": pid} for x in rnd.sample(others, 3))
    db.write_batches(
        driver,
        """
        UNWIND $rows AS r MERGE (u:User {id: r.id})
        SET u.username = r.username, u.followers = r.followers, u.language = r.language
        MERGE (l:Language {code: r.language}) MERGE (u)-[:SPEAKS]->(l)""",
        users,
    )
    db.write_batches(
        driver,
        """
        UNWIND $rows AS r MATCH (a:User {id: r.a}) MATCH (b:User {id: r.b}) MERGE (a)-[:FOLLOWS]->(b)""",
        follows,
    )
    db.write_batches(
        driver,
        """
        UNWIND $rows AS r MATCH (u:User {id: r.author})
        MERGE (p:Post {id: r.id})
        SET p.postedAt = r.postedAt, p.likes = r.likes, p.comments = r.comments, p.lastObservedAt = r.last
        MERGE (u)-[:POSTED]->(p)
        FOREACH (t IN r.tags | MERGE (h:Hashtag {name: t}) MERGE (p)-[:TAGGED]->(h))""",
        posts,
    )
    db.write_batches(
        driver,
        """
        UNWIND $rows AS r MATCH (p:Post {id: r.post})
        MERGE (o:Observation {id: r.id}) SET o.at = r.at, o.likes = r.likes, o.comments = r.comments
        MERGE (p)-[:HAS_OBSERVATION]->(o)""",
        observations,
    )
    db.write_batches(
        driver,
        """
        UNWIND $rows AS r MATCH (u:User {id: r.u}) MATCH (p:Post {id: r.p}) MERGE (u)-[:LIKED]->(p)""",
        likes,
    )
    # one mention and one photo tag, to check INTERACTS weights
    db.write(
        driver,
        """
        MATCH (p:Post {id: 'c0u1p0'}), (b:User {id: 'c0u2'}) MERGE (p)-[:MENTIONS]->(b)
        WITH p MATCH (c:User {id: 'c0u5'}) MERGE (p)-[:FEATURES]->(c)""",
    )
    return planted
