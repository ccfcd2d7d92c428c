"""`influence load …`: scraped data into the graph, one command per input format."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import click

from influence import db
from influence.cli.app import Ctx, pass_ctx
from influence.cli.options import COLUMN_FIELD, FIELD_VALUE
from influence.report.tables import columns_text, render


# ------------------------------------------------------------------------------------- load
# Loading scraped data (owner: ingest). Parsers are imported inside the commands so each
# command works as soon as its parser exists and `influence --help` stays fast.
@click.group("load")
def load_group() -> None:
    """Load scraped data into Neo4j: idempotent, so rerun a load to finish or refresh it.

    Rejected records go to a JSON Lines rejects file and are counted in the summary; a load
    fails (exit 1) only when nothing usable was found or the database failed.
    """


def load_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options every ``load`` command shares."""
    decorators = [
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
    for option in reversed(decorators):
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
    _echo_summary(summary, stats, bulk)
    _check_loaded(summary, path, rejects_path)


def _echo_summary(summary: Any, stats: Any, bulk: str | None) -> None:
    """The load summary: records per kind, the totals, where each column went, the import files."""
    from pathlib import Path

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
        click.echo(columns_text(stats.columns))
    if bulk is not None:
        click.echo(f"import files written to {bulk}: see {Path(bulk) / 'README.md'}")


def _check_loaded(summary: Any, path: str | None, rejects_path: Any) -> None:
    """ClickException when a sniffable input looks like another tool's output, or nothing usable was loaded."""
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
    type=COLUMN_FIELD,
    help="Read record field FIELD from column COLUMN (repeatable); unmapped columns use the documented defaults.",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="FIELD=VALUE",
    type=FIELD_VALUE,
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
