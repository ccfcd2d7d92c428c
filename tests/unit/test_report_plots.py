"""The report's charts read right: labels that do not overlap, every calibration curve visible, names in words."""

from __future__ import annotations

import random
from itertools import combinations
from pathlib import Path

from matplotlib.lines import Line2D

from influence.glossary import community_name, topic_name
from influence.report import plots


def test_reach_vs_engagement_labels_do_not_overlap(tmp_path: Path) -> None:
    # the demo's case: the ten top accounts have 250K–1M followers and 3.5–4.5% engagement,
    # so labels written at their dots fall on top of each other
    rng = random.Random(7)
    points = [(10 ** rng.uniform(1, 4.5), rng.uniform(0.02, 0.2), rng.randrange(5)) for _ in range(300)]
    highlight = [(f"top.account.{i}", 250_000 + 75_000 * i, 0.035 + 0.001 * (i % 5)) for i in range(10)]
    fig, texts = plots.followers_vs_engagement_figure(points, highlight)
    assert len(texts) == 10
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in texts]
    overlapping = [
        (texts[a].get_text(), texts[b].get_text())
        for a, b in combinations(range(len(boxes)), 2)
        if boxes[a].overlaps(boxes[b])
    ]
    assert not overlapping, overlapping
    axes = fig.axes[0].get_window_extent(renderer)
    assert all(
        axes.x0 - 1 <= b.x0 and b.x1 <= axes.x1 + 1 and axes.y0 - 1 <= b.y0 and b.y1 <= axes.y1 + 1
        for b in boxes
    ), "a label left the chart"
    # the file is written from the same figure
    assert plots.followers_vs_engagement(points, highlight, tmp_path / "f.png").stat().st_size > 10_000


def test_every_calibration_curve_is_visible_even_when_two_coincide() -> None:
    one_bin = [{"lo": 0.0, "hi": 0.1, "count": 399.0, "predicted": 0.087, "observed": 0.158}]
    curves = {
        "Our model": [
            {"predicted": 0.05, "observed": 0.1, "count": 200.0},
            {"predicted": 0.3, "observed": 0.25, "count": 150.0},
            {"predicted": 0.6, "observed": 0.5, "count": 49.0},
        ],
        "Follower count alone": one_bin,
        "Author's usual engagement": list(
            one_bin
        ),  # the same single point: drawn on top of each other before
    }
    fig = plots.calibration_figure(curves)
    ax = fig.axes[0]
    drawn = [
        line
        for line in ax.get_lines()
        if line.get_label() in curves or any(str(line.get_label()).startswith(m) for m in curves)
    ]
    styles = {(line.get_linestyle(), line.get_marker(), line.get_color()) for line in drawn}
    assert len(drawn) == 3 and len(styles) == 3  # line style, marker and colour differ per method
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "perfectly calibrated"
    assert "Follower count alone (all 399 posts in one bin)" in legend
    assert "Author's usual engagement (all 399 posts in one bin)" in legend
    # the two identical points are nudged apart and the later one is hollow, so both show
    points = [c.get_offsets()[0] for c in ax.collections[1:]]
    assert abs(points[0][0] - points[1][0]) >= plots.CURVE_OFFSET * 0.99
    assert ax.collections[2].get_facecolors().size == 0 or ax.collections[2].get_facecolors()[0][3] == 0
    assert all(isinstance(line, Line2D) for line in drawn)


def test_names_in_words() -> None:
    assert (
        community_name(65, ["randonnee", "explore", "plage"], ["thetravelnathan", "lea.leroy"])
        == "#randonnee #explore · @thetravelnathan"
    )
    assert community_name(651, [], ["NancyPelosi", "WhipHoyer", "Clyburn"]) == "@NancyPelosi, @WhipHoyer"
    assert community_name(18117) == "community 18117"
    assert topic_name(40, ["vintage", "ootd", "fashion", "beauty"]) == "#vintage #ootd #fashion"
    assert topic_name(None) == "no topic"


def test_hashtag_network_names_do_not_overlap() -> None:
    # two tight topics of ten long hashtags each, every pair used together: the layout packs them
    # (10 overlapping pairs of names without adjustText)
    topics = {0: [f"milanofashionweek{i}" for i in range(10)], 1: [f"streetfoodlovers{i}" for i in range(10)]}
    nodes = [
        {"name": n, "posts": 100 - i, "community": t}
        for t, names in topics.items()
        for i, n in enumerate(names)
    ]
    edges = [
        {"source": a, "target": b, "weight": 1.0}
        for names in topics.values()
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    ]
    edges.append({"source": topics[0][0], "target": topics[1][0], "weight": 0.1})
    fig, texts = plots.hashtag_network_figure(
        nodes, edges, {0: "#milanofashionweek0", 1: "#streetfoodlovers0"}
    )
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in texts]
    overlapping = [
        (texts[a].get_text(), texts[b].get_text())
        for a, b in combinations(range(len(boxes)), 2)
        if boxes[a].overlaps(boxes[b])
    ]
    assert len(texts) == 20 and not overlapping, overlapping
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["#milanofashionweek0", "#streetfoodlovers0"]  # topics named, not numbered
