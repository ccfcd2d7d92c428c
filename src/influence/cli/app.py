"""The ``influence`` group: settings, the one place errors become ``Error: …``, and what every command gets."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from influence import __version__, db
from influence.config import Settings
from influence.errors import InfluenceError

if TYPE_CHECKING:
    from neo4j import Driver


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

    def display(self) -> Any:
        """Progress bars on stderr (:mod:`influence.progress`): bars on a terminal, plain lines
        otherwise, nothing with --quiet."""
        from influence.progress import Display

        return Display(quiet=self.quiet)

    @contextmanager
    def driver(self) -> Iterator[Driver]:
        """One driver for the command, closed on exit."""
        driver = db.connect(self.settings)
        try:
            yield driver
        finally:
            db.close_within(driver)


pass_ctx = click.make_pass_decorator(Ctx)


@click.group(cls=InfluenceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="influence")
@click.option(
    "--uri", help="Bolt URI of your own Neo4j 5 with GDS (env NEO4J_URI). Default: the managed server."
)
@click.option("--user", "username", help="Neo4j user (env NEO4J_USERNAME, default neo4j).")
@click.option(
    "--password", help="Neo4j password (env NEO4J_PASSWORD; default: the managed server's password file)."
)
@click.option("--database", help="Neo4j database (env NEO4J_DATABASE; default: the server's default).")
@click.option(
    "--home", type=click.Path(file_okay=False), help="Where the managed server lives (env INFLUENCE_HOME)."
)
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
    # the driver logs connection failures it then raises; the raise becomes one `Error:` line,
    # so its log records must not reach stderr as well (no handler: Python would print them)
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False
    settings = Settings.from_env().with_overrides(
        uri=uri, username=username, password=password, database=database, home=home
    )
    ctx.obj = Ctx(settings, quiet)
