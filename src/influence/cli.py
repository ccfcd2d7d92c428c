"""The ``influence`` command line: parsing and rendering only.

Each command reads the settings, opens at most one driver (closed on exit), calls one library
function and renders what it returns. The :class:`InfluenceGroup` turns the project's own
errors into ``Error: …`` and exit code 1 in one place; other exceptions are bugs and keep
their traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from neo4j import Driver

from influence import __version__, cli_types, db
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


def format_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """The shared ``--format table|json|csv`` option."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format: a readable table, or JSON / CSV for pipes.",
    )(f)


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


# --------------------------------------------------------------------------------- criteria
# Virality criteria (owner: content). Imports are local so `influence --help` stays fast.
@cli.group("criteria")
def criteria_group() -> None:
    """What "viral" means: the client's virality criteria file (TOML)."""


@criteria_group.command("show")
@click.argument("file", required=False, metavar="[FILE|NAME]")
@format_option
def criteria_show(file: str | None, fmt: str) -> None:
    """Print the effective criteria of FILE (or a shipped NAME, see `criteria list`) over the
    shipped default (no FILE: the default)."""
    from influence.models.criteria import criteria_path, describe, load_criteria

    criteria = load_criteria(criteria_path(file) if file else None)
    click.echo(render_mapping(describe(criteria, flat=fmt != "json"), fmt))


@criteria_group.command("list")
@format_option
def criteria_list(fmt: str) -> None:
    """The criteria files shipped for each kind of data: `influence train --criteria NAME`."""
    from influence.models.criteria import SHIPPED, shipped_criteria

    rows = [
        {
            "name": name,
            "fits": SHIPPED[name][0],
            "train with": f"--criteria {name} {SHIPPED[name][1]}",
            "file": str(path),
        }
        for name, path in shipped_criteria().items()
    ]
    click.echo(render(rows, fmt))


# ------------------------------------------------------------------------------------- load
# Loading scraped data (owner: ingest). Parsers are imported inside the commands so each
# command works as soon as its parser exists and `influence --help` stays fast.
@cli.group("load")
def load_group() -> None:
    """Load scraped data into Neo4j: idempotent, so rerun a load to finish or refresh it.

    Rejected records go to a JSON Lines rejects file and are counted in the summary; a load
    fails (exit 1) only when nothing usable was found or the database failed.
    """


