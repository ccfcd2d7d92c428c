"""Audience overlap: pairwise Jaccard of the audiences of a set of accounts, by GDS Node
Similarity over the projected account → member graph, with the shared counts and a matrix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.analytics.audience.members import (
    MIN_KNOWN_FOLLOWERS,
    audiences,
    coverage_rows,
    coverage_warnings,
    entry_is_thin,
    entry_words,
    floor_words,
    resolve_accounts,
    source_flags,
)
from influence.analytics.projection import DEFAULT_CONCURRENCY, projected
from influence.errors import InputError


@dataclass
class Overlap:
    """Audience overlap of a set of accounts.

    ``accounts``: ids in the order asked; ``sizes``: audience size per id; ``pairs``: one row per
    unordered pair ``{a, b, shared, jaccard, share_of_a, share_of_b}`` (shares in 0..1);
    ``matrix[i][j]``: Jaccard of accounts i and j (1.0 on the diagonal); ``union``: distinct
    members reached by all; ``shared_by_two``: members in at least two audiences;
    ``coverage``: per account ``{username, followers, known_followers, coverage}`` (coverage
    0..1 or None); ``warnings``: sentences for people when the coverage is thin.
    """

    accounts: list[str]
    usernames: list[str]
    sizes: list[int]
    pairs: list[dict[str, Any]]
    matrix: list[list[float]]
    union: int
    shared_by_two: int
    source: str
    coverage: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Every figure under plain keys (``accounts`` are the usernames, ``ids`` the account ids,
        ``audience`` the sizes), as ``--format json`` prints it."""
        return {
            "accounts": self.usernames,
            "ids": self.accounts,
            "audience": self.sizes,
            "source": self.source,
            "union": self.union,
            "shared_by_two": self.shared_by_two,
            "matrix": self.matrix,
            "pairs": self.pairs,
            "coverage": self.coverage,
            "warnings": self.warnings,
        }

    def matrix_rows(self) -> list[dict[str, Any]]:
        """The Jaccard matrix as rows: ``{"account": username, <username>: jaccard, …}``."""
        return [
            {"account": name, **{other: self.matrix[i][j] for j, other in enumerate(self.usernames)}}
            for i, name in enumerate(self.usernames)
        ]


def overlap(
    driver: Driver,
    ids: Sequence[str],
    source: str = "all",
    database: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    min_known: int = MIN_KNOWN_FOLLOWERS,
) -> Overlap:
    """Pairwise audience overlap of ``ids`` (at least two accounts that exist and have an audience).

    Jaccard comes from ``gds.nodeSimilarity`` over the account → member graph; the shared counts
    from it and the audience sizes (|A ∩ B| = J (|A| + |B|) / (1 + J)). Raises
    :class:`InputError` for unknown accounts, fewer than two with an audience, or (``source``
    all or followers) an account with fewer than ``min_known`` followers known (:func:`is_thin`).
    """
    found = audiences(driver, ids, source, database)
    order = resolve_accounts(ids, found)
    _check_comparable(found, order, source, min_known)
    sims = _similarities(driver, order, source, database, concurrency)
    sizes = [len(found[i]["audience"]) for i in order]
    pairs, matrix = _pairs(found, order, sizes, sims)
    counts: dict[str, int] = {}
    for a in order:
        for m in found[a]["audience"]:
            counts[m] = counts.get(m, 0) + 1
    cov = coverage_rows(found, order)
    return Overlap(
        accounts=order,
        usernames=[found[a]["username"] for a in order],
        sizes=sizes,
        pairs=sorted(pairs, key=lambda p: -p["jaccard"]),
        matrix=matrix,
        union=len(counts),
        shared_by_two=sum(1 for c in counts.values() if c >= 2),
        source=source,
        coverage=cov,
        warnings=coverage_warnings(cov, source),
    )


def _check_comparable(
    found: Mapping[str, Mapping[str, Any]], order: Sequence[str], source: str, min_known: int
) -> None:
    """InputError unless every account has an audience, enough of it is known (``source`` all
    or followers) and there are at least two."""
    empty = [found[i]["username"] for i in order if not found[i]["audience"]]
    if empty:
        raise InputError(
            f"no {source if source != 'all' else ''} audience loaded for {', '.join(empty)} — "
            "load its followers (`influence load follows`) or likers first".replace("  ", " ")
        )
    if source != "engagers":
        thin = [i for i in order if entry_is_thin(found[i], min_known)]
        if thin:
            raise InputError(
                "too little of their audience is loaded to compare: "
                + "; ".join(entry_words(found[i]) for i in thin)
                + f" — {floor_words(min_known)} (accounts that mention them do not count: they are other "
                "creators, not their audience). Load follower lists "
                "(`influence load follows`, gallery-dl follower dumps), compare people who interact with them "
                "with --source engagers, or lower --min-known-followers"
            )
    if len(order) < 2:
        raise InputError("give at least two accounts to compare")


def _similarities(
    driver: Driver, order: list[str], source: str, database: str | None, concurrency: int
) -> dict[tuple[str, str], float]:
    """``{(a, b): Jaccard}`` of the accounts' audiences, by GDS Node Similarity on a projection."""
    sims: dict[tuple[str, str], float] = {}
    with projected(
        driver,
        "audience",
        "audience_project",
        "audience_count",
        params={"ids": order, **source_flags(source)},
        database=database,
    ) as graph:
        config = {"topK": len(order), "similarityCutoff": 1e-9, "concurrency": concurrency}
        rows = db.write(
            driver,
            cypher.load("audience_similarity"),
            {"graph": graph.name, "config": config},
            database=database,
        )
        for r in rows:
            sims[(r["a"], r["b"])] = float(r["jaccard"])
    return sims


def _pairs(
    found: Mapping[str, Mapping[str, Any]],
    order: Sequence[str],
    sizes: Sequence[int],
    sims: Mapping[tuple[str, str], float],
) -> tuple[list[dict[str, Any]], list[list[float]]]:
    """One row per unordered pair (shared count from Jaccard and the sizes) and the Jaccard matrix."""
    pairs: list[dict[str, Any]] = []
    matrix = [[1.0 if i == j else 0.0 for j in range(len(order))] for i in range(len(order))]
    for i, a in enumerate(order):
        for j in range(i + 1, len(order)):
            b = order[j]
            jac = sims.get((a, b), sims.get((b, a), 0.0))
            matrix[i][j] = matrix[j][i] = jac
            shared = round(jac * (sizes[i] + sizes[j]) / (1.0 + jac))
            pairs.append(
                {
                    "a": found[a]["username"],
                    "b": found[b]["username"],
                    "shared": shared,
                    "jaccard": jac,
                    "share_of_a": shared / sizes[i],
                    "share_of_b": shared / sizes[j],
                }
            )
    return pairs, matrix
