"""A small generated graph for the predictor's integration tests, written through the real loader.

Authors post regularly over two months. About one post in twelve is *planted viral*: it is a
video tagged ``#boom`` with an exclamation in its caption, and it gets ~15× its author's usual
engagement. Everything the model may learn from is visible in the graph (post type, hashtag,
caption); the baselines (followers, the author's median) cannot tell planted posts apart.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from neo4j import Driver

from influence.ingest import ingest
from influence.loaders.records import ObservationRecord, PostRecord, Record, UserRecord

START = datetime(2024, 1, 1, tzinfo=UTC)
PLANTED_TAG = "boom"
COUNTRIES = ("US", "DE", "BR")  # author i lives in COUNTRIES[i % 3]


def records(n_authors: int = 30, posts_per_author: int = 20, seed: int = 7) -> tuple[list[Record], set[str]]:
    """The records of the graph, and the ids of the planted viral posts."""
    rng = np.random.default_rng(seed)
    out: list[Record] = []
    planted: set[str] = set()
    common = ["food", "travel", "style", "fit", "art", "music", "dog", "city"]
    for a in range(n_authors):
        author = f"author{a:03d}"
        followers = int(10 ** rng.uniform(3, 6))
        out.append(
            UserRecord(
                id=author,
                username=author,
                followers=followers,
                following=int(rng.integers(50, 900)),
                posts_count=posts_per_author,
                verified=bool(a % 7 == 0),
                country=COUNTRIES[a % len(COUNTRIES)],
            )
        )
        for k in range(posts_per_author):
            pid = f"p{a:03d}x{k:03d}"
            posted = START + timedelta(hours=float(rng.uniform(0, 60 * 24)))
            viral = rng.random() < 1 / 12
            tags = list(rng.choice(common, size=2, replace=False))
            if viral:
                tags.append(PLANTED_TAG)
                planted.add(pid)
            caption = ("Big news today!! " if viral else "a quiet post about ") + " ".join(
                f"#{t}" for t in tags
            )
            base = followers * 0.02 * float(np.exp(rng.normal(0, 0.3)))
            final = base * (15.0 if viral else 1.0)
            early_share = 0.25 * float(np.exp(rng.normal(0, 0.1)))
            out.append(
                PostRecord(
                    id=pid,
                    author=author,
                    type="video"
                    if viral
                    else str(rng.choice(["image", "carousel", "video"], p=[0.6, 0.3, 0.1])),
                    caption=caption,
                    posted_at=posted,
                    hashtags=tags,
                    likes=int(final),
                    comments=int(final * 0.05),
                    observed_at=posted + timedelta(hours=48),
                )
            )
            out.append(
                ObservationRecord(
                    post=pid,
                    at=posted + timedelta(hours=1),
                    likes=int(final * early_share),
                    comments=int(final * early_share * 0.05),
                )
            )
    return out, planted


def build(driver: Driver, tmp: Path, **kwargs: int) -> set[str]:
    """Load the generated graph into ``driver``'s (emptied) database; return the planted ids."""
    recs, planted = records(**kwargs)
    summary = ingest(driver, recs, tmp / "rejects.jsonl")
    assert summary.rejected == 0
    return planted