def load_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options every ``load`` command shares."""
    options = [
        click.option(
            "--rejects",
            type=click.Path(dir_okay=False),
            help="JSON Lines file rejected records are appended to "
            "(default: rejects-<timestamp>.jsonl in the current directory, created only when needed).",
        ),
        click.option(
            "--batch-size",
            type=click.IntRange(min=1),
            default=None,
            help="Records per transaction (default 10000).",
        ),
        click.option(
            "--bulk",
            type=click.Path(file_okay=False),
            help="Write neo4j-admin import CSVs (and import.sh) into this folder instead of loading: "
            "for first loads of millions of records into an empty database.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No progress output on stderr."),
        *_limit_options(),
    ]
    for option in reversed(options):
        f = option(f)
    return f


#: (option, Limits field, scale, help) of the bounds a load keeps to (see loaders/limits.py).
_LIMITS = (
    (
        "--max-document-mb",
        "max_document_bytes",
        1024 * 1024,
        "Largest (decompressed) input file or document, in MiB; a larger one is one reject.",
    ),
    ("--max-ratio", "max_ratio", 1, "Largest decompressed/compressed ratio of a .xz/.gz/.bz2 file."),
    (
        "--max-text-chars",
        "max_text_chars",
        1,
        "Longest string value (caption, bio …); longer rejects the record.",
    ),
    ("--max-list-items", "max_list_items", 1, "Most hashtags / mentions / tagged users in one post."),
    ("--max-records-per-file", "max_records_per_file", 1, "Most JSON values read from one file."),
    (
        "--max-extra-properties",
        "max_extra_properties",
        1,
        "Most distinct extra property names (CSV / GraphML columns) one load may create.",
    ),
    (
        "--max-line-mb",
        "max_line_bytes",
        1024 * 1024,
        "Largest CSV row / edge-list line / GraphML or GEXF node or edge, in MiB; a larger one is one reject.",
    ),
    (
        "--max-graph-file-mb",
        "max_graph_file_bytes",
        1024 * 1024,
        "Largest GML or Pajek file (read whole, ~50x its size in memory), in MiB; stream a bigger graph as an edge list.",
    ),
    (
        "--max-rejects",
        "max_rejects",
        1,
        "Most lines written to the rejects file; later rejects are counted by reason only.",
    ),
    (
        "--max-rejects-mb",
        "max_rejects_bytes",
        1024 * 1024,
        "Most MiB written to the rejects file; later rejects are counted by reason only.",
    ),
)


def _limit_options() -> list[Callable[..., Any]]:
    from influence.loaders.limits import DEFAULT

    def store(field: str, scale: int) -> Callable[[click.Context, click.Parameter, Any], None]:
        def callback(ctx: click.Context, _: click.Parameter, value: Any) -> None:
            if value is not None:
                ctx.meta.setdefault("influence.limits", {})[field] = type(getattr(DEFAULT, field))(
                    value * scale
                )

        return callback

    options = []
    for flag, field, scale, text in _LIMITS:
        default = getattr(DEFAULT, field) / scale
        kind: Any = (
            click.FloatRange(min=0, min_open=True)
            if field == "max_ratio" or field.endswith("_bytes")
            else click.IntRange(min=1)
        )
        envvar = "INFLUENCE_" + flag.lstrip("-").upper().replace("-", "_")
        options.append(
            click.option(
                flag,
                type=kind,
                default=None,
                expose_value=False,
                envvar=envvar,
                callback=store(field, scale),
                help=f"{text} [default: {default:.10g}; env {envvar}]",
            )
        )
    return options


def _active_limits() -> Any:
    from influence.loaders.limits import DEFAULT, Limits

    chosen = click.get_current_context().meta.get("influence.limits", {})
    return Limits(**{**{f: getattr(DEFAULT, f) for f in DEFAULT.__slots__}, **chosen})


def _load(
    ctx: Ctx,
    records: Any,
    rejects: str | None,
    batch_size: int | None,
    bulk: str | None,
    quiet: bool,
    stats: Any = None,
    path: str | None = None,
    recursive: bool = True,
) -> None:
    from pathlib import Path

    from influence.ingest import DEFAULT_BATCH_SIZE, ingest
    from influence.loaders import limits
    from influence.progress import count_files, load_callback

    ctx.quiet = ctx.quiet or quiet
    rejects_path = Path(rejects) if rejects else Path(f"rejects-{time.strftime('%Y%m%d-%H%M%S')}.jsonl")
    # a folder parser that counts files as it goes gives the bar a total (and an ETA)
    total = count_files(path, recursive) if path is not None and stats is not None else None
    display = ctx.display()
    # parsers are lazy: the limits must be in force while ingest iterates them
    with (
        limits.using(_active_limits()),
        display.bar("load", total=total, unit="files" if total is not None else "records") as bar,
    ):
        callback = load_callback(bar, stats)
        if bulk is not None:
            from influence.ingest.bulk import write_import

            summary = write_import(records, Path(bulk), rejects_path, progress=callback)
        else:
            with ctx.driver() as driver:
                summary = ingest(
                    driver,
                    records,
                    rejects_path,
                    ctx.settings.database,
                    batch_size or DEFAULT_BATCH_SIZE,
                    progress=callback,
                )
    if stats is not None:  # a folder parser's ParseStats
        summary.files = stats.files_parsed
        summary.skipped = dict(stats.skipped)
    kinds = summary.kind_rows()
    if kinds:
        click.echo(
            render(kinds, columns=["kind", "records", "new", "updated", "unchanged", "created", "total"])
        )
        if bulk is None:
            click.echo(LOAD_KINDS_NOTE)
        click.echo()
    click.echo(render(summary.rows(kinds=False)))
    if stats is not None and stats.columns:
        click.echo()
        click.echo(_columns_text(stats.columns))
    if bulk is not None:
        click.echo(f"import files written to {bulk}: see {Path(bulk) / 'README.md'}")
    command = click.get_current_context().info_name
    mostly_rejected = summary.rejected > max(summary.records - summary.written["scrapes"], 0)
    if path is not None and mostly_rejected and command in _SNIFFED:
        from influence.loaders import sniff

        other = sniff.guess(path)
        if other is not None and other != command:
            raise click.ClickException(
                f"{summary.rejected} of the records read were rejected: {path} looks like {other} output, not "
                f"{command} — load it with `influence load {other} {path}`"
                + (
                    f" (the {summary.records - summary.written['scrapes']} records written by this load may be wrong)"
                    if summary.usable
                    else ""
                )
            )
    if not summary.usable:
        raise click.ClickException(
            f"nothing usable was loaded ({summary.rejected} records rejected"
            + (f", see {rejects_path})" if summary.rejected else ")")
            + " — check the path and the input format"
        )


def _columns_text(columns: dict[str, dict[str, str]]) -> str:
    """Where each input column or key went, per input kind: mapped to a field, kept as a
    property, or ignored (named, so nothing is dropped in silence)."""
    lines = []
    for kind, seen in columns.items():
        mapped = [
            name if where == "read" else f"{name} → {where}"
            for name, where in seen.items()
            if not where.startswith(("property ", "ignored"))
        ]
        kept = [
            f"{name} → {where.removeprefix('property ')}"
            for name, where in seen.items()
            if where.startswith("property ")
        ]
        ignored = [name for name, where in seen.items() if where.startswith("ignored")]
        lines.append(f"{kind}: {len(seen)} columns or keys")
        read_as_is = all(
            where == "read" for where in seen.values() if not where.startswith(("property ", "ignored"))
        )
        lines.append(("  read: " if read_as_is else "  mapped to fields: ") + (", ".join(mapped) or "none"))
        if kept:
            lines.append("  kept as properties: " + ", ".join(kept))
        lines.append(f"  ignored ({len(ignored)}, not loaded): " + (", ".join(ignored) or "none"))
    return "\n".join(lines)


#: Loaders whose input :mod:`influence.loaders.sniff` can recognise (a wrong one is named).
_SNIFFED = frozenset({"gallery-dl", "instaloader", "profilecrawl", "zeeschuimer", "instagram-export"})

LOAD_KINDS_NOTE = (
    "records = new + updated + unchanged: how that kind's records found the graph. created: what the load "
    "added to the graph,\nalso through records of another kind (a post's author and mentions create accounts, "
    "its counts an observation, its hashtags hashtags)."
)

_verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Name every file the folder load passes over, and why, on stderr (the summary counts them).",
)


def _folder_stats(ctx: Ctx, verbose: bool) -> Any:
    from influence.loaders.common import ParseStats

    def named(file: Any, why: str) -> None:
        click.echo(f"skipped {file}: {why}", err=True)

    return ParseStats(on_skip=named if verbose else None)


@load_group.command("gallery-dl")
@click.argument("path", type=click.Path(exists=True))
@_verbose_option
@load_options
@pass_ctx
def load_gallery_dl(
    ctx: Ctx,
    path: str,
    verbose: bool,
    rejects: str | None,
    batch_size: int | None,
    bulk: str | None,
    quiet: bool,
) -> None:
    """Load a gallery-dl output folder (--write-metadata sidecars, metadata .txt files) or a
    `gallery-dl -j` dump; a USER.following.txt `-g` list of profile URLs is a follow list."""
    from influence.loaders import gallery_dl

    stats = _folder_stats(ctx, verbose)
    _load(ctx, gallery_dl.parse(path, stats=stats), rejects, batch_size, bulk, quiet, stats, path)


@load_group.command("zeeschuimer")
@click.argument("path", type=click.Path(exists=True))
@_verbose_option
@load_options
@pass_ctx
def load_zeeschuimer(
    ctx: Ctx,
    path: str,
    verbose: bool,
    rejects: str | None,
    batch_size: int | None,
    bulk: str | None,
    quiet: bool,
) -> None:
    """Load a Zeeschuimer / 4CAT NDJSON export (the browser-extension capture): its Instagram
    posts, each observed at its line's collection time; TikTok and other lines are counted as skipped."""
    from influence.loaders import zeeschuimer

    stats = _folder_stats(ctx, verbose)
    _load(ctx, zeeschuimer.parse(path, stats=stats), rejects, batch_size, bulk, quiet, stats, path)


