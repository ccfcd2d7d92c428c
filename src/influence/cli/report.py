"""`influence report …`: the HTML report and the tables of influencers, communities, hashtags, viral posts and brand safety."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from influence.cli.app import Ctx, pass_ctx
from influence.cli.options import format_option
from influence.report.tables import render


# ----------------------------------------------------------------------------------- report
# Reports (owner of `report html`: report; other `report …` subcommands: analytics).
# Imports are local so `influence --help` stays fast.
@click.group("report")
def report_group() -> None:
    """Reports for people: the marketer's HTML report and more."""


@report_group.command("html")
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write index.html and its images into (created if needed).",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(exists=True, file_okay=False),
    help="A model folder from `influence train`: adds its model card.",
)
@click.option(
    "--predictions",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON from `influence predict --format json`: adds the scored draft posts.",
)
@click.option(
    "--drafts",
    type=click.Path(exists=True),
    help="The drafts file the predictions were made from: shows each draft's caption and author.",
)
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(1, 500),
    help="Rows per table (influencers, communities, hashtags, viral posts).",
)
@format_option
@pass_ctx
def report_html(
    ctx: Ctx, out: str, model_dir: str | None, predictions: str | None, drafts: str | None, top: int, fmt: str
) -> None:
    """Write the marketer's HTML report (opens offline) for the loaded graph into OUT."""
    from pathlib import Path

    from influence.report.html import build_report

    with ctx.driver() as driver:
        result = build_report(
            driver,
            Path(out),
            top=top,
            model_dir=Path(model_dir) if model_dir else None,
            predictions=Path(predictions) if predictions else None,
            database=ctx.settings.database,
            progress=ctx.progress,
            drafts=Path(drafts) if drafts else None,
        )
    click.echo(render(result.rows(), fmt))
    ctx.progress(f"report written in {result.seconds:.1f} s: {result.path.resolve().as_uri()}")


SEEN_ONLY_SHOWN = 10


def _report_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--community", type=int, help="Only this user community (User.community).")(f)
    f = click.option(
        "--top", default=20, show_default=True, type=click.IntRange(1, 100_000), help="Rows to show."
    )(f)
    return format_option(f)


def _report_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str], hint: str | None) -> None:
    """Print a report's rows; an empty report says why on stderr (stdout stays parseable)."""
    click.echo(render(rows, fmt, columns=columns))
    if hint:
        click.echo(f"hint: {hint}", err=True)


@report_group.command("influencers")
@_report_options
@click.option(
    "--by",
    default="pagerank",
    show_default=True,
    type=click.Choice(
        ["pagerank", "articlerank", "eigenvector", "followers", "engagementRate", "engagementRateTierZ"]
    ),
    help="What to rank by.",
)
@click.option(
    "--seen-only",
    is_flag=True,
    help="List instead the accounts with no profile loaded that loaded accounts mention, tag or follow.",
)
@pass_ctx
def report_influencers(ctx: Ctx, top: int, community: int | None, fmt: str, by: str, seen_only: bool) -> None:
    """Most influential accounts with a profile: PageRank, reach, engagement rate (raw and within tier).

    Accounts known only because others mention, tag or follow them (no follower count, no posts
    loaded) are listed apart, below the table (all of them with --seen-only).
    """
    from influence.analytics import reports

    db_name = ctx.settings.database
    with ctx.driver() as driver:
        if seen_only:
            rows = reports.seen_only(driver, top, community, db_name)
            _report_rows(
                rows,
                fmt,
                reports.COLUMNS["seen_only"],
                None if rows else "no account without a profile is mentioned, tagged or followed",
            )
            return
        listing = reports.influencers_listing(
            driver, top, community, by, db_name, seen=SEEN_ONLY_SHOWN if fmt == "table" else 0
        )
    _report_rows(listing.rows, fmt, reports.COLUMNS["influencers"], listing.hint)
    others = listing.others
    if others:
        click.echo(
            "\nSeen only through others' posts and follows (no profile loaded: reach and engagement unknown):"
        )
        click.echo(
            render(
                [
                    {
                        "account": r["username"],
                        "pointed at by": f"{r['pointedBy']:,} accounts",
                        "mentioned by": r["mentionedBy"],
                        "tagged by": r["taggedBy"],
                        "followed by": r["followedBy"],
                        "PageRank": r["pagerank"],
                    }
                    for r in others
                ],
                "table",
            )
        )
        click.echo("All of them: `influence report influencers --seen-only`.")


