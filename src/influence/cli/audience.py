"""`influence audience …` and `plan`: shared audiences and campaign plans."""

from __future__ import annotations

import click

from influence.cli.app import Ctx, pass_ctx
from influence.cli.options import format_option
from influence.report.tables import render, render_mapping

# ---------------------------------------------------------------------------------- audience
# Audience overlap, audience quality and the campaign reach planner (owner: audience).
_SOURCE_HELP = (
    "Whose audience counts: followers and engagers (likers, commenters, mentioners), or one of them."
)
#: influence.analytics.audience.MIN_KNOWN_FOLLOWERS (kept here so `influence --help` imports no analytics)
MIN_KNOWN_DEFAULT = 1
_COVERAGE_HELP = (
    "Refuse (overlap) or leave out (plan) accounts with fewer followers, likers and commenters "
    "known in the graph (accounts that mention them do not count), unless all their followers are known."
)


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100.0 * x:.1f} %"


@click.group("audience")
def audience_group() -> None:
    """The audience behind accounts: overlap between accounts and audience quality."""


@audience_group.command("overlap")
@click.argument("accounts", nargs=-1, required=True)
@click.option(
    "--source",
    type=click.Choice(["all", "followers", "engagers"]),
    default="all",
    show_default=True,
    help=_SOURCE_HELP,
)
@click.option("--matrix", is_flag=True, help="Print the Jaccard matrix instead of the pairs.")
@click.option(
    "--min-known-followers",
    "min_known",
    default=MIN_KNOWN_DEFAULT,
    show_default=True,
    type=click.IntRange(0),
    help=_COVERAGE_HELP,
)
@format_option
@pass_ctx
def audience_overlap(
    ctx: Ctx, accounts: tuple[str, ...], source: str, matrix: bool, min_known: int, fmt: str
) -> None:
    """Share of audience that ACCOUNTS (two or more) have in common, pair by pair (Jaccard)."""
    from influence.analytics import audience

    with ctx.driver() as driver:
        ov = audience.overlap(driver, accounts, source, ctx.settings.database, min_known=min_known)
    if fmt == "json":
        click.echo(render_mapping(ov.as_dict(), "json"))
        return
    if matrix:
        rows = ov.matrix_rows()
        if fmt == "table":
            rows = [{k: (v if k == "account" else f"{v:.3f}") for k, v in r.items()} for r in rows]
        click.echo(render(rows, fmt))
        return
    if fmt == "csv":
        click.echo(render(ov.pairs, "csv"))
        return
    click.echo(
        render(
            [
                {
                    "account A": p["a"],
                    "account B": p["b"],
                    "shared audience": f"{p['shared']:,}",
                    "Jaccard": f"{p['jaccard']:.3f}",
                    "of A's audience": _pct(p["share_of_a"]),
                    "of B's audience": _pct(p["share_of_b"]),
                }
                for p in ov.pairs
            ],
            "table",
        )
    )
    sizes = ", ".join(f"{n} {s:,}" for n, s in zip(ov.usernames, ov.sizes, strict=True))
    click.echo(f"\nAudience ({'followers and engagers' if source == 'all' else source}): {sizes}.")
    click.echo(
        f"Together they reach {ov.union:,} distinct people the graph knows; {ov.shared_by_two:,} "
        f"({_pct(ov.shared_by_two / ov.union if ov.union else 0.0)}) are in two or more of these audiences."
    )
    click.echo(
        "Coverage: "
        + "; ".join(
            audience.coverage_words(c["username"], c["followers"], c["known_followers"]) for c in ov.coverage
        )
        + "."
    )
    for warning in ov.warnings:
        click.echo(f"Warning: {warning}.")