@load_group.command("instagram-export")
@click.argument("path", type=click.Path(exists=True))
@_verbose_option
@load_options
@pass_ctx
def load_instagram_export(
    ctx: Ctx,
    path: str,
    verbose: bool,
    rejects: str | None,
    batch_size: int | None,
    bulk: str | None,
    quiet: bool,
) -> None:
    """Load Instagram's own "Download your information" export (JSON; its folder or .zip): the
    exporting account, its posts, followers, following and liked posts."""
    from influence.loaders import instagram_export

    stats = _folder_stats(ctx, verbose)
    _load(ctx, instagram_export.parse(path, stats=stats), rejects, batch_size, bulk, quiet, stats, path)


@load_group.command("instaloader")
@click.argument("path", type=click.Path(exists=True))
@_verbose_option
@load_options
@pass_ctx
def load_instaloader(
    ctx: Ctx,
    path: str,
    verbose: bool,
    rejects: str | None,
    batch_size: int | None,
    bulk: str | None,
    quiet: bool,
) -> None:
    """Load instaloader output: a folder of .json / .json.xz post and profile files, or one file."""
    from influence.loaders import instaloader

    stats = _folder_stats(ctx, verbose)
    _load(ctx, instaloader.parse(path, stats=stats), rejects, batch_size, bulk, quiet, stats, path)


@load_group.command("profilecrawl")
@click.argument("path", type=click.Path(exists=True))
@click.option(
    "--observed-at",
    metavar="TIME",
    help="When the crawl saw the counts (ISO 8601, e.g. 2017-04-26T23:00Z; default: from the files).",
)
@_verbose_option
@load_options
@pass_ctx
def load_profilecrawl(
    ctx: Ctx,
    path: str,
    observed_at: str | None,
    verbose: bool,
    rejects: str | None,
    batch_size: int | None,
    bulk: str | None,
    quiet: bool,
) -> None:
    """Load instagram-profilecrawl JSON: a folder with one file per profile, or one file."""
    from pathlib import Path

    from influence.loaders import profilecrawl
    from influence.values import to_datetime

    try:
        seen = to_datetime(observed_at) if observed_at else None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--observed-at") from e
    stats = _folder_stats(ctx, verbose)
    _load(
        ctx,
        profilecrawl.parse(Path(path), observed_at=seen, stats=stats),
        rejects,
        batch_size,
        bulk,
        quiet,
        stats,
        path,
    )


