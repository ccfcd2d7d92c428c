"""Every graph read of the virality predictor: read-only Cypher in batches of ids, returning
plain DataFrames (the ``cypher/models/features_*.cypher`` files say what each row holds).

Nothing here computes a feature; :mod:`influence.models.features` and
:mod:`influence.models.history` turn these frames into features, the same way for training and
scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from neo4j import READ_ACCESS, Driver

from influence import cypher, db
from influence.errors import ModelError

BATCH = 5000
POST_COLUMNS = [
    "id",
    "author",
    "postedAt",
    "caption",
    "type",
    "carouselSize",
    "language",
    "mediaPath",
    "likes",
    "comments",
    "views",
    "shares",
    "hashtags",
    "mentions",
    "country",
]
AUTHOR_COLUMNS = [
    "id",
    "followers",
    "following",
    "postsCount",
    "verified",
    "pagerank",
    "communitySize",
    "embedding",
    "embeddingVersion",
    "community",
    "country",
]
HASHTAG_COLUMNS = ["name", "uses", "pagerank", "communitySpread"]
OBSERVATION_COLUMNS = ["post", "at", "likes", "comments", "views", "shares"]
HISTORY_COLUMNS = [
    "author",
    "post",
    "postedAt",
    "likes",
    "comments",
    "views",
    "shares",
    "caption_length",
    "type",
    "hashtags",
]


def _read(
    driver: Driver, query: str, params: Mapping[str, Any], database: str | None
) -> list[dict[str, Any]]:
    # Analytics properties are optional; the "property key does not exist" notifications that
    # would cause are switched off for every driver by `db.connect`.
    # the one driver-error translation: a server stopped mid-read is an `Error:` saying what to do
    with (
        db.translated("the model's graph read"),
        driver.session(database=database, default_access_mode=READ_ACCESS) as session,
    ):

        def work(tx: Any) -> list[dict[str, Any]]:
            result = tx.run(query, dict(params))
            keys = list(result.keys())
            return [dict(zip(keys, row, strict=True)) for row in result.values()]

        return session.execute_read(work)


def _read_batched(
    driver: Driver, name: str, key: str, values: Iterable[Any], columns: list[str], database: str | None
) -> pd.DataFrame:
    query = cypher.load(name)
    rows: list[dict[str, Any]] = []
    for chunk in db.batched(list(dict.fromkeys(v for v in values if v is not None)), BATCH):
        rows.extend(_read(driver, query, {key: chunk}, database))
    return pd.DataFrame(rows, columns=columns)


def read_post_ids(driver: Driver, database: str | None = None) -> list[str]:
    """Ids of every post with a publication time, oldest first."""
    return [r["id"] for r in _read(driver, cypher.load("features_post_ids"), {}, database)]


def read_posts(driver: Driver, ids: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Raw post rows (see ``features_posts.cypher``) for ``ids``; unknown ids are absent."""
    return _read_batched(driver, "features_posts", "ids", ids, POST_COLUMNS, database)


def read_authors(driver: Driver, ids: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Author rows (see ``features_authors.cypher``) for the user ``ids`` in the graph."""
    return _read_batched(driver, "features_authors", "ids", ids, AUTHOR_COLUMNS, database)


def read_hashtags(driver: Driver, names: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Hashtag rows (see ``features_hashtags.cypher``) for the ``names`` in the graph."""
    return _read_batched(driver, "features_hashtags", "names", names, HASHTAG_COLUMNS, database)


def read_observations(driver: Driver, ids: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Observation rows (post, at in epoch seconds, counts) of the posts ``ids``."""
    return _read_batched(driver, "features_observations", "ids", ids, OBSERVATION_COLUMNS, database)


def read_author_history(driver: Driver, ids: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Every dated post of the authors ``ids`` with its latest counts, caption length, type and
    hashtags (one row per post, :data:`HISTORY_COLUMNS`; a missing count is NaN)."""
    # one record per author with parallel lists: far fewer records to decode than one per post
    packed = _read_batched(
        driver,
        "features_author_history",
        "ids",
        ids,
        [
            "author",
            "posts",
            "postedAt",
            "likes",
            "comments",
            "views",
            "shares",
            "captionLength",
            "type",
            "hashtags",
        ],
        database,
    )
    if packed.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    lengths = packed["posts"].map(len).to_numpy()
    for column in ("postedAt", "likes", "comments", "views", "shares", "captionLength", "type", "hashtags"):
        # collect() skips nulls: a column with a null would shift every later post of its author
        if not np.array_equal(packed[column].map(len).to_numpy(), lengths):
            raise ModelError(
                f"features_author_history returned {column} lists of another length than the posts "
                "(a null value was collected) — a bug: report it with the query file"
            )
    out = pd.DataFrame(
        {
            "author": np.repeat(packed["author"].to_numpy(), lengths),
            "post": np.concatenate(packed["posts"].to_numpy()),
        }
    )
    out["postedAt"] = np.concatenate(packed["postedAt"].to_numpy()).astype(float)
    for metric in ("likes", "comments", "views", "shares"):
        values = np.concatenate(packed[metric].to_numpy()).astype(float)
        out[metric] = np.where(values < 0, np.nan, values)  # -1 stands for a missing count
    out["caption_length"] = np.concatenate(packed["captionLength"].to_numpy()).astype(float)
    out["type"] = [t or None for ts in packed["type"] for t in ts]
    out["hashtags"] = [list(t) for ts in packed["hashtags"] for t in ts]
    return out[HISTORY_COLUMNS]
