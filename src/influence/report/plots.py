"""Static PNG charts for the HTML report (matplotlib, Agg; pure: data in, file out).

Each function takes plain Python data, writes one PNG and returns its path. Figures are built
with :class:`matplotlib.figure.Figure` directly (no pyplot state), so building a report never
opens a window and is safe to call from any thread. Text that comes from scraped data
(usernames, hashtags) goes through :func:`label`: a ``$`` would otherwise switch matplotlib to
math mode, and an unbalanced one makes drawing fail.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

DPI = 110
#: The hashtag picture keeps at most this many links per hashtag drawn (the strongest).
MAX_EDGES_PER_NODE = 4
ACCENT = "#d6336c"
MUTED = "#8c8c9c"
BASE = "#4263eb"
#: Colours for communities: tab20 without its pale half, so labels stay readable.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)

#: adjustText iterations. A count, not its default one-second time limit, so the same data give
#: the same picture however busy the machine is (under load one second ran too few iterations
#: and names overlapped).
ADJUST_ITERATIONS = 1000


def label(text: Any, width: int = 28) -> str:
    """``text`` made safe for a matplotlib label: math mode off, at most ``width`` characters."""
    s = "" if text is None else str(text)
    s = s if len(s) <= width else s[: width - 1] + "…"
    return s.replace("\\", "\\\\").replace("$", r"\$")


def compact(value: float, _pos: Any = None) -> str:
    """1234 → 1.2K, 2500000 → 2.5M (axis ticks and annotations)."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def community_colour(community: Any) -> str:
    """A colour for a community's rank (0 = largest; grey when unknown).

    Callers pass ranks, not raw ids: ids from Louvain are arbitrary and would collide modulo
    the palette.
    """
    if community is None:
        return MUTED
    try:
        index = int(community)
    except (TypeError, ValueError):
        index = sum(map(ord, str(community)))
    return PALETTE[index % len(PALETTE)]


def _save(fig: Figure, path: Path, tight: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if tight:  # a figure whose labels were placed already keeps its layout
        fig.tight_layout()
    with warnings.catch_warnings():
        # scraped names carry emoji the default font lacks; a missing glyph is drawn as a box
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        warnings.filterwarnings("ignore", message="Matplotlib currently does not support")
        fig.savefig(path, dpi=DPI, format="png")
    return path


def percent(value: float, _pos: Any = None) -> str:
    """An axis tick for a rate (0.0123 → "1.2 %", 0.0005 → "0.05 %", 0 → "0 %"): as many decimals as
    the value needs to read as itself, never "-0.0 %"."""
    v = float(value) * 100.0
    if not math.isfinite(v) or abs(v) < 1e-9:
        return "0 %"
    digits = max(0, min(4, 1 - math.floor(math.log10(abs(v)))))  # two significant digits
    text = f"{v:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %"


def _style(ax: Axes) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="both", alpha=0.25)