@load_group.command("csv")
@click.argument("file", type=click.Path(exists=True))
@click.option(
    "--kind",
    required=True,
    type=click.Choice(["accounts", "posts", "follows", "observations", "likes", "comments"]),
    help="What one row of FILE is (likes: user, post; comments: user, post, text, optional time).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=FIELD",
    type=cli_types.COLUMN_FIELD,
    help="Read record field FIELD from column COLUMN (repeatable); unmapped columns use the documented defaults.",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="FIELD=VALUE",
    type=cli_types.FIELD_VALUE,
    help="Give FIELD the value VALUE in every row where it is empty (repeatable), e.g. --set author=my.brand "
    "for an account's own Insights export.",
)
@click.option(
    "--observed-at",
    metavar="TIME",
    help="When the counts were seen (ISO 8601; default: the file's modification time); with a relative "
    "age column ('11 hours') it gives each post's date.",
)
@click.option(
    "--date-format",
    metavar="FORMAT",
    help="How the date columns are written when the file does not tell: a strptime format "
    "(e.g. '%d/%m/%Y %H:%M') or dayfirst / monthfirst.",
)
@click.option(
    "--accept-missing",
    is_flag=True,
    help="Load a posts table even when it has no author, no date or no engagement column (the load says "
    "which and stops otherwise).",
)
@_verbose_option
@load_options
@pass_ctx
def load_csv(
    ctx: Ctx,
    file: str,
    kind: str,
    maps: tuple[tuple[str, str], ...],
    sets: tuple[tuple[str, str], ...],
    observed_at: str | None,
    date_format: str | None,
    accept_missing: bool,
    verbose: bool,
    rejects: str | None,
    batch_size: int | None,
    bulk: str | None,
    quiet: bool,
) -> None:
    """Load a CSV (or a folder of *.csv) of accounts, posts, follow edges, engagement observations,
    likes (user, post) or comments (user, post, text, optional time).

    Read as people write them: Excel's `sep=;` line, decimal commas, mojibake, `None`/`N/A`
    placeholders, epoch seconds or milliseconds, day-first dates decided per column.
    """
    from pathlib import Path

    from influence.loaders import csv_input
    from influence.values import to_datetime

    try:
        seen = to_datetime(observed_at) if observed_at else None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--observed-at") from e
    constants = dict(sets)
    stats = _folder_stats(ctx, verbose)
    records = csv_input.parse(
        Path(file),
        kind,
        dict(maps),
        date_format=date_format,
        observed_at=seen,
        constants=constants,
        stats=stats,
        accept_missing=accept_missing,
    )
    _load(ctx, records, rejects, batch_size, bulk, quiet, stats, file, recursive=False)


@load_group.command("follows")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "csv", "edgelist", "graphml", "gexf", "gml", "pajek", "json"]),
    default="auto",
    show_default=True,
    help="Format of FILE; auto decides by extension and content.",
)
@click.option(
    "--nodes",
    type=click.Path(exists=True, dir_okay=False),
    help="A node table (CSV with an id column, or SNAP JSON) loaded as accounts before the edges.",
)
@load_options
@pass_ctx
def load_follows(
    ctx: Ctx,
    file: str,
    fmt: str,
    nodes: str | None,
    rejects: str | None,
    batch_size: int | None,
    bulk: str | None,
    quiet: bool,
) -> None:
    """Load a follow graph: an edge list (SNAP's headerless CSV too), a CSV of follower,followed pairs
    (Gephi's edge table with its Type column), GraphML, GEXF, GML, Pajek NET or SNAP JSON."""
    from itertools import chain
    from pathlib import Path

    from influence.loaders import follows
    from influence.loaders.common import ParseStats

    stats = ParseStats(files_parsed=1 + (nodes is not None))
    records = follows.parse(Path(file), fmt, stats=stats)
    if nodes is not None:
        records = chain(follows.parse_nodes(Path(nodes), stats=stats), records)
    _load(ctx, records, rejects, batch_size, bulk, quiet, stats)


