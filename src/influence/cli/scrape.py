"""`influence scrape …`: run gallery-dl, then load what it wrote."""

from __future__ import annotations

import time

import click

from influence.cli.app import Ctx, pass_ctx
from influence.cli.options import format_option
from influence.report.tables import render


# ---------------------------------------------------------------------------------- scrape
# Runs gallery-dl into OUT/<YYYY-MM-DDTHHMMSS>/ and loads that folder (owner: sample).
@click.group("scrape")
def scrape_group() -> None:
    """Scrape social media with an external tool, then load what it wrote."""


@scrape_group.command("instagram")
@click.argument("users", nargs=-1)
@click.option(
    "--accounts",
    "accounts_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Text file with one username per line, or a CSV with an @name column "
    "(e.g. the Wikipedia list of most-followed accounts).",
)
@click.option(
    "--posts", default=50, show_default=True, type=click.IntRange(min=1), help="Newest posts per account."
)
@click.option(
    "--cookies",
    type=click.Path(exists=True, dir_okay=False),
    help="cookies.txt of a browser session logged in to Instagram (needed for most requests).",
)
@click.option(
    "--out",
    "out_dir",
    default="scrapes",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder that receives one dated folder per run.",
)
@click.option(
    "--sleep",
    default=3.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Base pause in seconds: S..2S between requests, S/2..S before each download.",
)
@click.option(
    "--no-media", is_flag=True, help="Write metadata only (gallery-dl --no-download); no image features."
)
@click.option(
    "--followers",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Also list up to N followers per account (needs --cookies).",
)
@click.option(
    "--following",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Also list up to N followed accounts per account (needs --cookies).",
)
@click.option(
    "--gallery-dl",
    "executable",
    default="gallery-dl",
    show_default=True,
    help="The gallery-dl executable (name on PATH or a path).",
)
@click.option("--no-load", is_flag=True, help="Only scrape; load later with `influence load gallery-dl`.")
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False),
    help="JSON Lines file for rejected records (default: rejects-<timestamp>.jsonl here).",
)
@format_option
@pass_ctx
def scrape_instagram(
    ctx: Ctx,
    users: tuple[str, ...],
    accounts_file: str | None,
    posts: int,
    cookies: str | None,
    out_dir: str,
    sleep: float,
    no_media: bool,
    followers: int,
    following: int,
    executable: str,
    no_load: bool,
    rejects: str | None,
    fmt: str,
) -> None:
    """Scrape Instagram profiles USER… with gallery-dl into OUT/<YYYY-MM-DDTHHMMSS>/ and load them."""
    from pathlib import Path

    from influence.ingest import scrape

    accounts, bad = scrape.parse_accounts(users)
    if accounts_file:
        more, bad_lines = scrape.read_accounts(accounts_file)
        accounts = list(dict.fromkeys(accounts + more))
        bad += bad_lines
    from influence.ingest import readable

    for item, reason in bad:
        ctx.progress(readable(f"skipped {item!r}: {reason}"))
    if not accounts:
        raise click.ClickException("no accounts to scrape — give usernames or --accounts FILE")
    options = scrape.ScrapeOptions(
        posts=posts,
        cookies=Path(cookies) if cookies else None,
        sleep=sleep,
        media=not no_media,
        followers=followers,
        following=following,
        executable=executable,
    )
    if no_load:
        result = scrape.run_scrape(accounts, out_dir, options, progress=ctx.progress)
        click.echo(render(result.rows(), fmt))
        return
    from influence.progress import load_callback

    rejects_path = Path(rejects) if rejects else Path(f"rejects-{time.strftime('%Y%m%d-%H%M%S')}.jsonl")
    with ctx.driver() as driver, ctx.display().bar("load", unit="records") as bar:
        done = scrape.scrape_and_load(
            driver,
            accounts,
            out_dir,
            rejects_path,
            options,
            database=ctx.settings.database,
            progress=ctx.progress,
            load_progress=load_callback(bar),
        )
    click.echo(render(done.rows(), fmt))
    if not done.load.usable:
        raise click.ClickException(
            f"gallery-dl wrote nothing usable — see {done.scrape.folder / scrape.LOG_NAME}"
        )
