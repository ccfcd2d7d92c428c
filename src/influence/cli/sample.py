"""`influence sample`: the generated sample with its planted answers."""

from __future__ import annotations

import time

import click

from influence.cli.app import Ctx, pass_ctx
from influence.cli.options import format_option
from influence.report.tables import render


# ---------------------------------------------------------------------------------- sample
# A synthetic gallery-dl scrape with planted structure (owner: sample). No database.
@click.command("sample")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option(
    "--users", default=300, show_default=True, type=click.IntRange(min=2), help="Number of accounts."
)
@click.option(
    "--seed",
    default=42,
    show_default=True,
    type=int,
    help="Random seed: the same seed writes the same bytes.",
)
@click.option(
    "--scrapes",
    default=3,
    show_default=True,
    type=click.IntRange(min=1),
    help="Scrape folders (6 h, 48 h, then a week apart): each post is observed in every scrape after it.",
)
@click.option(
    "--posts-per-user",
    default=8.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Mean posts per account.",
)
@click.option(
    "--communities",
    default=5,
    show_default=True,
    type=click.IntRange(min=1),
    help="Planted communities (each with its own language, hashtags and places).",
)
@click.option(
    "--influencers",
    default=3,
    show_default=True,
    type=click.IntRange(min=0),
    help="Planted influencers per community.",
)
@click.option(
    "--viral-posts", type=click.IntRange(min=0), help="Planted viral posts (default: max(3, users/20))."
)
@click.option(
    "--images",
    default=400,
    show_default=True,
    type=click.IntRange(min=0),
    help="At most this many small JPEG files (0: sidecars only, as with gallery-dl --no-download).",
)
@click.option(
    "--bought-audiences",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Ordinary accounts given a bought audience (bot followers, inflated and jumping follower "
    "counts), listed in ground_truth.json.",
)
@click.option("--force", is_flag=True, help="Replace a previous sample in OUTDIR.")
@format_option
@pass_ctx
def sample_command(
    ctx: Ctx,
    outdir: str,
    users: int,
    seed: int,
    scrapes: int,
    posts_per_user: float,
    communities: int,
    influencers: int,
    viral_posts: int | None,
    images: int,
    bought_audiences: int,
    force: bool,
    fmt: str,
) -> None:
    """Write a seeded synthetic Instagram scrape in gallery-dl's format into OUTDIR.

    Planted communities, influencers, viral posts and bought audiences are listed in
    OUTDIR/ground_truth.json.
    Load it with `influence load gallery-dl OUTDIR`.
    """
    from influence.sample import SampleParameters, generate_sample

    params = SampleParameters(
        users=users,
        seed=seed,
        scrapes=scrapes,
        posts_per_user=posts_per_user,
        communities=communities,
        influencers_per_community=influencers,
        viral_posts=viral_posts,
        images=images,
        bought_audiences=bought_audiences,
    )
    started = time.monotonic()
    summary = generate_sample(outdir, params, overwrite=force, progress=ctx.progress)
    ctx.progress(f"sample written in {time.monotonic() - started:.1f} s")
    click.echo(render(summary.as_rows(), fmt))