@load_group.command("bulk-import")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("--overwrite", is_flag=True, help="Replace the database if it holds data (all of it is lost).")
@pass_ctx
def load_bulk_import(ctx: Ctx, outdir: str, overwrite: bool) -> None:
    """Import a folder written by `load … --bulk` into the stopped managed server (neo4j-admin).

    Then `influence db start && influence db init` to create the constraints.
    """
    from pathlib import Path

    from influence.ingest.bulk import import_arguments
    from influence.server.admin_import import run_import

    if not ctx.settings.managed:
        raise click.ClickException(
            "`influence load bulk-import` imports into the managed server; for your own Neo4j run "
            f"the import.sh in {outdir} on that server (stopped)"
        )
    server = db.managed_server(ctx.settings)
    started = time.monotonic()
    output = run_import(
        server, import_arguments(Path(outdir).resolve(), ctx.settings.database or "neo4j", overwrite)
    )
    ctx.progress(output.strip())
    click.echo(
        f"imported {outdir} in {time.monotonic() - started:.1f} s — now run "
        "`influence db start && influence db init`"
    )


# ----------------------------------------------------------------------------------- report
# Reports (owner of `report html`: report; other `report …` subcommands: analytics).
# Imports are local so `influence --help` stays fast.
@cli.group("report")
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


# ------------------------------------------------------------------------- train / predict
# The virality predictor (models/pipeline, train, predict, store, card).


@cli.command("train")
@click.option(
    "--criteria",
    "criteria_file",
    metavar="FILE|NAME",
    help="Virality criteria: a TOML file, or the name of a shipped file for a kind of data "
    "(`influence criteria list`, e.g. reddit-final-top10). Default: the shipped default criteria.",
)
@click.option(
    "--mode",
    type=click.Choice(["pre", "early"]),
    default="pre",
    show_default=True,
    help="pre: before publication; early: also the engagement seen in the first hours.",
)
@click.option(
    "--early-hours",
    default=2.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Early mode: hours of observations after posting that the model may see.",
)
@click.option(
    "--target",
    type=click.Choice(["auto", "velocity", "engagement"]),
    default="auto",
    show_default=True,
    help="What to label: velocity (engagement per hour), settled engagement (data seen once, long "
    "after posting), or auto: velocity where the observations allow it.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="model",
    show_default=True,
    help="Folder for the model files, model.json and the model card.",
)
@click.option(
    "--emotion-lexicon",
    type=click.Choice(["empath", "nrc"]),
    default="empath",
    show_default=True,
    help="Lexicon of the emotion features: empath (MIT) or nrc (NRC EmoLex, research use only; "
    "pip install 'influence-graph[nrc]').",
)
@format_option
@pass_ctx
def train_cmd(
    ctx: Ctx,
    criteria_file: str | None,
    mode: str,
    early_hours: float,
    target: str,
    out_dir: str,
    emotion_lexicon: str,
    fmt: str,
) -> None:
    """Train the virality predictor for its three situations (known author, new author, an
    author's own drafts) and compare each with the baselines on a time and an author split."""
    from pathlib import Path

    from influence.models import catalogue
    from influence.models.criteria import criteria_path, load_criteria
    from influence.models.pipeline import train_from_graph
    from influence.models.train import metrics_rows

    criteria = load_criteria(criteria_path(criteria_file) if criteria_file else None)
    with ctx.driver() as driver:
        report = train_from_graph(
            driver,
            criteria,
            Path(out_dir),
            mode=mode,
            early_hours=early_hours,
            target=target,
            database=ctx.settings.database,
            progress=ctx.progress,
            emotion_lexicon=emotion_lexicon,
        )
    rows = metrics_rows(report.evaluation)
    cols = ["situation", "split", "method", "n", "roc_auc", "pr_auc", "spearman", "mae", "pairwise", "pairs"]
    if fmt == "table":
        from influence.models.card import calibration_sentence, reliability_text, verdict_sentences

        click.echo(
            "What the model can do, judged on authors it never saw (95 % intervals from resampling them):"
        )
        for who, sentence in verdict_sentences(report.verdicts):
            click.echo(f"  {who}: {sentence}")
        for warning in report.warnings:
            click.echo(f"  warning: {warning}")
        click.echo("Viral probability, calibrated on held-out authors (Brier: lower is better):")
        for name, c in report.calibration.items():
            click.echo(f"  {calibration_sentence(name, c)}")
            click.echo(f"    reliability: {reliability_text(c)}")
        click.echo("Every figure (time split: newest posts held out; author split: authors held out):")
        for row in rows:
            row["situation"] = catalogue.SITUATIONS.get(row["situation"], row["situation"])
            row["method"] = catalogue.METHODS.get(row["method"], row["method"])
        rows = [
            {catalogue.metric_name(k) if k in catalogue.METRICS else k: v for k, v in r.items()} for r in rows
        ]
        cols = [catalogue.metric_name(k) if k in catalogue.METRICS else k for k in cols]
    click.echo(render(rows, fmt, columns=cols))
    ctx.progress(f"model written to {report.model_dir}; model card {report.card}")