def followers_vs_engagement_figure(
    points: Sequence[tuple[float, float, Any]],
    highlight: Sequence[tuple[str, float, float]],
) -> tuple[Figure, list[Text]]:
    """The reach-vs-engagement figure and its name labels (placed by adjustText, not overlapping).

    ``points`` are ``(followers, engagement_rate, community)``; ``highlight`` are
    ``(name, followers, engagement_rate)`` of the top influencers, labelled on the chart. The top
    accounts often sit close together (similar reach, similar rate), so the labels start on
    their dots and adjustText (Flyagin, https://github.com/Phlya/adjustText) pushes them apart,
    away from the dots, with a thin line back to each dot.
    """
    fig = Figure(figsize=(8, 4.8))
    FigureCanvasAgg(fig)  # adjustText measures text extents with the figure's renderer
    ax = fig.add_subplot()
    pts = [(f, e, c) for f, e, c in points if f and f > 0 and e is not None and math.isfinite(e) and e >= 0]
    positive = [p[1] for p in pts if p[1] > 0]
    # a wide range reads on a log axis; rates of 0 (no engagement) cannot sit on it and are drawn
    # on its bottom edge (a symlog axis read 0.0 %, −0.0 %, −0.1 %)
    floor = min(positive) / 1.5 if positive and max(positive) / max(min(positive), 1e-9) > 10 else None
    if pts:
        ax.scatter(
            [p[0] for p in pts],
            [p[1] if floor is None else max(p[1], floor) for p in pts],
            s=10,
            alpha=0.45,
            c=[community_colour(p[2]) for p in pts],
            linewidths=0,
        )
        ax.set_xscale("log")
        if floor is not None:
            ax.set_yscale("log")
            ax.set_ylim(bottom=floor)
        else:
            ax.set_ylim(bottom=0.0)
    marks = [(n, f, e) for n, f, e in highlight if f and f > 0 and e is not None and math.isfinite(e)][:10]
    texts: list[Text] = []
    if marks:
        ax.scatter([m[1] for m in marks], [m[2] for m in marks], s=40, color=ACCENT, zorder=3)
        if not pts:
            ax.set_xscale("log")
        texts = [
            ax.text(
                f,
                e,
                label(name, 18),
                fontsize=8,
                zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
            for name, f, e in marks
        ]
    ax.xaxis.set_major_formatter(FuncFormatter(compact))
    ax.yaxis.set_major_formatter(FuncFormatter(percent))
    ax.yaxis.set_minor_formatter(FuncFormatter(lambda _v, _p: ""))
    ax.set_xlabel("followers (log scale)")
    ax.set_ylabel("engagement rate" + (", log scale" if ax.get_yscale() == "log" else ""))
    ax.set_title(
        "Reach vs engagement: bigger accounts usually engage a smaller share of followers", fontsize=10
    )
    _style(ax)
    fig.tight_layout()
    if len(texts) > 1:
        from adjustText import adjust_text  # imported here: only this chart needs it

        adjust_text(
            texts,
            x=[m[1] for m in marks],
            y=[m[2] for m in marks],
            ax=ax,
            expand=(1.15, 1.4),
            force_text=(0.3, 0.6),
            force_explode=(0.3, 1.0),
            iter_lim=ADJUST_ITERATIONS,
            arrowprops={"arrowstyle": "-", "color": MUTED, "lw": 0.6},
        )
    return fig, texts


def followers_vs_engagement(
    points: Sequence[tuple[float, float, Any]],
    highlight: Sequence[tuple[str, float, float]],
    path: Path,
) -> Path:
    """Scatter of followers (log scale) against engagement rate, one dot per account (see
    :func:`followers_vs_engagement_figure`), written to ``path``."""
    fig, _ = followers_vs_engagement_figure(points, highlight)
    return _save(fig, path, tight=False)


def barh(
    items: Sequence[tuple[str, float]],
    path: Path,
    title: str,
    xlabel: str,
    colours: Sequence[str] | None = None,
    width: int = 28,
) -> Path:
    """A horizontal bar chart, largest bar on top; names cut to ``width`` characters."""
    fig = Figure(figsize=(8, max(2.2, 0.32 * len(items) + 1.2)))
    ax = fig.add_subplot()
    names = [label(n, width) for n, _ in items][::-1]
    values = [float(v) for _, v in items][::-1]
    cols = list(colours)[::-1] if colours is not None else BASE
    ax.barh(range(len(values)), values, color=cols)
    ax.set_yticks(range(len(values)), names, fontsize=9)
    for i, v in enumerate(values):
        ax.text(v, i, " " + compact(v), va="center", fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(compact))
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    _style(ax)
    ax.grid(axis="y", visible=False)
    if values:
        ax.set_xlim(0, max(values) * 1.15 or 1)
    return _save(fig, path)


def community_sizes(sizes: Sequence[tuple[str, int]], path: Path) -> Path:
    """Members per community (the largest ones); ``sizes`` are ``(name, members)``, largest first."""
    return barh(
        list(sizes),
        path,
        width=44,
        title="Largest communities",
        xlabel="accounts",
        colours=[community_colour(rank) for rank in range(len(sizes))],
    )


def top_hashtags(rows: Sequence[tuple[str, int]], path: Path) -> Path:
    """Posts per hashtag (the most used ones)."""
    return barh([(f"#{n}", v) for n, v in rows], path, title="Most used hashtags", xlabel="posts")


def hashtag_network(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    path: Path,
    topic_names: Mapping[Any, str] | None = None,
) -> Path:
    """:func:`hashtag_network_figure` written to ``path``."""
    fig, _ = hashtag_network_figure(nodes, edges, topic_names)
    return _save(fig, path, tight=False)


def hashtag_network_figure(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    topic_names: Mapping[Any, str] | None = None,
) -> tuple[Figure, list[Text]]:
    """The co-occurrence network of the top hashtags (size = posts, colour = topic community) and its names.

    ``nodes`` carry ``name``, ``posts``, ``community``; ``edges`` carry ``source``, ``target``
    and ``weight`` or ``count``; ``topic_names`` maps a topic (``community``) to its name for
    the legend (``"topic N"`` when missing). The layout is seeded, so the same graph gives the
    same picture. Hashtags of one topic sit close together, so their names are moved apart by
    adjustText (the dots stay where the layout put them).
    """
    import networkx as nx

    counts: dict[Any, int] = {}
    for n in nodes:
        counts[n.get("community")] = counts.get(n.get("community"), 0) + 1
    rank = {c: i for i, (c, _) in enumerate(sorted(counts.items(), key=lambda kv: -kv[1])) if c is not None}
    g = nx.Graph()
    for n in nodes:
        g.add_node(str(n["name"]))

    def strength(e: Mapping[str, Any]) -> float:
        w = e.get("weight") if e.get("weight") is not None else e.get("count")
        return float(w) if w is not None else 1.0

    # the strongest links only: hundreds of faint lines hide the structure
    for e in sorted(edges, key=strength, reverse=True)[: max(MAX_EDGES_PER_NODE * len(nodes), 20)]:
        g.add_edge(str(e["source"]), str(e["target"]), weight=strength(e))
    fig = Figure(figsize=(11, 7))
    FigureCanvasAgg(fig)  # adjustText measures text extents with the figure's renderer
    ax = fig.add_subplot()
    texts: list[Text] = []
    ax.set_axis_off()
    if g.number_of_nodes():
        pos = nx.spring_layout(g, seed=7, weight="weight", k=1.6 / math.sqrt(g.number_of_nodes()))
        weights = [d["weight"] for _, _, d in g.edges(data=True)]
        top = max(weights, default=1.0) or 1.0
        for a, b, d in g.edges(data=True):
            ax.plot(
                [pos[a][0], pos[b][0]],
                [pos[a][1], pos[b][1]],
                color=MUTED,
                alpha=0.15 + 0.55 * d["weight"] / top,
                linewidth=0.5 + 2.5 * d["weight"] / top,
                zorder=1,
            )
        info = {str(n["name"]): n for n in nodes}
        biggest = max((float(n.get("posts") or 0) for n in nodes), default=1.0) or 1.0
        names = list(g.nodes)
        ax.scatter(
            [pos[n][0] for n in names],
            [pos[n][1] for n in names],
            s=[60 + 900 * math.sqrt(float(info.get(n, {}).get("posts") or 0) / biggest) for n in names],
            c=[community_colour(rank.get(info.get(n, {}).get("community"))) for n in names],
            alpha=0.85,
            edgecolors="white",
            linewidths=0.8,
            zorder=2,
        )
        texts = [
            ax.text(pos[n][0], pos[n][1], "#" + label(n, 20), ha="center", va="center", fontsize=8, zorder=3)
            for n in names
        ]
        shown = [c for c, _ in sorted(counts.items(), key=lambda kv: -kv[1]) if c is not None]
        if shown:
            from matplotlib.lines import Line2D

            names_of = topic_names or {}
            handles = [
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=8,
                    color=community_colour(rank[c]),
                    label=label(names_of.get(c, f"topic {c}"), 40),
                )
                for c in shown[: len(PALETTE)]
            ]
            ax.legend(
                handles=handles,
                title="topic (its most used hashtags)",
                fontsize=8,
                title_fontsize=8,
                loc="upper left",
                bbox_to_anchor=(1.0, 1.0),
                frameon=False,
            )
    ax.set_title(
        "Hashtags used together: bigger = more posts, colour = topic, thicker line = used together more",
        fontsize=10,
    )
    fig.tight_layout()
    if len(texts) > 1:
        from adjustText import adjust_text

        adjust_text(
            texts,
            ax=ax,
            expand=(1.05, 1.15),
            force_text=(0.2, 0.3),
            force_static=(0.05, 0.05),
            force_pull=(0.05, 0.05),
            max_move=(6, 6),
            ensure_inside_axes=True,
            iter_lim=ADJUST_ITERATIONS,
        )
    return fig, texts


