"""Who each account's audience is (followers, likers, commenters, mentioners) and how much of it
the graph knows: the coverage figures, the floor below which an audience is "thin", and the words
that say so. Shared by overlap, the planner and audience quality."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from neo4j import Driver

from influence import cypher, db
from influence.errors import ConfigError, InputError

Source = Literal["all", "followers", "engagers"]
SOURCES: tuple[str, ...] = ("all", "followers", "engagers")

#: With fewer followers, likers and commenters known than this (and not all its followers), an
#: account's audience figures are refused (see the module docstring): by default, an audience made
#: only of accounts that mention it.
MIN_KNOWN_FOLLOWERS = 1


def floor_words(floor: int = MIN_KNOWN_FOLLOWERS) -> str:
    """The floor in words: "no follower, liker or commenter known" (1) or "fewer than 5 followers, …"."""
    if floor <= 1:
        return "no follower, liker or commenter known"
    return f"fewer than {floor} followers, likers or commenters known"


#: Below this share of its followers known, audience figures carry a warning.
WARN_COVERAGE = 0.10


def coverage(followers: Any, known_followers: Any) -> float | None:
    """Followers known ÷ the follower count (0..1, capped at 1); ``None`` when the count is unknown or 0."""
    if not isinstance(followers, int | float) or isinstance(followers, bool) or followers <= 0:
        return None
    return min(1.0, float(known_followers or 0) / float(followers))


def coverage_words(username: str, followers: Any, known_followers: Any, known_engagers: Any = None) -> str:
    """``"natgeo: 0 of 19,600,000 followers known (0.00 %)"`` (or "follower count unknown"), and
    ``", 12 likers or commenters"`` when ``known_engagers`` is given and above 0."""
    cov = coverage(followers, known_followers)
    engaged = f", {int(known_engagers):,} likers or commenters" if known_engagers else ""
    if cov is None:
        return f"{username}: {int(known_followers or 0):,} followers known, follower count unknown{engaged}"
    digits = 2 if cov >= 0.001 else 4
    return (
        f"{username}: {int(known_followers or 0):,} of {int(followers):,} followers known "
        f"({100 * cov:.{digits}f} %){engaged}"
    )


def is_thin(
    followers: Any, known_followers: Any, floor: int = MIN_KNOWN_FOLLOWERS, known_engagers: Any = 0
) -> bool:
    """Whether too little of the audience is known to stand for it: fewer than ``floor``
    followers, likers or commenters known (mentioners do not count), unless the profile's count
    says all followers are known."""
    known = int(known_followers or 0)
    if known + int(known_engagers or 0) >= floor:
        return False
    return coverage(followers, known) != 1.0


def entry_is_thin(entry: Mapping[str, Any], floor: int) -> bool:
    return is_thin(entry.get("followers"), entry.get("known_followers"), floor, entry.get("known_engagers"))


def entry_words(entry: Mapping[str, Any]) -> str:
    return coverage_words(
        entry["username"], entry.get("followers"), entry.get("known_followers"), entry.get("known_engagers")
    )


def source_flags(source: str) -> dict[str, bool]:
    if source not in SOURCES:
        raise ConfigError(f"unknown audience source {source!r}; choose from {', '.join(SOURCES)}")
    return {"followers": source in ("all", "followers"), "engagers": source in ("all", "engagers")}


def audiences(
    driver: Driver, ids: Sequence[str], source: str = "all", database: str | None = None
) -> dict[str, dict[str, Any]]:
    """``{id: {"username", "followers", "audience": set of member ids}}`` for the accounts found.

    ``ids`` are account ids or usernames, matched as given and lower-cased (Instagram ids are
    lower-case usernames; other graphs' ids are the file's node ids and their usernames differ).
    """
    wanted = list(dict.fromkeys(ids))
    lookup = list(dict.fromkeys([*wanted, *(i.lower() for i in wanted)]))
    rows = db.read(
        driver, cypher.load("audience_members"), {"ids": lookup, **source_flags(source)}, database=database
    )
    return {
        r["id"]: {
            "username": r["username"] or r["id"],
            "followers": r["followers"],
            "audience": set(r["audience"]),
            "known_followers": int(r["knownFollowers"] or 0),
            "known_engagers": int(r["knownEngagers"] or 0),
        }
        for r in rows
    }


def jaccard(a: set[str], b: set[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 for two empty sets."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def coverage_rows(found: Mapping[str, Mapping[str, Any]], order: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {
            "username": found[i]["username"],
            "followers": found[i]["followers"],
            "known_followers": found[i]["known_followers"],
            "coverage": coverage(found[i]["followers"], found[i]["known_followers"]),
        }
        for i in order
    ]


def coverage_warnings(rows: Sequence[Mapping[str, Any]], source: str) -> list[str]:
    """Sentences for people about thin coverage in ``rows`` (from :class:`Overlap` ``coverage``)."""
    if source == "engagers":
        return [
            "the audience here is engagers only (likers, commenters, mentioners the graph knows), "
            "not followers: it says who interacts, not who sees the posts"
        ]
    thin = [r for r in rows if r["coverage"] is None or r["coverage"] < WARN_COVERAGE]
    if not thin:
        return []
    return [
        "these figures count only the audience members the graph knows — "
        + "; ".join(coverage_words(r["username"], r["followers"], r["known_followers"]) for r in thin)
    ]


def resolve_accounts(ids: Sequence[str], found: Mapping[str, Any]) -> list[str]:
    """The account ids of ``ids`` (ids or usernames) in the order given; InputError for unknown ones."""
    by_name = {str(v["username"]): k for k, v in found.items() if v.get("username")}
    order: list[str] = []
    missing: list[str] = []
    for i in ids:
        key = i if i in found else (by_name[i] if i in by_name else i.lower())
        if key not in found:
            missing.append(i)
        elif key not in order:
            order.append(key)
    if missing:
        raise InputError(
            f"no account {', '.join(missing)} in the graph — check the names "
            "(`influence report influencers` lists accounts)"
        )
    return order