@cli.command("predict")
@click.argument("file", required=False, type=click.Path(exists=True))
@click.option("--post-id", "post_ids", multiple=True, help="Score a post already in the graph (repeatable).")
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True),
    default="model",
    show_default=True,
    help="Model folder (or its model.json) written by `influence train`.",
)
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Brand-safety policy file (blocked terms and hashtags, minimum sentiment).",
)
@click.option("--safe-only", is_flag=True, help="Rank only posts that pass the brand-safety check.")
@click.option(
    "--region",
    help="Score every post as if in this group of the model's scope (a language code, "
    "a country code or a community id, as the criteria's scope says).",
)
@format_option
@pass_ctx
def predict_cmd(
    ctx: Ctx,
    file: str | None,
    post_ids: tuple[str, ...],
    model_path: str,
    policy_file: str | None,
    safe_only: bool,
    region: str | None,
    fmt: str,
) -> None:
    """Score draft posts (FILE: CSV/JSON drafts or gallery-dl sidecars) or graph posts (--post-id).

    Drafts have the columns id, author, caption, hashtags, posted_at, media and, for an account
    that is not in the graph, author_followers, author_following, author_posts, author_verified.
    Each post is scored as a known author's (in the graph with earlier posts; with "× usual":
    the post against the author's usual engagement) or a new author's (the `basis` column).
    Output: viral probability (calibrated), predicted engagement, what pushed the score up and
    down, and brand-safety flags; a bad row gets its own error. Rows are ordered by what ranked
    best on held-out authors; where the model does not beat its baseline the row's note says so
    and the baseline orders it.
    """
    from pathlib import Path

    from influence.models import predict, store
    from influence.report.words import flag_words

    if bool(file) == bool(post_ids):
        raise click.UsageError("give either FILE or --post-id (one or more), not both or neither")
    model = store.load(Path(model_path))
    policy = predict.load_policy(Path(policy_file) if policy_file else None)
    drafts = predict.read_drafts(Path(file)) if file else []
    # a bar for a big file only: a few drafts are scored in well under a second
    display = ctx.display()
    display.enabled = display.enabled and len(drafts) > predict.CHUNK_ROWS
    with ctx.driver() as driver, display.bar("predict", total=len(drafts), unit="posts") as bar:
        if file:
            result = predict.score_drafts(
                driver,
                model,
                drafts,
                policy=policy,
                safe_only=safe_only,
                database=ctx.settings.database,
                region=region,
                on_rows=bar.update,
            )
        else:
            result = predict.score_post_ids(
                driver,
                model,
                list(post_ids),
                policy=policy,
                safe_only=safe_only,
                database=ctx.settings.database,
                region=region,
            )
    for notice in result.notices:
        ctx.progress(f"notice: {notice}")
    if fmt == "table":
        rows = [
            {
                **r,
                "basis": (r["basis"] or "").replace("_", " "),
                "times_usual": f"× {r['times_usual']:.3f}" if r["times_usual"] is not None else None,
                "predicted": round(r["predicted"]) if r["predicted"] is not None else None,
                "flags": [flag_words(f) for f in r["flags"] or []],
            }
            for r in result.rows()
        ]
        click.echo(render(rows, fmt, columns=predict.TABLE_COLUMNS))
        ctx.progress(
            f"predicted = {model.meta.target} ({'engagement once settled' if model.meta.target == 'engagement' else 'engagement per hour'}); "
            "× usual = against the author's usual engagement, from the model that ranks one account's "
            "drafts (for an account in the graph, `predicted` is its expected level and barely moves "
            "between drafts: × usual is what tells them apart); rows in the order that ranked best on "
            "held-out authors (a note says where the model could not beat its baseline)"
        )
    else:
        click.echo(render(result.rows(), fmt, columns=predict.COLUMNS))


# ---------------------------------------------------------------------------------- sample
# A synthetic gallery-dl scrape with planted structure (owner: sample). No database.
@cli.command("sample")
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


@cli.group("audience")
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
        click.echo(
            render_mapping(
                {
                    "accounts": ov.usernames,
                    "ids": ov.accounts,
                    "audience": ov.sizes,
                    "source": ov.source,
                    "union": ov.union,
                    "shared_by_two": ov.shared_by_two,
                    "matrix": ov.matrix,
                    "pairs": ov.pairs,
                    "coverage": ov.coverage,
                    "warnings": ov.warnings,
                },
                "json",
            )
        )
        return
    if matrix:
        rows = [
            {"account": name, **{other: ov.matrix[i][j] for j, other in enumerate(ov.usernames)}}
            for i, name in enumerate(ov.usernames)
        ]
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