@report_group.command("communities")
@_report_options
@pass_ctx
def report_communities(ctx: Ctx, top: int, community: int | None, fmt: str) -> None:
    """User communities: size, leading members, most used hashtags, most common time zone."""
    from influence.analytics import reports
    from influence.analytics.timezones import zone_label

    with ctx.driver() as driver:
        rows = reports.communities(driver, top, community, database=ctx.settings.database)
        hint = (
            None
            if rows
            else reports.empty_hint(
                driver, "communities", community=community, database=ctx.settings.database
            )
        )
    columns = reports.COLUMNS["communities"]
    if fmt == "table":  # the time zone in words: "UTC-5 (82 % of members)"
        rows = [{**r, "time zone": zone_label(r.get("timeZone"), r.get("timeZoneShare"))} for r in rows]
        columns = [c for c in columns if c not in ("timeZone", "timeZoneShare")] + ["time zone"]
    _report_rows(rows, fmt, columns, hint)


@report_group.command("hashtags")
@_report_options
@click.option(
    "--by",
    default="communitySpread",
    show_default=True,
    type=click.Choice(["communitySpread", "uses", "pagerank", "growth"]),
    help="What to rank by (growth = rising hashtags).",
)
@pass_ctx
def report_hashtags(ctx: Ctx, top: int, community: int | None, fmt: str, by: str) -> None:
    """Hashtags: uses, spread across communities, PageRank, topic, growth."""
    from influence.analytics import reports

    with ctx.driver() as driver:
        rows = reports.hashtags(driver, top, community, by, ctx.settings.database)
        hint = (
            None
            if rows
            else reports.empty_hint(
                driver, "hashtags", by=by, community=community, database=ctx.settings.database
            )
        )
    _report_rows(rows, fmt, reports.COLUMNS["hashtags"], hint)


@report_group.command("viral")
@_report_options
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="List every scored post, most viral first, with whether it passes (the candidates).",
)
@click.option(
    "--only-viral", is_flag=True, hidden=True, help="Only posts viral now (the default; kept for scripts)."
)
@pass_ctx
def report_viral(
    ctx: Ctx, top: int, community: int | None, fmt: str, show_all: bool, only_viral: bool
) -> None:
    """Posts that are viral now: early engagement speed far above their author's usual.

    The same posts, in the same order, as the HTML report's "Viral now" (Post.isViral, written by
    `influence analyze`). When none passes, says so and why (on stderr for JSON and CSV).
    """
    from influence.analytics import reports

    db_name = ctx.settings.database
    with ctx.driver() as driver:
        listing = reports.viral_listing(driver, top, community, not show_all, db_name)
    rows, hint, summary = listing.rows, listing.hint, listing.summary or {}
    if not summary["scored"]:
        _report_rows(rows, fmt, reports.COLUMNS["viral"], hint)
        return
    _report_rows(rows, fmt, reports.COLUMNS["viral"], None)
    if fmt == "table":
        click.echo(("\n" if rows else "") + summary["words"])
        if not show_all:
            click.echo(
                "`--all` lists every scored post with its score (candidates that do not pass included)."
            )
    elif not summary["viral"] and not show_all:
        click.echo(f"note: {summary['words']}", err=True)


@report_group.command("safety")
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Brand-safety policy file (categories, terms, thresholds). Default: the shipped policy.",
)
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 100_000), help="Rows to show.")
@click.option(
    "--min-posts",
    default=3,
    show_default=True,
    type=click.IntRange(min=1),
    help="Only accounts with at least this many loaded posts.",
)
@click.option("--no-images", is_flag=True, help="Skip the image check even where media files are on disk.")
@format_option
@pass_ctx
def report_safety(
    ctx: Ctx, policy_file: str | None, top: int, min_posts: int, no_images: bool, fmt: str
) -> None:
    """Accounts ranked by the share of their loaded posts that raise a brand-safety flag
    (threats, dehumanising speech, incitement, harassment, hate speech, offensive language, violence,
    self-harm, drugs, weapons, adult, your terms); each example's flags say which phrase and why."""
    from pathlib import Path

    from influence.glossary import flag_words
    from influence.safety.account import SAFETY_COLUMNS, account_safety
    from influence.safety.policy import load_policy

    policy = load_policy(Path(policy_file) if policy_file else None)
    with ctx.driver() as driver:
        result = account_safety(
            driver,
            policy,
            top=top,
            min_posts=min_posts,
            images=not no_images,
            database=ctx.settings.database,
            progress=ctx.progress,
        )
    rows = result.rows
    if fmt == "table":
        rows = [
            {
                **r,
                "flagged_share": f"{r['flagged_share']:.0%}",
                "categories": ", ".join(f"{k} {v}" for k, v in r["categories"].items()) or "—",
                "example_flags": "; ".join(flag_words(f) for f in r["example_flags"]) or "—",
            }
            for r in rows
        ]
    click.echo(render(rows, fmt, columns=SAFETY_COLUMNS))
    ctx.progress(f"{result.flagged:,} of {result.posts:,} posts flagged under the policy ({policy.source})")
    for note in result.skipped:
        ctx.progress(f"notice: not checked — {note}")
