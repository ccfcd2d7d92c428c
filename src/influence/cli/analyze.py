"""`influence analyze`: the GDS analytics written back to the graph."""

from __future__ import annotations

import click

from influence.cli.app import Ctx, pass_ctx
from influence.cli.options import format_option
from influence.report.tables import render


# -------------------------------------------------------------------------------- analytics
# GDS analytics, its reports, ad-hoc queries, the network picture, Browser saved queries
# (owner: analytics). Imports are local so `influence --help` stays fast.
@click.command("analyze")
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