@cli.command("plan")
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
    raw = [
        {
            "plan": name,
            "rank": k.rank,
            "id": k.id,
            "username": k.username,
            "followers": k.followers,
            "audience": k.audience,
            "gain": k.gain,
            "reach": k.reach,
            "cost": k.cost,
        }
        for name, picks in (("greedy", p.picks), ("top_followers", p.baseline))
        for k in picks
    ]
    if fmt != "table":
        click.echo(render(raw, fmt))
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
    gain = (p.reach / p.baseline_reach - 1.0) if p.baseline_reach else 0.0
    click.echo(
        f"The plan reaches {gain:+.1%} {what} vs. the top by followers "
        f"({p.candidates:,} candidates considered); both count the audience members the graph knows."
    )
    known = sum(c["known_followers"] for c in p.coverage)
    counted = sum(c["followers"] or 0 for c in p.coverage if c["coverage"] is not None)
    if counted:
        click.echo(
            f"Coverage: the picked accounts have {counted:,} followers by their profiles; the graph knows "
            f"{known:,} of them ({100.0 * known / counted:.2f} %)."
        )
    for note in p.notes:
        click.echo(f"Note: {note}.")
    for warning in p.warnings:
        click.echo(f"Warning: {warning}.")


# ---------------------------------------------------------------------------------- scrape
# Runs gallery-dl into OUT/<YYYY-MM-DDTHHMMSS>/ and loads that folder (owner: sample).
@cli.group("scrape")
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


# -------------------------------------------------------------------------------- analytics
# GDS analytics, its reports, ad-hoc queries, the network picture, Browser saved queries
# (owner: analytics). Imports are local so `influence --help` stays fast.
@cli.command("analyze")
@click.option(
    "--only",
    help="Comma-separated steps to run (default all): interactions, influence, engagement, "
    "communities, proximity, hashtags, viral, embeddings.",
)
@click.option(
    "--algorithm",
    type=click.Choice(["pagerank", "articlerank", "eigenvector"]),
    default="pagerank",
    show_default=True,
    help="Influence centrality (written as User.pagerank / articlerank / eigenvector).",
)
@click.option(
    "--communities",
    "community_algo",
    type=click.Choice(["louvain", "leiden"]),
    default="louvain",
    show_default=True,
    help="Community detection on the user graph (User.community).",
)
@click.option(
    "--viral-threshold",
    default=3.0,
    show_default=True,
    type=float,
    help="Post.isViral when its viral score (robust z against the author's baseline) reaches this.",
)
@click.option(
    "--window-hours",
    default=24.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Velocity window: engagement per hour over the first N hours after posting.",
)
@format_option
@pass_ctx
def analyze_cmd(
    ctx: Ctx,
    only: str | None,
    algorithm: str,
    community_algo: str,
    viral_threshold: float,
    window_hours: float,
    fmt: str,
) -> None:
    """Run the GDS analytics and write the results back; print each step's timings."""
    from influence.analytics.base import AnalyzeOptions
    from influence.analytics.run import analyze, parse_steps

    options = AnalyzeOptions(
        algorithm=algorithm,
        communities=community_algo,
        viral_threshold=viral_threshold,
        velocity_window_hours=window_hours,
    )
    steps = parse_steps(only)
    with ctx.driver() as driver, ctx.display().bar("analyze", total=len(steps), unit="steps") as bar:

        def said(message: str) -> None:  # the step under way, after the bar
            bar.set(bar.n, message.removeprefix("analyze: "))

        result = analyze(
            driver, steps, options, ctx.settings.database, progress=said, on_step=lambda _name: bar.update()
        )
    click.echo(render(result.rows(), fmt))
    if fmt == "table" and result.modularity is not None:
        sizes = result.community_sizes
        click.echo(
            f"\nmodularity {result.modularity:.4f}; {len(sizes)} communities, sizes "
            + ", ".join(map(str, sizes[:15]))
            + (" …" if len(sizes) > 15 else "")
        )


#: Accounts seen only through mentions, tags or follows shown under `report influencers`.
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
        rows = reports.influencers(driver, top, community, by, db_name)
        hint = (
            None
            if rows
            else reports.empty_hint(driver, "influencers", by=by, community=community, database=db_name)
        )
        others = reports.seen_only(driver, SEEN_ONLY_SHOWN, community, db_name) if fmt == "table" else []
    _report_rows(rows, fmt, reports.COLUMNS["influencers"], hint)
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
        rows = reports.viral(driver, top, community, not show_all, db_name)
        summary = reports.viral_summary(driver, community, db_name)
        hint = (
            None
            if rows
            else reports.empty_hint(driver, "viral", community=community, only_viral=False, database=db_name)
        )
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

    from influence.report.words import flag_words
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


