"""Read the analytics results back as rows: influencers, communities, hashtags, viral posts.

Each function returns a list of plain dicts (render them with
:func:`influence.report.tables.render`). Run ``influence analyze`` first; before that the
rankings are empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.errors import ConfigError

#: What ``report influencers --by`` may rank by (User properties).
INFLUENCER_KEYS: tuple[str, ...] = (
    "pagerank",
    "articlerank",
    "eigenvector",
    "followers",
    "engagementRate",
    "engagementRateTierZ",
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
    driver: Driver,
    top: int = 20,
    community: int | None = None,
    by: str = "pagerank",
    database: str | None = None,
) -> list[dict[str, Any]]:
    """The ``top`` accounts *with a profile* (a follower count loaded) by ``by`` (PageRank by
    default), optionally within one community; each row has its ``rank`` and ``posts`` loaded.

    Accounts known only because others mention, tag or follow them have no reach or engagement
    to show; :func:`seen_only` lists them apart."""
    _check_top(top)
    if by not in INFLUENCER_KEYS:
        raise ConfigError(f"cannot rank influencers by {by!r}; use one of {', '.join(INFLUENCER_KEYS)}")
    rows = _rows(driver, "report_influencers", {"top": top, "community": community, "by": by}, database)
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def seen_only(
    driver: Driver, top: int = 20, community: int | None = None, database: str | None = None
) -> list[dict[str, Any]]:
    """Accounts with no profile loaded that loaded accounts mention, tag in photos or follow,
    most pointed-at first: ``username, id, pointedBy`` (distinct accounts that mention, tag or
    follow it), ``mentionedBy, taggedBy, followedBy`` (distinct accounts), ``mentions`` (posts
    that mention or tag it), ``pagerank, community``. What is known of them is only what others
    say: no reach, no engagement."""
    _check_top(top)
    return _rows(driver, "report_seen_only", {"top": top, "community": community}, database)


def communities(
    driver: Driver,
    top: int = 20,
    community: int | None = None,
    members: int = 5,
    tags: int = 5,
    database: str | None = None,
) -> list[dict[str, Any]]:
    """The ``top`` largest user communities with leading members and hashtags."""
    _check_top(top)
    return _rows(
        driver,
        "report_communities",
        {"top": top, "community": community, "members": members, "tags": tags},
        database,
    )


def hashtags(
    driver: Driver,
    top: int = 20,
    community: int | None = None,
    by: str = "communitySpread",
    database: str | None = None,
) -> list[dict[str, Any]]:
    """Hashtags by spread across communities (or ``by``), optionally those used in one community."""
    _check_top(top)
    if by not in HASHTAG_KEYS:
        raise ConfigError(f"cannot rank hashtags by {by!r}; use one of {', '.join(HASHTAG_KEYS)}")
    return _rows(driver, "report_hashtags", {"top": top, "community": community, "by": by}, database)


def viral(
    driver: Driver,
    top: int = 20,
    community: int | None = None,
    only_viral: bool = True,
    database: str | None = None,
) -> list[dict[str, Any]]:
    """Posts that are viral now (:func:`viral_now_rule`), strongest first, optionally in one
    community; ``only_viral=False`` lists every scored post (the candidates, most viral first)."""
    _check_top(top)
    return _rows(
        driver,
        "report_viral",
        {"top": top, "community": community, "onlyViral": only_viral},
        database,
    )


def viral_now_rule(threshold: float = 3.0, window_hours: float = 24.0) -> str:
    """The one definition of "viral now" (``Post.isViral``), in words — the CLI, the HTML report
    and the README say it the same way."""
    return (
        f"gathering engagement, in its first {window_hours:g} h, at least {threshold:g} robust standard "
        "deviations faster than its author's usual posts (authors with fewer than 3 comparable posts: "
        "than the usual for an account of its follower count) — measured within those hours, "
        "never from a post first seen later"
    )


def viral_summary(
    driver: Driver, community: int | None = None, database: str | None = None
) -> dict[str, Any]:
    """What "viral now" found: ``scored, inWindow, viral`` (post counts), ``threshold``,
    ``windowHours``, ``best`` (the strongest in-window post: ``post, author, ratio, score, basis``,
    or None), ``found`` (what passed, or that nothing did and why, in words) and ``words``
    (``found`` and the rule)."""
    (row,) = _rows(driver, "report_viral_summary", {"community": community}, database)
    threshold = row["threshold"] if row["threshold"] is not None else 3.0
    window = row["windowHours"] if row["windowHours"] is not None else 24.0
    row["threshold"], row["windowHours"] = threshold, window
    rule = viral_now_rule(threshold, window)
    if row["viral"]:
        row["found"] = (
            f"{row['viral']:,} post{'s' if row['viral'] != 1 else ''} viral now, "
            f"of {row['inWindow']:,} measured in their first {window:g} h."
        )
        row["words"] = f"{row['found']} Viral now = {rule}."
        return row
    if not row["inWindow"]:
        why = (
            f"none of the {row['scored']:,} scored posts was observed within {window:g} h of posting, "
            "so no early speed can be measured"
            if row["scored"]
            else "no post has a velocity yet"
        )
    else:
        best = row["best"] or {}
        ratio = best.get("ratio")
        usual = "its author's usual" if best.get("basis") == "author" else "the usual for its follower count"
        why = f"none of the {row['inWindow']:,} posts measured in their first {window:g} h passes it" + (
            f"; the fastest, {best.get('post')} by @{best.get('author')}, ran at {ratio:.1f}× "
            f"{usual} "
            f"(score {best.get('score'):.1f}, needs {threshold:g})"
            if isinstance(ratio, int | float)
            else ""
        )
    row["found"] = f"No post is viral now: {why}."
    row["words"] = f"{row['found']} Viral now = {rule}."
    return row


COLUMNS: dict[str, list[str]] = {
    "influencers": [
        "rank",
        "username",
        "followers",
        "pagerank",
        "engagementRate",
        "tier",
        "tierZ",
        "community",
        "score",
        "posts",
    ],
    "seen_only": [
        "username",
        "pointedBy",
        "mentionedBy",
        "taggedBy",
        "followedBy",
        "mentions",
        "pagerank",
        "community",
    ],
    "communities": ["community", "size", "members", "hashtags", "timeZone", "timeZoneShare"],
    "hashtags": ["hashtag", "uses", "communitySpread", "pagerank", "topic", "growth", "recentUses"],
    "viral": [
        "post",
        "author",
        "community",
        "postedAt",
        "velocity",
        "viralRatio",
        "basis",
        "inWindow",
        "viralScore",
        "isViral",
    ],
}


#: property a report needs -> (what it is, the command that writes it)
_WRITTEN_BY = {
    "pagerank": ("PageRank", "influence analyze"),
    "articlerank": ("ArticleRank", "influence analyze --algorithm articlerank"),
    "eigenvector": ("eigenvector centrality", "influence analyze --algorithm eigenvector"),
    "engagementRate": ("an engagement rate", "influence analyze"),
    "engagementRateTierZ": ("an engagement rate within its tier", "influence analyze"),
    "community": ("a community", "influence analyze"),
    "hashtagUses": ("a use count", "influence analyze"),
    "viralScore": ("a viral score", "influence analyze"),
}


def empty_hint(
    driver: Driver,
    report: str,
    by: str | None = None,
    community: int | None = None,
    only_viral: bool = False,
    database: str | None = None,
) -> str:
    """Why ``report`` (one of :data:`REPORTS`) returned no rows, and the command that fills it:
    an empty graph, a graph not (fully) analysed, or a filter (``--community``, ``--only-viral``)
    that nothing matches."""
    if report not in REPORTS:
        raise ConfigError(f"no report {report!r}; use one of {', '.join(REPORTS)}")
    (state,) = _rows(driver, "report_analysis_state", {}, database)
    if not state["users"] and not state["posts"]:
        return "the graph is empty — load data with `influence load …`, then run `influence analyze`"
    # the property the report's query needs on a row (hashtags are listed once they have uses)
    key = {
        "influencers": by or "pagerank",
        "communities": "community",
        "viral": "viralScore",
        "hashtags": "hashtagUses",
    }[report]
    noun = {"influencers": "account", "communities": "account", "hashtags": "hashtag", "viral": "post"}[
        report
    ]
    if report == "hashtags" and not state["hashtags"]:
        return "no post in the graph has a hashtag"
    if report == "influencers" and not state["followers"]:
        return (
            "no account in the graph has a profile (a follower count) — load profiles (accounts) with "
            "`influence load …`; `influence report influencers --seen-only` lists the accounts others mention, "
            "tag or follow"
        )
    if key in _WRITTEN_BY and not state[key]:
        what, command = _WRITTEN_BY[key]
        return f"no {noun} has {what} yet — the graph has not been analysed: run `{command}`"
    if only_viral and not state["isViral"]:
        return (
            "no post is viral now (Post.isViral) — `influence report viral --all` lists the candidates; "
            "`influence analyze --viral-threshold` sets the bar"
        )
    if community is not None:
        return f"nothing in community {community} — list the communities with `influence report communities`"
    return f"no {noun} matches"


@dataclass
class Listing:
    """A report's rows with what a reader needs next to them: ``hint`` (why there are no rows
    and what fills them, or None), ``others`` (influencers: accounts seen only through others,
    see :func:`seen_only`) and ``summary`` (viral: :func:`viral_summary`)."""

    rows: list[dict[str, Any]]
    hint: str | None = None
    others: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] | None = None


def influencers_listing(
    driver: Driver,
    top: int = 20,
    community: int | None = None,
    by: str = "pagerank",
    database: str | None = None,
    *,
    seen: int = 0,
) -> Listing:
    """:func:`influencers` with the hint when empty and the ``seen`` most pointed-at accounts
    seen only through others (:func:`seen_only`; none when ``seen`` is 0)."""
    rows = influencers(driver, top, community, by, database)
    hint = None if rows else empty_hint(driver, "influencers", by=by, community=community, database=database)
    others = seen_only(driver, seen, community, database) if seen else []
    return Listing(rows, hint, others)


def viral_listing(
    driver: Driver,
    top: int = 20,
    community: int | None = None,
    only_viral: bool = True,
    database: str | None = None,
) -> Listing:
    """:func:`viral` with :func:`viral_summary` and the hint when there are no rows."""
    rows = viral(driver, top, community, only_viral, database)
    summary = viral_summary(driver, community, database)
    hint = (
        None
        if rows
        else empty_hint(driver, "viral", community=community, only_viral=False, database=database)
    )
    return Listing(rows, hint, summary=summary)
