"""A small graph for the HTML report tests: loaded through the real ingest, analytics written back.

Two communities of five accounts each (who follow each other), hashtags that co-occur, one viral post per community,
and hostile text (HTML, a ``javascript:`` URL, a ``$`` that would switch matplotlib to math mode)
in the places where scraped data shows up in the report.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from neo4j import Driver

from influence import db
from influence.ingest import ingest
from influence.loaders.records import FollowRecord, PostRecord, Record, ScrapeRecord, UserRecord

HOSTILE_USER = 'x<script>alert("u")</script>'
HOSTILE_CAPTION = "Win <img src=x onerror=alert(1)> now! cost $5 and $$ #sale"
HOSTILE_URL = "javascript:alert(2)"
#: A draft caption longer than a table cell, with an unbroken run (a link) that must wrap too.
LONG_CAPTION = (
    "https://shop.example.com/"
    + "x" * 90
    + " Our biggest summer drop yet: "
    + "sunny colours, linen and sandals " * 8
    + "#summer #sale"
)
START = datetime(2024, 3, 1, 12, tzinfo=UTC)
SCRAPED = datetime(2024, 3, 20, 9, tzinfo=UTC)

TAGS = {0: ["travel", "beach", "sunset"], 1: ["food", "vegan", "recipe"]}


def records() -> list[Record]:
    """Users, posts and one scrape: the loader's own record types."""
    out: list[Record] = [ScrapeRecord(id="report-test", source="sample", tool="test", started_at=SCRAPED)]
    for i in range(10):
        name = HOSTILE_USER if i == 9 else f"user{i}"
        out.append(
            UserRecord(
                id=f"u{i}",
                username=name,
                full_name=f"User {i}",
                followers=1000 * (i + 1),
                following=10,
                verified=i == 0,
                language="en" if i < 5 else "de",
            )
        )
    for i in range(10):
        community = 0 if i < 5 else 1
        for k in range(4):
            hostile = i == 9 and k == 3
            tags = TAGS[community][: 1 + (k % 3)] + (["sale"] if hostile else [])
            out.append(
                PostRecord(
                    id=f"p{i}_{k}",
                    author=f"u{i}",
                    shortcode=f"p{i}_{k}",
                    url=HOSTILE_URL if hostile else f"https://www.instagram.com/p/p{i}_{k}/",
                    type="image",
                    caption=HOSTILE_CAPTION if hostile else f"Post {k} of user {i} #{tags[0]}",
                    posted_at=START + timedelta(days=i + k),
                    observed_at=SCRAPED,
                    likes=100 * (k + 1) + 10 * i,
                    comments=5 * k,
                    hashtags=tags,
                )
            )
    for i in range(10):  # everyone follows the others of its community (audiences for the overlap)
        out.extend(
            FollowRecord(follower=f"u{i}", followed=f"u{j}")
            for j in range(10)
            if j != i and (j < 5) == (i < 5)
        )
    return out


ANALYTICS = """
MATCH (u:User) WHERE u.id STARTS WITH 'u'
WITH u, toInteger(substring(u.id, 1)) AS i
SET u.pagerank = 1.0 + i * 0.1, u.community = CASE WHEN i < 5 THEN 0 ELSE 1 END,
    u.engagementRate = 0.01 + i * 0.002
WITH count(*) AS users
MATCH (h:Hashtag)
SET h.pagerank = CASE h.name WHEN 'travel' THEN 3.0 WHEN 'food' THEN 2.5 ELSE 1.0 END,
    h.community = CASE WHEN h.name IN ['travel', 'beach', 'sunset'] THEN 0 ELSE 1 END,
    h.communitySpread = CASE h.name WHEN 'sale' THEN 1 ELSE 1 END
WITH count(*) AS tags
MATCH (a:Hashtag)<-[:TAGGED]-(p:Post)-[:TAGGED]->(b:Hashtag) WHERE a.name < b.name
WITH a, b, count(p) AS n
MERGE (a)-[c:CO_OCCURS]->(b) SET c.count = n, c.weight = toFloat(n)
WITH count(*) AS edges
MATCH (p:Post)
WITH p, toInteger(split(substring(p.id, 1), '_')[0]) AS i, toInteger(split(p.id, '_')[1]) AS k
SET p.velocity = CASE WHEN k = 3 AND i IN [2, 9] THEN 400.0 ELSE 5.0 + k * 5.0 END,
    p.viralScore = CASE WHEN k = 3 AND i IN [2, 9] THEN 40.0 ELSE 1.0 END,
    p.isViral = (k = 3 AND i IN [2, 9])
"""