@cli.command("query")
@click.argument("statement")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME[:TYPE]=VALUE",
    type=cli_types.query_param(),
    help="A query parameter (repeatable). VALUE is text (ids are text: id=43597949) unless typed: "
    'top:int=10, share:float=0.5, ok:bool=true, ids:json=\'["a","b"]\'.',
)
@click.option(
    "--timeout",
    default=db.DEFAULT_QUERY_TIMEOUT,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds the query may run (transaction timeout).",
)
@click.option(
    "--limit",
    "max_rows",
    default=db.DEFAULT_QUERY_ROWS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most rows printed; more are cut with a notice on stderr.",
)
@click.option(
    "--max-mb",
    "max_mb",
    default=db.DEFAULT_QUERY_BYTES / 1024 / 1024,
    show_default=True,
    envvar="INFLUENCE_QUERY_MAX_MB",
    type=click.FloatRange(min=0, min_open=True),
    help="Most MiB of values kept (env INFLUENCE_QUERY_MAX_MB); the rows after are not fetched, with a notice.",
)
@format_option
@pass_ctx
def query_cmd(
    ctx: Ctx,
    statement: str,
    params: tuple[tuple[str, Any], ...],
    timeout: float,
    max_rows: int,
    max_mb: float,
    fmt: str,
) -> None:
    """Run a read-only Cypher STATEMENT and print its rows.

    The statement is planned with EXPLAIN first and refused, naming the rule, unless it only
    reads: no writes or schema changes, no LOAD CSV, no TERMINATE TRANSACTIONS, and only
    read / stream / stats / estimate procedures (gds.version(), gds.graph.list(), gds.*.stream,
    gds.*.estimate, db.labels() …). Neo4j Browser is the place for everything else.
    """
    with ctx.driver() as driver:
        result = db.run_read_only(
            driver,
            statement,
            dict(params),
            ctx.settings.database,
            timeout=timeout,
            max_rows=max_rows,
            max_bytes=int(max_mb * 1024 * 1024),
        )
    click.echo(render(result.rows, fmt, columns=result.columns))
    if result.cut_by == "bytes":
        shown = f"only the first {len(result.rows):,} rows are shown" if result.rows else "no row is shown"
        click.echo(
            f"notice: {shown}: the next would pass {max_mb:g} MiB of values (byte limit, --max-mb); the rest "
            "were not fetched — return fewer or smaller values per row",
            err=True,
        )
    elif result.truncated:
        click.echo(f"notice: only the first {max_rows:,} rows are shown (row limit, --limit)", err=True)


@cli.command("viz")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--community", type=int, help="Draw this user community.")
@click.option("--user", help="Draw this account and its neighbours (username or id).")
@click.option("--hashtag", help="Draw the accounts that used this hashtag.")
@click.option(
    "--top",
    default=150,
    show_default=True,
    type=click.IntRange(1, 2000),
    help="At most this many users (the most influential of the selection).",
)
@click.option(
    "--max-edges",
    default=600,
    show_default=True,
    type=click.IntRange(0, 20_000),
    help="At most this many relationships, the strongest first (the page says how many were left out).",
)
@click.option(
    "--labels",
    default=30,
    show_default=True,
    type=click.IntRange(0, 2000),
    help="Write the names of this many accounts (the most influential); hover shows the others.",
)
@pass_ctx
def viz_cmd(
    ctx: Ctx,
    out: str,
    community: int | None,
    user: str | None,
    hashtag: str | None,
    top: int,
    max_edges: int,
    labels: int,
) -> None:
    """Write an interactive network picture: colour = community, size = PageRank, with a legend.

    The layout is computed before the page is written, so it opens still and in seconds.
    """
    from pathlib import Path

    from influence.report import viz

    with ctx.driver() as driver:
        graph = viz.load_graph(
            driver, community, user, hashtag, top, ctx.settings.database, max_edges=max_edges
        )
    path = viz.write_html(graph, Path(out), labels=labels)
    drawn = f"{len(graph.edges):,} relationships drawn"
    if graph.left_out:
        drawn = (
            f"{len(graph.edges):,} of {graph.total_edges:,} relationships drawn "
            f"(the strongest; {graph.left_out:,} left out, --max-edges changes it)"
        )
    click.echo(f"{len(graph.nodes):,} users, {drawn}: {path.resolve().as_uri()}")


@cli.command("browser-guide")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False), help="Guide HTML file to write.")
@click.option(
    "--favorites",
    type=click.Path(dir_okay=False),
    help="Also write the saved queries as a zip for Browser's Favorites → Import.",
)
@click.option(
    "--serve",
    "port",
    type=click.IntRange(1, 65535),
    help="Then serve the guide's folder on localhost:PORT (with CORS) until Ctrl-C.",
)
def browser_guide_cmd(out: str, favorites: str | None, port: int | None) -> None:
    """Write the saved queries as a Neo4j Browser guide (`:play http://localhost:PORT/FILE`)."""
    from pathlib import Path

    from influence.analytics import browser

    path = browser.write_guide(Path(out))
    click.echo(f"guide written: {path}")
    if favorites:
        click.echo(f"favourites written: {browser.write_favorites(Path(favorites))}")
    if port:
        server = browser.serve(path.resolve().parent, port)
        click.echo(
            f"serving; in Neo4j Browser run  :play http://localhost:{port}/{path.name}  (Ctrl-C stops)"
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influence")
