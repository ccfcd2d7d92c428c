"""`influence criteria …`, `train` and `predict`: the virality predictor."""

from __future__ import annotations

import click

from influence.cli.app import Ctx, pass_ctx
from influence.cli.options import format_option
from influence.report.tables import render, render_mapping


# --------------------------------------------------------------------------------- criteria
# Virality criteria (owner: content). Imports are local so `influence --help` stays fast.
@click.group("criteria")
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


# ------------------------------------------------------------------------- train / predict
# The virality predictor (models/pipeline, train, predict, store, card).


@click.command("train")
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

    from influence import glossary
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
        click.echo(
            "Viral probability, calibrated on held-out authors "
            f"({glossary.metric_name('brier')}: lower is better):"
        )
        for name, c in report.calibration.items():
            click.echo(f"  {calibration_sentence(name, c)}")
            click.echo(f"    reliability: {reliability_text(c)}")
        click.echo("Every figure (time split: newest posts held out; author split: authors held out):")
        rows, cols = glossary.metrics_in_words(rows, cols)
    click.echo(render(rows, fmt, columns=cols))
    ctx.progress(f"model written to {report.model_dir}; model card {report.card}")


@click.command("predict")
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

    from influence.glossary import flag_words
    from influence.models import predict, store

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