def viral_velocity(rows: Sequence[tuple[str, float, float | None]], path: Path) -> Path:
    """Velocity of viral posts next to their author's usual velocity (log scale).

    ``rows`` are ``(label, velocity, baseline)``; a missing baseline draws no grey bar.
    """
    fig = Figure(figsize=(8, max(2.4, 0.5 * len(rows) + 1.2)))
    ax = fig.add_subplot()
    rows = list(rows)[::-1]
    ys = range(len(rows))
    vel = [max(float(r[1] or 0), 1e-3) for r in rows]
    base = [max(float(r[2]), 1e-3) if r[2] is not None else 0.0 for r in rows]
    ax.barh([y + 0.2 for y in ys], vel, height=0.4, color=ACCENT, label="this post")
    ax.barh(
        [y - 0.2 for y in ys],
        base,
        height=0.4,
        color=MUTED,
        label="usual: the author's posts (or, with few, accounts of its size)",
    )
    ax.set_yticks(list(ys), [label(r[0], 30) for r in rows], fontsize=8)
    if rows:
        ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(compact))
    ax.set_xlabel("engagement per hour (log scale)")
    ax.set_title("Viral now: engagement speed vs the usual", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    _style(ax)
    ax.grid(axis="y", visible=False)
    return _save(fig, path)


#: Line style, marker and colour per method in the calibration plot: no two alike, so a line
#: that lies on another stays visible (its markers are hollow and it is nudged sideways).
CURVE_STYLES: tuple[tuple[str, str, str], ...] = (
    ("-", "o", BASE),
    ("--", "s", "#f08c00"),
    ("-.", "^", "#2b8a3e"),
    (":", "D", "#ae3ec9"),
    ("-", "v", MUTED),
)
#: Horizontal nudge between methods, as a share of the axis (0–1 probabilities).
CURVE_OFFSET = 0.008


def calibration_figure(
    curves: Mapping[str, Sequence[Mapping[str, float]]], title: str = "Calibration"
) -> Figure:
    """Calibration (reliability) curves: predicted probability against the observed viral rate.

    ``curves`` maps a method's name to its bins (``predicted``, ``observed``, ``count``, from
    :func:`influence.models.evaluate.calibration_bins`). Each method gets its own line style,
    marker and colour; markers after the first method are hollow and each method is nudged by
    ``CURVE_OFFSET`` so identical curves stay visible; marker area grows with the posts in the
    bin; a method whose posts all fall in one bin says so in the legend.
    """
    fig = Figure(figsize=(5.2, 5.4))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="grey", linestyle=(0, (1, 3)), linewidth=1, label="perfectly calibrated")
    known = [
        (m, [b for b in bins if b.get("predicted") is not None and b.get("observed") is not None])
        for m, bins in curves.items()
    ]
    known = [(m, bins) for m, bins in known if bins]
    total = max((sum(float(b.get("count") or 0) for b in bins) for _, bins in known), default=1.0) or 1.0
    middle = (len(known) - 1) / 2
    for i, (method, bins) in enumerate(known):
        line, marker, colour = CURVE_STYLES[i % len(CURVE_STYLES)]
        dx = (i - middle) * CURVE_OFFSET
        xs = [float(b["predicted"]) + dx for b in bins]
        ys = [float(b["observed"]) for b in bins]
        sizes = [12 + 140 * math.sqrt(float(b.get("count") or 0) / total) for b in bins]
        name = label(method, 40)
        if len(bins) == 1:
            name += f" (all {int(bins[0].get('count') or 0):,} posts in one bin)"
        ax.plot(xs, ys, linestyle=line, color=colour, linewidth=1.6, zorder=3 + len(known) - i)
        ax.scatter(
            xs,
            ys,
            s=sizes,
            marker=marker,
            zorder=3 + len(known) - i,
            linewidths=1.4,
            facecolors=colour if i == 0 else "none",
            edgecolors=colour,
        )
        ax.plot(
            [],
            [],
            linestyle=line,
            marker=marker,
            color=colour,
            markerfacecolor=colour if i == 0 else "none",
            label=name,
        )
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("predicted chance of going viral")
    ax.set_ylabel("share that really went viral")
    ax.set_title(title, fontsize=10)
    # below the axes: inside, it hid part of the curves it names
    ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=1, frameon=False)
    _style(ax)
    return fig


def calibration(
    curves: Mapping[str, Sequence[Mapping[str, float]]], path: Path, title: str = "Calibration"
) -> Path:
    """:func:`calibration_figure` written to ``path``."""
    return _save(calibration_figure(curves, title), path)
