"""`influence query`, `viz` and `browser-guide`: reading the graph yourself."""

from __future__ import annotations

from typing import Any

import click

from influence import db
from influence.cli.app import Ctx, pass_ctx
from influence.cli.options import format_option, query_param
from influence.report.tables import render


@click.command("query")
@click.argument("statement")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME[:TYPE]=VALUE",
    type=query_param(),
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


@click.command("viz")
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


@click.command("browser-guide")
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
