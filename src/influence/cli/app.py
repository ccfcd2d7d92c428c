"""The ``influence`` group: settings, the one place errors become ``Error: …``, and what every command gets.

The group imports a command's module only when that command runs or shows its own help: the
root ``--help`` lists the commands from :data:`COMMANDS` (issue 22: ``influence --help`` costs
no more than twice importing click). ``tests/unit/test_cli_lazy.py`` holds the table to the
commands' own help texts.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from gettext import gettext as _
from typing import TYPE_CHECKING, Any

import click

from influence import __version__
from influence.errors import InfluenceError

if TYPE_CHECKING:
    from neo4j import Driver

    from influence.config import Settings

#: each top-level command: name → (``module:attribute`` defining it, its short help as
#: ``get_short_help_str`` gives it untruncated: the first sentence of its help)
COMMANDS: dict[str, tuple[str, str]] = {
    "analyze": (
        "influence.cli.analyze:analyze_cmd",
        "Run the GDS analytics and write the results back; print each step's timings.",
    ),
    "audience": (
        "influence.cli.audience:audience_group",
        "The audience behind accounts: overlap between accounts and audience quality.",
    ),
    "browser-guide": (
        "influence.cli.explore:browser_guide_cmd",
        "Write the saved queries as a Neo4j Browser guide (`:play http://localhost:PORT/FILE`).",
    ),
    "criteria": (
        "influence.cli.models:criteria_group",
        'What "viral" means: the client\'s virality criteria file (TOML).',
    ),
    "db": (
        "influence.cli.db:db_group",
        "Install, run and inspect the managed Neo4j + GDS server; create the schema.",
    ),
    "load": (
        "influence.cli.load:load_group",
        "Load scraped data into Neo4j: idempotent, so rerun a load to finish or refresh it.",
    ),
    "plan": (
        "influence.cli.audience:plan_command",
        "Pick accounts that together reach the most distinct audience (greedy maximum coverage).",
    ),
    "predict": (
        "influence.cli.models:predict_cmd",
        "Score draft posts (FILE: CSV/JSON drafts or gallery-dl sidecars) or graph posts (--post-id).",
    ),
    "query": ("influence.cli.explore:query_cmd", "Run a read-only Cypher STATEMENT and print its rows."),
    "report": (
        "influence.cli.report:report_group",
        "Reports for people: the marketer's HTML report and more.",
    ),
    "sample": (
        "influence.cli.sample:sample_command",
        "Write a seeded synthetic Instagram scrape in gallery-dl's format into OUTDIR.",
    ),
    "scrape": (
        "influence.cli.scrape:scrape_group",
        "Scrape social media with an external tool, then load what it wrote.",
    ),
    "train": (
        "influence.cli.models:train_cmd",
        "Train the virality predictor for its three situations (known author, new author, an "
        "author's own drafts) and compare each with the baselines on a time and an author split.",
    ),
    "viz": (
        "influence.cli.explore:viz_cmd",
        "Write an interactive network picture: colour = community, size = PageRank, with a legend.",
    ),
}


class InfluenceGroup(click.Group):
    """A click group that loads its commands lazily and renders :class:`InfluenceError` as
    ``Error: …`` with exit code 1.

    ``lazy_commands`` maps a command's name to the ``module:attribute`` defining it and its
    short help (click's documented lazy-loading pattern): :meth:`get_command` imports the module
    when the command is asked for; :meth:`format_commands` lists the commands not yet imported
    from their short help, so the group's own ``--help`` imports none of them.
    """

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, tuple[str, str]] = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            self.add_command(self._import(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def _import(self, cmd_name: str) -> click.Command:
        module_name, _, attribute = self.lazy_commands[cmd_name][0].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}:{attribute} is not a click command")
        return command

    def summary(self, cmd_name: str) -> click.Command:
        """The command if imported, else a stand-in carrying its short help, which gives the same
        :meth:`~click.Command.get_short_help_str` at every width."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        return click.Command(cmd_name, help=self.lazy_commands[cmd_name][1])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The ``Commands:`` section, as click writes it, without importing any command."""
        commands = [(n, c) for n in self.list_commands(ctx) if not (c := self.summary(n)).hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section(_("Commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])

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
        from influence import db

        driver = db.connect(self.settings)
        try:
            yield driver
        finally:
            db.close_within(driver)


pass_ctx = click.make_pass_decorator(Ctx)


@click.group(
    cls=InfluenceGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
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
    from influence.config import Settings

    # the driver logs connection failures it then raises; the raise becomes one `Error:` line,
    # so its log records must not reach stderr as well (no handler: Python would print them)
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False
    settings = Settings.from_env().with_overrides(
        uri=uri, username=username, password=password, database=database, home=home
    )
    ctx.obj = Ctx(settings, quiet)
