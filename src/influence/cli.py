"""The ``influence`` command line: parsing and rendering only.

Each command reads the settings, opens at most one driver (closed on exit), calls one library
function and renders what it returns. The :class:`InfluenceGroup` turns the project's own
errors into ``Error: …`` and exit code 1 in one place; other exceptions are bugs and keep
their traceback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from neo4j import Driver

from influence import __version__, db
from influence.config import Settings
from influence.errors import InfluenceError
from influence.report.tables import FORMATS, render, render_mapping


class InfluenceGroup(click.Group):
    """A click group that renders :class:`InfluenceError` as ``Error: …`` with exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InfluenceError as e:
            raise click.ClickException(str(e)) from e


class Ctx:
    """What every command gets: the settings and the output switches."""

    def __init__(self, settings: Settings, quiet: bool) -> None:
        self.settings = settings
        self.quiet = quiet

    def progress(self, message: str) -> None:
        """A progress line on stderr, unless --quiet."""
        if not self.quiet:
            click.echo(message, err=True)

    @contextmanager
    def driver(self) -> Iterator[Driver]:
        """One driver for the command, closed on exit."""
        driver = db.connect(self.settings)
        try:
            yield driver
        finally:
            driver.close()


pass_ctx = click.make_pass_decorator(Ctx)


def format_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """The shared ``--format table|json|csv`` option."""
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="Output format: a readable table, or JSON / CSV for pipes.",
    )(f)


@click.group(cls=InfluenceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="influence")
@click.option("--uri", help="Bolt URI of your own Neo4j 5 with GDS (env NEO4J_URI). Default: the managed server.")
@click.option("--user", "username", help="Neo4j user (env NEO4J_USERNAME, default neo4j).")
@click.option("--password", help="Neo4j password (env NEO4J_PASSWORD; default: the managed server's password file).")
@click.option("--database", help="Neo4j database (env NEO4J_DATABASE; default: the server's default).")
@click.option("--home", type=click.Path(file_okay=False), help="Where the managed server lives (env INFLUENCE_HOME).")
@click.option("-q", "--quiet", is_flag=True, help="No progress output on stderr.")
@click.pass_context
def cli(
    ctx: click.Context,
    uri: str | None,
    username: str | None,
    password: str | None,
    database: str | None,
    home: str | None,
    quiet: bool,
) -> None:
    """Influence Graph: who is influential, which communities exist, what goes viral.

    Scraped Instagram data is loaded into Neo4j, analysed with Graph Data Science and used to
    train a virality predictor. Flags win over the NEO4J_* environment variables.
    """
    settings = Settings.from_env().with_overrides(
        uri=uri, username=username, password=password, database=database, home=home
    )
    ctx.obj = Ctx(settings, quiet)


# --------------------------------------------------------------------------------------- db
@cli.group("db")
def db_group() -> None:
    """Install, run and inspect the managed Neo4j + GDS server; create the schema."""


def _managed_only(ctx: Ctx, command: str) -> None:
    if not ctx.settings.managed:
        raise click.ClickException(
            f"`influence db {command}` manages the local server, but NEO4J_URI / --uri points at "
            f"{ctx.settings.uri} — unset it to use the managed server"
        )


@db_group.command("install")
@pass_ctx
def db_install(ctx: Ctx) -> None:
    """Resolve Neo4j, GDS and Browser from Maven Central and write neo4j.conf (idempotent)."""
    _managed_only(ctx, "install")
    server = db.managed_server(ctx.settings)
    started = time.monotonic()
    resolved = server.install(progress=ctx.progress)
    verb = "installed" if resolved else "already installed"
    click.echo(f"Neo4j {verb} in {server.home} ({time.monotonic() - started:.1f} s)")


@db_group.command("start")
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for Bolt to answer.")
@pass_ctx
def db_start(ctx: Ctx, timeout: float) -> None:
    """Start the managed server in the background and wait until it answers."""
    _managed_only(ctx, "start")
    server = db.managed_server(ctx.settings)
    started = time.monotonic()
    if server.start(timeout=timeout, progress=ctx.progress):
        click.echo(f"Neo4j started in {time.monotonic() - started:.1f} s: {server.bolt_uri}, Browser {server.browser_url}")
    else:
        click.echo(f"Neo4j is already running (pid {server.pid()}): {server.bolt_uri}")


@db_group.command("stop")
@pass_ctx
def db_stop(ctx: Ctx) -> None:
    """Stop the managed server cleanly."""
    _managed_only(ctx, "stop")
    server = db.managed_server(ctx.settings)
    click.echo("Neo4j stopped" if server.stop() else "Neo4j was not running")


@db_group.command("status")
@format_option
@pass_ctx
def db_status(ctx: Ctx, fmt: str) -> None:
    """Running or not, versions, Bolt URI, Browser URL, user and password file."""
    if ctx.settings.managed:
        server = db.managed_server(ctx.settings)
        versions: tuple[str | None, str | None] = (None, None)
        if server.pid() is not None:
            with ctx.driver() as driver:
                versions = (db.neo4j_version(driver), db.gds_version(driver))
        data = server.status(versions).as_dict()
    else:
        with ctx.driver() as driver:
            data = {
                "running": True, "neo4j_version": db.neo4j_version(driver),
                "gds_version": db.gds_version(driver), "bolt_uri": ctx.settings.uri,
                "user": ctx.settings.username,
            }
    click.echo(render_mapping(data, fmt))


@db_group.command("init")
@pass_ctx
def db_init(ctx: Ctx) -> None:
    """Create the constraints and indexes of the graph model (idempotent)."""
    with ctx.driver() as driver:
        db.gds_version(driver)
        names = db.init_schema(driver, ctx.settings.database)
    click.echo(f"schema ready: {len(names)} constraints and indexes")


@db_group.command("reset")
@click.option("--yes", is_flag=True, help="Confirm: delete all data.")
@pass_ctx
def db_reset(ctx: Ctx, yes: bool) -> None:
    """Delete all data and GDS in-memory graphs; keep the schema."""
    if not yes:
        raise click.ClickException("`influence db reset` deletes every node — add --yes to confirm")
    with ctx.driver() as driver:
        nodes, graphs = db.reset(driver, ctx.settings.database)
    click.echo(f"deleted {nodes} nodes and {graphs} GDS graphs; the schema is kept")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influence")


