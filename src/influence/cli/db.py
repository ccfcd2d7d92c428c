"""`influence db …`: the managed Neo4j server (install, start, stop, status, password, init, reset)."""

from __future__ import annotations

import time

import click

from influence import db
from influence.cli.app import Ctx, pass_ctx
from influence.cli.options import format_option
from influence.report.tables import render_mapping


# --------------------------------------------------------------------------------------- db
@click.group("db")
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
        click.echo(
            f"Neo4j started in {time.monotonic() - started:.1f} s: {server.bolt_uri}, Browser {server.browser_url}"
        )
    else:
        click.echo(f"Neo4j is already running (pid {server.pid()}): {server.bolt_uri}")


@db_group.command("stop")
@click.option(
    "--timeout",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds to wait for a clean stop before the JVM is killed.",
)
@pass_ctx
def db_stop(ctx: Ctx, timeout: float) -> None:
    """Stop the managed server cleanly (SIGTERM; SIGKILL after --timeout, and says so)."""
    _managed_only(ctx, "stop")
    server = db.managed_server(ctx.settings)
    if not server.stop(timeout=timeout):
        click.echo("Neo4j was not running")
    elif server.killed:
        click.echo(f"Neo4j killed: {server.killed}")
    else:
        click.echo("Neo4j stopped")


@db_group.command("status")
@format_option
@pass_ctx
def db_status(ctx: Ctx, fmt: str) -> None:
    """Running or not, versions, Bolt URI, Browser URL, user and where the password is (never the
    password itself: `influence db password` prints it)."""
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
                "running": True,
                "neo4j_version": db.neo4j_version(driver),
                "gds_version": db.gds_version(driver),
                "bolt_uri": ctx.settings.uri,
                "user": ctx.settings.username,
            }
    click.echo(render_mapping(data, fmt))


@db_group.command("password")
@pass_ctx
def db_password(ctx: Ctx) -> None:
    """Print the managed server's password of user neo4j on stdout (for scripts and Neo4j Browser)."""
    if not ctx.settings.managed:
        raise click.ClickException(
            "`influence db password` prints the managed server's password, but NEO4J_URI / --uri points at "
            f"{ctx.settings.uri} — that server's password is the one you set (NEO4J_PASSWORD)"
        )
    click.echo(db.managed_server(ctx.settings).password())


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
