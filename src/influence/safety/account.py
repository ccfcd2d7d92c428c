"""The account report: :func:`account_safety` runs :func:`influence.safety.checks.check_safety` over every
loaded post and ranks accounts by the share of their posts that raise a flag, so a brand can vet
creators before a campaign."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.safety.checks import check_safety
from influence.safety.policy import Policy

#: Columns of :func:`account_safety` rows, in output order.
SAFETY_COLUMNS = [
    "rank",
    "account",
    "username",
    "posts",
    "flagged",
    "flagged_share",
    "categories",
    "example_post",
    "example_flags",
]


@dataclass
class SafetyReport:
    """Accounts ranked by flagged share, and the checks that could not run."""

    rows: list[dict[str, Any]]
    posts: int
    flagged: int
    skipped: list[str] = field(default_factory=list)


def account_safety(
    driver: Driver,
    policy: Policy,
    *,
    top: int | None = None,
    min_posts: int = 1,
    images: bool = True,
    database: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> SafetyReport:
    """Each account with at least ``min_posts`` posts: posts, flagged posts, ``flagged_share``
    (0–1), flags per category (``{"violence": 2, …}``) and its most-flagged post with its flags;
    sorted by share, then flagged count (worst first); at most ``top`` rows. ``images`` runs the
    image check on media files on disk (needs the ``nudity`` extra)."""
    say = progress or (lambda _m: None)
    records = db.read(driver, cypher.load("report_safety_posts"), {}, database)
    say(f"checking {len(records):,} posts")
    captions = [r["caption"] if isinstance(r["caption"], str) else "" for r in records]
    results = check_safety(
        captions,
        [list(r["hashtags"] or []) for r in records],
        policy,
        languages=[r["language"] for r in records],
        media=[r["mediaPath"] for r in records] if images else None,
    )
    accounts: dict[str, dict[str, Any]] = {}
    skipped: Counter[str] = Counter()
    for rec, res in zip(records, results, strict=True):
        acc = accounts.setdefault(
            rec["account"],
            {
                "account": rec["account"],
                "username": rec["username"],
                "posts": 0,
                "flagged": 0,
                "cats": Counter(),
                "worst": None,
            },
        )
        acc["posts"] += 1
        skipped.update(note.split(" (")[0] for note in res.skipped)
        if res.safe:
            continue
        acc["flagged"] += 1
        acc["cats"].update({d.category for d in res.details})
        if acc["worst"] is None or len(res.details) > len(acc["worst"][1].details):
            acc["worst"] = (rec["shortcode"] or rec["post"], res)
    rows = []
    for acc in accounts.values():
        if acc["posts"] < min_posts:
            continue
        worst = acc["worst"]
        rows.append(
            {
                "account": acc["account"],
                "username": acc["username"],
                "posts": acc["posts"],
                "flagged": acc["flagged"],
                "flagged_share": acc["flagged"] / acc["posts"],
                "categories": dict(acc["cats"].most_common()),
                "example_post": worst[0] if worst else None,
                "example_flags": list(worst[1].flags) if worst else [],
            }
        )
    rows.sort(key=lambda r: (-r["flagged_share"], -r["flagged"], str(r["username"] or r["account"])))
    if top is not None:
        rows = rows[:top]
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    notes = [f"{k} ({n:,} posts)" for k, n in skipped.items()]
    return SafetyReport(
        rows=[{c: r[c] for c in SAFETY_COLUMNS} for r in rows],
        posts=len(records),
        flagged=sum(1 for r in results if not r.safe),
        skipped=notes,
    )
