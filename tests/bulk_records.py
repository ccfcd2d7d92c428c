"""The records both bulk-import test files load: users referenced before and after their full
record, duplicates, extras, a conflicting author, a reject."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def records() -> list[Record]:
    """A first load: users referenced before and after their full record, duplicates, extras."""
    return [
        ScrapeRecord("s1", "sample", tool="pytest", started_at=T0, path="/data/s1"),
        PostRecord(
            "p1",
            author="alice",
            caption='line one\nline "two", three',
            posted_at=T0 - timedelta(days=1),
            observed_at=T0,
            likes=100,
            comments=4,
            hashtags=["climbing", "alps"],
            mentions=["bob"],
            features=["carol"],
            coauthors=["bob"],
            location_id="42",
            location_name="Chamonix",
            country="FR",
            type="image",
        ),
        UserRecord(
            "alice",
            username="Alice",
            followers=5000,
            verified=True,
            language="en",
            country="FR",
            extra={"party": "D", "seat": 3, "score": 1.5, "tags": ["a", "b"]},
        ),
        UserRecord("bob", username="bob", followers=20, extra={"seat": 4}),
        UserRecord("alice", username="ALICE-duplicate"),  # a later record of the same user
        PostRecord("p2", author="alice", hashtags=["alps"], posted_at=T0, observed_at=T0, likes=7),
        PostRecord("p2", author="mallory", likes=1),  # conflicting author: rejected
        FollowRecord("bob", "alice"),
        FollowRecord("bob", "alice"),  # duplicate edge
        FollowRecord("carol", "alice", weight=2.5),
        FollowRecord("dave", ""),  # no followed: rejected
        LikeRecord("bob", "p1"),
        LikeRecord("erin", "p9"),  # both only referenced: stubs
        ObservationRecord("p1", T0 - timedelta(hours=1), likes=80),
        Reject("/data/s1/bad.json", "$[0]", "not JSON: truncated", "{"),
    ]