@audience_group.command("quality")
@click.argument("accounts", nargs=-1)
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Rows to show (lowest quality first).",
)
@click.option(
    "--min-audience",
    default=5,
    show_default=True,
    type=click.IntRange(1),
    help="Score only accounts with at least this many audience members (without ACCOUNTS).",
)
@format_option
@pass_ctx
def audience_quality(ctx: Ctx, accounts: tuple[str, ...], top: int, min_audience: int, fmt: str) -> None:
    """Audience quality 0-100 (100 = a genuine audience), lowest first, with each signal.

    Signals: members who follow very many accounts, members with no profile, profiled members
    with no posts, engagement rate far from the account's follower tier (needs `influence
    analyze`), follower-count jumps between scrapes. Blank = the data cannot tell.
    """
    from influence.analytics import audience

    with ctx.driver() as driver:
        rows = audience.quality(
            driver, accounts or None, min_audience=min_audience, database=ctx.settings.database
        )
    if not accounts:
        rows = rows[:top]
    if fmt != "table":
        click.echo(render(rows, fmt))
        return
    click.echo(
        render(
            [
                {
                    "account": r["username"],
                    "followers": "" if r["followers"] is None else f"{r['followers']:,}",
                    "audience": f"{r['audience']:,}",
                    "quality": "" if r["score"] is None else f"{r['score']:.0f}",
                    "follow very many": _pct(r["follows_many"]),
                    "no profile": _pct(r["no_profile"]),
                    "no posts": _pct(r["no_posts"]),
                    "engagement vs tier (z)": "" if r["tier_z"] is None else f"{r['tier_z']:+.1f}",
                    "follower jump": _pct(r["follower_jump_ratio"]),
                    "followers known": f"{r['known_followers']:,} (count unknown)"
                    if r["coverage"] is None
                    else (
                        f"{r['known_followers']:,} ({100 * r['coverage']:.2f} %)"
                        if r["coverage"] >= 0.0001
                        else f"{r['known_followers']:,} (<0.01 %)"
                    ),
                }
                for r in rows
            ],
            "table",
        )
    )
    if rows:
        click.echo(
            f"\n'Follow very many' = follows {rows[0]['follows_many_threshold']:,} accounts or more "
            "(3x the median in this graph)."
        )
        thin = sum(1 for r in rows if r["thin"])
        if thin:
            click.echo(
                f"Warning: for {thin:,} of these accounts no follower, liker or commenter is known, so their "
                "signals describe accounts that mention them, not their audience. Load follower lists "
                "(`influence load follows`, gallery-dl follower dumps) or likes."
            )


@click.command("plan")
@click.option(
    "--budget",
    required=True,
    type=click.FloatRange(min=0, min_open=True),
    help="How many accounts to book; with --cost-column, the total cost.",
)
@click.option("--community", type=int, help="Only accounts of this user community (User.community).")
@click.option(
    "--region", help="Only accounts of this country or language code (User.country / User.language)."
)
@click.option(
    "--cost-column", help="User property holding each account's cost (e.g. loaded with an accounts CSV)."
)
@click.option(
    "--engagement",
    is_flag=True,
    help="Count a reached person by the chance they engage (User.engagementRate, from analyze).",
)
@click.option(
    "--source",
    type=click.Choice(["all", "followers", "engagers"]),
    default="all",
    show_default=True,
    help=_SOURCE_HELP,
)
@click.option(
    "--candidates",
    default=2000,
    show_default=True,
    type=click.IntRange(1),
    help="Consider at most this many accounts (most followed first).",
)
@click.option(
    "--min-quality",
    type=click.FloatRange(0, 100),
    help="Leave out accounts whose audience quality (0-100, `influence audience quality`) is below this.",
)
@click.option(
    "--min-known-followers",
    "min_known",
    default=MIN_KNOWN_DEFAULT,
    show_default=True,
    type=click.IntRange(0),
    help=_COVERAGE_HELP,
)
@format_option
@pass_ctx
def plan_command(
    ctx: Ctx,
    budget: float,
    community: int | None,
    region: str | None,
    cost_column: str | None,
    engagement: bool,
    source: str,
    candidates: int,
    min_quality: float | None,
    min_known: int,
    fmt: str,
) -> None:
    """Pick accounts that together reach the most distinct audience (greedy maximum coverage).

    Shows the reach each pick adds, next to booking the most-followed accounts instead.
    """
    from influence.analytics import audience

    with ctx.driver() as driver:
        p = audience.plan(
            driver,
            budget,
            community=community,
            region=region,
            cost_column=cost_column,
            engagement=engagement,
            source=source,
            candidates=candidates,
            min_quality=min_quality,
            database=ctx.settings.database,
            min_known=min_known,
        )
    if fmt != "table":
        click.echo(render(p.rows(), fmt))
        return
    what = "expected engaged people" if engagement else "distinct people"
    for title, picks, total in (
        ("Plan (greedy maximum coverage)", p.picks, p.reach),
        ("Top by followers", p.baseline, p.baseline_reach),
    ):
        click.echo(f"{title}: {len(picks)} accounts reach {total:,.0f} {what}")
        click.echo(
            render(
                [
                    {
                        "#": k.rank,
                        "account": k.username,
                        "followers": "" if k.followers is None else f"{k.followers:,}",
                        "audience": f"{k.audience:,}",
                        "adds": f"{k.gain:,.0f}",
                        "total reach": f"{k.reach:,.0f}",
                        **({"cost": f"{k.cost:,.2f}"} if p.costs else {}),
                    }
                    for k in picks
                ],
                "table",
            )
        )
        click.echo("")
    click.echo(
        f"The plan reaches {p.gain_over_baseline:+.1%} {what} vs. the top by followers "
        f"({p.candidates:,} candidates considered); both count the audience members the graph knows."
    )
    known, counted = p.followers_known()
    if counted:
        click.echo(
            f"Coverage: the picked accounts have {counted:,} followers by their profiles; the graph knows "
            f"{known:,} of them ({100.0 * known / counted:.2f} %)."
        )
    for note in p.notes:
        click.echo(f"Note: {note}.")
    for warning in p.warnings:
        click.echo(f"Warning: {warning}.")