def load(driver: Driver, tmp: Path, analysed: bool = True) -> None:
    """Load the records into the (clean) test database and, if ``analysed``, write analytics results."""
    summary = ingest(driver, records(), tmp / "rejects.jsonl")
    assert summary.rejected == 0, summary.reasons
    if analysed:
        db.write(driver, ANALYTICS)


def predictions_file(path: Path) -> Path:
    """Scored drafts as ``influence predict --format json`` writes them (``Prediction.as_dict``):
    one safe, one not, one failed. Their captions are in :func:`drafts_file`."""
    from influence.models.predict import Prediction

    rows = [
        Prediction(
            "draft-1",
            basis="known_author",
            viral_probability=0.82,
            predicted=140.5,
            up=["number of hashtags (+0.41)", "posting hour (+0.12)"],
            down=["caption length (−0.08)"],
            safe=True,
        ),
        Prediction(
            "draft-2 <b>bold</b>",
            basis="new_author",
            viral_probability=0.91,
            predicted=310.0,
            up=["followers (+0.30)"],
            safe=False,
            flags=["offensive_language:0.97", "negative_sentiment:-0.90", "blocked_hashtag:nsfw"],
        ),
        Prediction("draft-3", error="caption is empty"),
    ]
    path.write_text(json.dumps([r.as_dict() for r in rows]), encoding="utf-8")
    return path


def drafts_file(path: Path) -> Path:
    """The drafts :func:`predictions_file` scored (id, author, caption), as a CSV."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "author", "caption"])
        w.writerow(["draft-1", "@sarah.fitness", "Leg day, who is in?"])
        w.writerow(["draft-2 <b>bold</b>", "@new.brand", LONG_CAPTION])
        w.writerow(["draft-3", "@sarah.fitness", ""])
    return path


def trained_model(directory: Path) -> Path:
    """A real (tiny) model folder: trained by the predictor's trainer, saved, with its model card."""
    import numpy as np
    import pandas as pd

    from influence.models import store
    from influence.models.card import write_model_card
    from influence.models.train import train_models

    rng = np.random.default_rng(0)
    n = 240
    quality = rng.normal(size=n)
    followers = rng.integers(100, 100_000, size=n)
    target = np.log1p(np.exp(quality + 0.3 * rng.normal(size=n)) * 10)
    frame = pd.DataFrame(
        {
            "id": [f"t{i}" for i in range(n)],
            "posted_at": 1.7e9 + np.arange(n) * 3600.0,
            "author": [f"a{i % 12}" for i in range(n)],
            "target": target,
            "viral": (quality > 0.8).astype(float),
            "followers": followers,
            "engagement_log": target + 1,
            "author_past_median": target.mean() + 0.1 * rng.normal(size=n),
            "author_past_posts": np.arange(n) // 12,
            "quality": quality,
            "noise": rng.normal(size=n),
        }
    ).set_index("id")
    result = train_models(frame, ["quality", "noise", "followers"])
    meta = store.ModelMeta(
        mode="pre",
        target="engagement",
        target_reason="test model",
        evaluation=result.evaluation,
        importance=result.importance,
        splits=result.splits,
        split=result.splits["known_author"]["time"],
        verdicts=result.verdicts,
        calibration={k: dict(v) for k, v in result.calibration.items()},
        warnings=list(result.warnings),
    )
    store.save(directory, result.models, meta)
    write_model_card(directory, store.load(directory).meta, result.test)
    return directory
