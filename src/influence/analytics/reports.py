"""Read the analytics results back as rows: influencers, communities, hashtags, viral posts.

Each function returns a list of plain dicts (render them with
:func:`influence.report.tables.render`). Run ``influence analyze`` first; before that the
rankings are empty.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.errors import ConfigError

#: What ``report influencers --by`` may rank by (User properties).
INFLUENCER_KEYS: tuple[str, ...] = (
    "pagerank", "articlerank", "eigenvector", "followers", "engagementRate", "engagementRateTierZ",
)
#: What ``report hashtags --by`` may rank by (Hashtag properties).
HASHTAG_KEYS: tuple[str, ...] = ("communitySpread", "uses", "pagerank", "growth")
REPORTS: tuple[str, ...] = ("influencers", "communities", "hashtags", "viral")


def _rows(driver: Driver, name: str, params: dict[str, Any], database: str | None) -> list[dict[str, Any]]:
    return [dict(r) for r in db.read(driver, cypher.load(name), params, database=database)]


def _check_top(top: int) -> None:
    if top < 1:
        raise ConfigError(f"--top must be >= 1, got {top}")


def influencers(
    driver: Driver, top: int = 20, community: int | None = None, by: str = "pagerank", database: str | None = None
) -> list[dict[str, Any]]:
    """The ``top`` users by ``by`` (PageRank by default), optionally within one community."""
    _check_top(top)
    if by not in INFLUENCER_KEYS:
        raise ConfigError(f"cannot rank influencers by {by!r}; use one of {', '.join(INFLUENCER_KEYS)}")
    rows = _rows(driver, "report_influencers", {"top": top, "community": community, "by": by}, database)
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def communities(
    driver: Driver, top: int = 20, community: int | None = None, members: int = 5, tags: int = 5,
    database: str | None = None,
) -> list[dict[str, Any]]:
    """The ``top`` largest user communities with leading members and hashtags."""
    _check_top(top)
    return _rows(
        driver, "report_communities",
        {"top": top, "community": community, "members": members, "tags": tags}, database,
    )


def hashtags(
    driver: Driver, top: int = 20, community: int | None = None, by: str = "communitySpread",
    database: str | None = None,
) -> list[dict[str, Any]]:
    """Hashtags by spread across communities (or ``by``), optionally those used in one community."""
    _check_top(top)
    if by not in HASHTAG_KEYS:
        raise ConfigError(f"cannot rank hashtags by {by!r}; use one of {', '.join(HASHTAG_KEYS)}")
    return _rows(driver, "report_hashtags", {"top": top, "community": community, "by": by}, database)


def viral(
    driver: Driver, top: int = 20, community: int | None = None, only_viral: bool = False,
    database: str | None = None,
) -> list[dict[str, Any]]:
    """Posts by viral score, optionally in one community or only those flagged viral."""
    _check_top(top)
    return _rows(
        driver, "report_viral", {"top": top, "community": community, "onlyViral": only_viral}, database,
    )


COLUMNS: dict[str, list[str]] = {
    "influencers": ["rank", "username", "followers", "pagerank", "engagementRate", "tier", "tierZ", "community", "score"],
    "communities": ["community", "size", "members", "hashtags", "timeZone", "timeZoneShare"],
    "hashtags": ["hashtag", "uses", "communitySpread", "pagerank", "topic", "growth", "recentUses"],
    "viral": ["post", "author", "community", "postedAt", "velocity", "viralRatio", "viralZ", "viralScore", "isViral"],
}
