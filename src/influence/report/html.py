"""The marketer's HTML report: one self-contained folder that opens offline from ``file://``.

:func:`build_report` reads top-N views of the graph (never everything, so the page stays small
and fast with 100,000 users loaded), draws the charts (:mod:`influence.report.plots`), copies
the model card's plots when a model is given (:mod:`influence.report.model_card`), reads scored
draft posts when a predictions file is given (:mod:`influence.report.scored`), and renders ``index.html`` from the Jinja2 template with autoescaping on: captions,
usernames and hashtags are scraped, untrusted text. A part whose data is missing (analytics
not run, no model) becomes a one-line note naming the command that produces it.

Output layout::

    DIR/index.html          the report
    DIR/assets/*.png        charts
    DIR/model/*             the model card's plots and Markdown (with --model)
    DIR/network.html        the interactive network of the most influential accounts (after analyze;
                            linked, not embedded: thousands of animated edges would slow the page)
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from neo4j import Driver

from influence import __version__, cypher, db
from influence.errors import InfluenceError, InputError
from influence.glossary import community_name, flag_words, topic_name
from influence.report import plots
from influence.report.formats import (
    fmt_compact,
    fmt_date,
    fmt_int,
    fmt_num,
    fmt_pct,
    native,
    safe_url,
    shorten,
)
from influence.report.model_card import read_model_card
from influence.report.scored import add_draft_text, read_predictions

DEFAULT_TOP = 20
#: Hashtags drawn in the co-occurrence picture (more become an unreadable hairball).
NETWORK_HASHTAGS = 40
#: Accounts in the followers-vs-engagement scatter plot.
SCATTER_SAMPLE = 2000
MEMBERS_PER_COMMUNITY = 8
HASHTAGS_PER_COMMUNITY = 6
#: Hashtags that name a hashtag topic.
TOPIC_HASHTAGS = 3
#: Viral posts (with a caption) the emotions comparison needs; fewer make every share a coin toss.
MIN_EMOTION_GROUP = 20
#: Accounts seen only through mentions, tags or follows listed under the top influencers.
SEEN_ONLY = 10
#: Accounts in the interactive network page (the analytics' viz, most influential first).
INTERACTIVE_USERS = 150
NETWORK_PAGE = "network.html"

Progress = Callable[[str], None]

#: Section id → title, in page order.
SECTIONS: dict[str, str] = {
    "overview": "What is loaded",
    "influencers": "Top influencers",
    "communities": "Communities",
    "hashtags": "Hashtags",
    "network": "Hashtag network",
    "viral": "Viral now",
    "audience": "Audience overlap",
    "model": "Virality model",
    "predictions": "Scored draft posts",
    "safety": "Brand safety of accounts",
    "emotions": "Emotions in viral posts",
}


@dataclass
class ReportResult:
    """What :func:`build_report` wrote."""

    path: Path  # index.html
    notes: dict[str, str] = field(default_factory=dict)  # section id → why it is (partly) missing
    images: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # rows shown per section
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step
    seconds: float = 0.0

    def rows(self) -> list[dict[str, Any]]:
        """One row per section (for the CLI's table): shown rows, and the note when missing."""
        return [
            {"section": sid, "title": title, "rows": self.counts.get(sid, 0), "note": self.notes.get(sid, "")}
            for sid, title in SECTIONS.items()
        ]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("influence.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        int=fmt_int,
        compact=fmt_compact,
        pct=fmt_pct,
        num=fmt_num,
        date=fmt_date,
        url=safe_url,
        shorten=shorten,
        flag_words=flag_words,
    )
    return env


# ------------------------------------------------------------------------------ graph reads
def _rows(driver: Driver, name: str, params: Mapping[str, Any], database: str | None) -> list[dict[str, Any]]:
    records = db.read(driver, cypher.load(name), params, database)
    return [{k: native(v) for k, v in r.data().items()} for r in records]


def read_graph(
    driver: Driver,
    top: int = DEFAULT_TOP,
    database: str | None = None,
    timings: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Everything the report shows from the graph: top-N views only, as plain Python values."""
    timings = timings if timings is not None else {}

    def timed(key: str, name: str, **params: Any) -> list[dict[str, Any]]:
        started = time.monotonic()
        rows = _rows(driver, name, params, database)
        timings[f"query {key}"] = time.monotonic() - started
        return rows

    summary = timed("summary", "report_html_summary")[0]
    data: dict[str, Any] = {"summary": summary}
    data["influencers"] = timed("influencers", "report_html_influencers", top=top)
    data["seen_only"] = timed("seen only", "report_seen_only", top=SEEN_ONLY, community=None)
    data["sample"] = timed("engagement sample", "report_html_engagement_sample", sample=SCATTER_SAMPLE)
    data["communities"] = (
        timed(
            "communities",
            "report_html_communities",
            top=top,
            members=MEMBERS_PER_COMMUNITY,
            hashtags=HASHTAGS_PER_COMMUNITY,
            ids=None,
        )
        if summary["communities"]
        else []
    )
    # the communities of listed influencers that are not among the largest, to name them too
    others = sorted(
        {u["community"] for u in data["influencers"] if u.get("community") is not None}
        - {c["community"] for c in data["communities"]}
    )
    extra = (
        timed(
            "influencer communities",
            "report_html_communities",
            top=len(others),
            members=MEMBERS_PER_COMMUNITY,
            hashtags=HASHTAGS_PER_COMMUNITY,
            ids=others,
        )
        if others
        else []
    )
    data["community_names"] = {
        c["community"]: community_name(c["community"], c["hashtags"], c["members"])
        for c in data["communities"] + extra
    }
    for c in data["communities"]:
        c["name"] = data["community_names"][c["community"]]
    data["hashtags"] = timed("hashtags", "report_html_hashtags", top=top) if summary["hashtags"] else []
    network = (
        timed("co-occurrence", "report_html_cooccurrence", top=NETWORK_HASHTAGS)
        if summary["hasCooccurrence"]
        else []
    )
    data["network"] = network[0] if network else {"nodes": [], "edges": []}
    topics = sorted(
        {
            h["community"]
            for h in data["hashtags"] + list(data["network"]["nodes"])
            if h.get("community") is not None
        }
    )
    data["topic_names"] = (
        {
            t["topic"]: topic_name(t["topic"], t["hashtags"])
            for t in timed("topics", "report_html_topics", ids=topics, hashtags=TOPIC_HASHTAGS)
        }
        if topics
        else {}
    )
    data["viral"] = timed("viral", "report_html_viral", top=top) if summary["hasViralLabels"] else []
    from influence.analytics.reports import viral_now_rule, viral_summary

    data["viral_summary"] = viral_summary(driver, None, database) if summary["hasViralLabels"] else None
    vs = data["viral_summary"]
    data["viral_rule"] = viral_now_rule(vs["threshold"], vs["windowHours"]) if vs else viral_now_rule()
    for post in data["viral"]:
        # Post.viralRatio (analytics) is velocity / the author's median; the query's median is the fallback
        v, b, r = post.get("velocity"), post.get("baseline"), post.get("viralRatio")
        post["baseline_words"] = None
        if r is not None and v is not None and r > 0:
            post["ratio"], post["baseline"] = r, v / r
            if (
                post.get("basis") == "followers"
            ):  # compared with the usual for its size, not the author's median
                post["baseline_words"] = "usual for its follower count"
        else:
            post["ratio"] = v / b if v is not None and b else None
    return data


# ------------------------------------------------------------------------------ the report
NOTE_ANALYZE = "run `influence analyze` to compute it"


def _charts(
    data: dict[str, Any], assets: Path, images: list[Path], timings: dict[str, float]
) -> dict[str, str]:
    charts: dict[str, str] = {}

    def draw(key: str, fn: Callable[..., Path], *args: Any) -> None:
        started = time.monotonic()
        path = fn(*args, assets / f"{key}.png")
        images.append(path)
        charts[key] = f"assets/{path.name}"
        timings[f"plot {key}"] = time.monotonic() - started

    order = {c["community"]: i for i, c in enumerate(data["communities"])}
    if data["sample"] or data["influencers"]:
        highlight = [
            (r["username"] or r["id"], r["followers"], r["engagementRate"])
            for r in data["influencers"][:10]
            if r["engagementRate"] is not None
        ]
        points = [(r["followers"], r["engagementRate"], order.get(r["community"])) for r in data["sample"]]
        if points or highlight:
            draw("followers_engagement", plots.followers_vs_engagement, points, highlight)
    if data["communities"]:
        draw("community_sizes", plots.community_sizes, [(c["name"], c["size"]) for c in data["communities"]])
    if data["hashtags"]:
        draw(
            "top_hashtags",
            plots.top_hashtags,
            [(h["name"], h["posts"]) for h in data["hashtags"] if h["posts"]],
        )
    if data["network"]["nodes"]:
        draw(
            "hashtag_network",
            lambda path: plots.hashtag_network(
                data["network"]["nodes"], data["network"]["edges"], path, data["topic_names"]
            ),
        )
    velocity_rows = [
        (
            f"@{p['author'] or p['authorId'] or '?'} · {p['shortcode'] or p['id']}",
            p["velocity"],
            p["baseline"],
        )
        for p in data["viral"][:12]
        if p["velocity"] is not None
    ]
    if velocity_rows:
        draw("viral_velocity", plots.viral_velocity, velocity_rows)
    return charts


def _notes(data: dict[str, Any]) -> dict[str, str]:
    s = data["summary"]
    notes: dict[str, str] = {}
    load_hint = (
        "load data with `influence load …` (for a demo data set: `influence sample DIR`, then load it)"
    )
    if not s["users"] and not s["posts"]:
        notes["overview"] = f"The graph is empty — {load_hint}."
    if not data["influencers"]:
        notes["influencers"] = f"No account with a profile (a follower count) is loaded — {load_hint}." + (
            " The accounts below are known only because loaded accounts mention, tag or follow them."
            if data.get("seen_only")
            else ""
        )
    elif not s["hasPagerank"]:
        notes["influencers"] = (
            f"Ranked by followers: network influence (PageRank) and communities are missing — {NOTE_ANALYZE}."
        )
    if not data["communities"]:
        notes["communities"] = f"No communities yet — {NOTE_ANALYZE}."
    if not data["hashtags"]:
        notes["hashtags"] = f"No hashtags are loaded — {load_hint}."
    elif not s["hasHashtagRank"]:
        notes["hashtags"] = f"Hashtag influence and spread across communities are missing — {NOTE_ANALYZE}."
    if not data["network"]["nodes"]:
        notes["network"] = f"No hashtag co-occurrence network yet — {NOTE_ANALYZE}."
    if not s["hasViralLabels"]:
        notes["viral"] = (
            f"No viral labels yet — {NOTE_ANALYZE} (it scores posts against the virality criteria)."
        )
    elif not data["viral"]:
        notes["viral"] = (data["viral_summary"] or {}).get("found") or "No post is viral now."
    return notes


def build_report(
    driver: Driver,
    out_dir: Path,
    *,
    top: int = DEFAULT_TOP,
    model_dir: Path | None = None,
    predictions: Path | None = None,
    database: str | None = None,
    progress: Progress | None = None,
    drafts: Path | None = None,
) -> ReportResult:
    """Write the HTML report for the loaded graph into ``out_dir`` and return what was written.

    ``top`` is the number of rows per table (influencers, communities, hashtags, viral posts).
    ``model_dir`` is a folder written by ``influence train``; ``predictions`` is the JSON
    output of ``influence predict --format json``; ``drafts`` the file those predictions were made
    from (its captions and authors are shown next to the scores, matched by ``id``). Missing
    parts become notes, never errors;
    :class:`InputError` only for an unusable ``top`` or an ``out_dir`` that is a file.
    """
    say = progress or (lambda _m: None)
    if top < 1 or top > 500:
        raise InputError(f"--top must be between 1 and 500, not {top} (the report shows top-N views)")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} is a file — pass a folder to -o")
    started = time.monotonic()
    timings: dict[str, float] = {}
    assets = out_dir / "assets"
    if assets.exists():
        shutil.rmtree(assets)
    assets.mkdir(parents=True)

    say("reading the graph")
    data = read_graph(driver, top, database, timings)
    notes = _notes(data)
    say("drawing charts")
    images: list[Path] = []
    charts = _charts(data, assets, images, timings)

    say("comparing the top accounts' audiences")
    from influence.report.audience import overlap_section

    step = time.monotonic()
    overlap, overlap_note = overlap_section(driver, data["influencers"], assets, database)
    if overlap is not None:
        images.append(overlap.pop("path"))
        charts["audience_overlap"] = overlap["chart"]
    elif overlap_note:
        notes["audience"] = overlap_note
    timings["audience overlap"] = time.monotonic() - step

    say("drawing the interactive network")
    step = time.monotonic()
    network_page, network_users, network_left_out = _interactive_network(driver, out_dir, database, data)
    timings["interactive network"] = time.monotonic() - step
    card = None
    if model_dir is not None:
        say(f"reading the model card in {model_dir}")
        card, note = read_model_card(Path(model_dir), out_dir)
        if note:
            notes["model"] = note
        elif card is not None:
            images.extend(out_dir / p["src"] for p in card["plots"])
    else:
        notes["model"] = (
            "No model given — train one with `influence train --out DIR`, "
            "then add `--model DIR` to include its model card."
        )
    scored: list[dict[str, Any]] = []
    if predictions is not None:
        scored, note = read_predictions(Path(predictions))
        if note:
            notes["predictions"] = note
        elif drafts is not None:
            note = add_draft_text(scored, Path(drafts))
            if note:
                notes["predictions"] = note
    else:
        notes["predictions"] = (
            "No draft posts given — score them with `influence predict DRAFTS --format json "
            "> scored.json`, then add `--predictions scored.json`."
        )

    say("checking brand safety and emotions")
    step = time.monotonic()
    extra = _safety_emotions(driver, top, database, notes)
    timings["brand safety and emotions"] = time.monotonic() - step

    say("writing index.html")
    counts = {
        "overview": 1 if data["summary"]["users"] or data["summary"]["posts"] else 0,
        "influencers": len(data["influencers"]),
        "communities": len(data["communities"]),
        "hashtags": len(data["hashtags"]),
        "network": len(data["network"]["nodes"]),
        "viral": len(data["viral"]),
        "model": 1 if card else 0,
        "predictions": len(scored),
        "safety": len(extra["safety"]),
        "emotions": len(extra["emotions"]),
        "audience": overlap["accounts"] if overlap else 0,
    }
    step = time.monotonic()
    html = (
        _environment()
        .get_template("report.html.j2")
        .render(
            sections=SECTIONS,
            notes=notes,
            charts=charts,
            data=data,
            s=data["summary"],
            card=card,
            scored=scored,
            network_page=network_page,
            top=top,
            generated=datetime.now(UTC).strftime("%d %b %Y %H:%M UTC"),
            version=__version__,
            network_users=network_users,
            network_left_out=network_left_out,
            extra=extra,
            overlap=overlap,
        )
    )
    index = out_dir / "index.html"
    index.write_text(html, encoding="utf-8")
    timings["render html"] = time.monotonic() - step
    return ReportResult(
        path=index,
        notes=notes,
        images=images,
        counts=counts,
        timings=timings,
        seconds=time.monotonic() - started,
    )


def _safety_emotions(driver: Driver, top: int, database: str | None, notes: dict[str, str]) -> dict[str, Any]:
    """The brand-safety and emotion sections (:mod:`influence.safety.account`, :mod:`influence.report.emotions`)."""
    from influence.report import emotions as emotion_report
    from influence.safety import account as safety
    from influence.safety.policy import load_policy
    from influence.signals.emotions import DEFAULT_LEXICON, LICENCES

    ranked = safety.account_safety(
        driver, load_policy(None), top=top, min_posts=3, images=False, database=database
    )
    rows = [r for r in ranked.rows if r["flagged"]]
    clean = None
    if not ranked.posts:
        notes["safety"] = "No posts loaded yet — load a scrape with `influence load …`."
    elif not rows:
        clean = (
            f"None of the {ranked.posts:,} loaded posts raised a brand-safety flag under the default policy."
        )
    emotions, counts = emotion_report.emotion_comparison(driver, DEFAULT_LEXICON, database)
    if not counts["captions"]:
        notes["emotions"] = (
            "No posts are labelled viral and non-viral yet — run `influence analyze` on data with "
            "engagement counts."
        )
    elif not emotions:
        notes["emotions"] = (
            "No post is viral now (see Viral now), so there are no viral posts to compare with the others."
        )
    elif counts["viral"] < MIN_EMOTION_GROUP:
        notes["emotions"] = (
            f"Only {counts['viral']:,} post{'s are' if counts['viral'] != 1 else ' is'} viral now — "
            f"too few to compare emotions (at least {MIN_EMOTION_GROUP} are needed; a share of "
            f"{counts['viral']} posts moves in steps of {100 / counts['viral']:.0f} %)."
        )
        emotions = []
    return {
        "safety": rows,
        "safety_clean": clean,
        "emotions": emotions,
        "emotion_counts": counts,
        "emotion_lexicon": LICENCES[DEFAULT_LEXICON],
    }


def _interactive_network(
    driver: Driver, out_dir: Path, database: str | None, data: dict[str, Any]
) -> tuple[str | None, int, int]:
    """Write the analytics' interactive network of the most influential accounts.

    Returns its relative URL, the number of accounts drawn and the number of relationships
    among them left out (the picture keeps the strongest); (None, 0, 0) when there is nothing
    to draw (no PageRank yet) or the picture cannot be made.
    """
    target = out_dir / NETWORK_PAGE
    if target.exists():
        target.unlink()
    if not data["summary"]["hasPagerank"]:
        return None, 0, 0
    from influence.report import viz

    try:
        graph = viz.load_graph(driver, top=INTERACTIVE_USERS, database=database)
    except InfluenceError:
        return None, 0, 0
    if not graph.nodes:
        return None, 0, 0
    target.write_text(viz.render_html(graph, height="95vh"), encoding="utf-8")
    return NETWORK_PAGE, len(graph.nodes), graph.left_out
