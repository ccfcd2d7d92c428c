"""`influence viz` without a database: which edges are kept, the precomputed layout, the labels."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from influence.errors import ConfigError
from influence.report import viz


def _graph(n: int = 40, hub_edges: bool = True) -> viz.VizGraph:
    nodes = [
        {
            "id": f"u{i}",
            "label": f"user{i}",
            "community": i % 3,
            "pagerank": float(n - i),
            "followers": 10 * i,
        }
        for i in range(n)
    ]
    edges: list[dict[str, Any]] = []
    for i in range(n):
        for j in range(n):
            if i != j and (i + j) % 3 == 0:
                edges.append({"src": f"u{i}", "dst": f"u{j}", "type": "FOLLOWS", "weight": 1.0})
    edges.append({"src": "u5", "dst": "u6", "type": "INTERACTS", "weight": 50.0})
    edges.append({"src": "u6", "dst": "u5", "type": "INTERACTS", "weight": 1.0})
    return viz.VizGraph(title="t", nodes=nodes, edges=edges, total_edges=len(edges))


def test_strongest_edges_keep_the_cap_and_prefer_influential_ends_and_heavy_weights() -> None:
    g = _graph()
    kept = viz.strongest_edges(g.nodes, g.edges, 100)
    assert len(kept) == 100
    pairs = {(e["src"], e["dst"], e["type"]) for e in kept}
    # of two interactions between the same accounts the heavier is kept, the light one is not
    assert ("u5", "u6", "INTERACTS") in pairs and ("u6", "u5", "INTERACTS") not in pairs
    # follows between the most influential accounts come first; those between minor ones go
    assert ("u0", "u3", "FOLLOWS") in pairs and ("u3", "u0", "FOLLOWS") in pairs
    assert ("u38", "u37", "FOLLOWS") not in pairs
    # every account that has any relationship keeps at least one: nobody floats alone
    ends = {e["src"] for e in kept} | {e["dst"] for e in kept}
    assert ends == {e["src"] for e in g.edges} | {e["dst"] for e in g.edges}
    # the same graph gives the same selection, whatever the order the database returned
    assert viz.strongest_edges(g.nodes, list(reversed(g.edges)), 100) == kept
    assert viz.strongest_edges(g.nodes, g.edges, 0) == []
    assert viz.strongest_edges(g.nodes, g.edges, 10_000) == g.edges


def test_page_has_a_fixed_layout_labels_on_the_top_accounts_and_says_what_was_left_out() -> None:
    g = _graph()
    g.edges = viz.strongest_edges(g.nodes, g.edges, 60)
    g.centre = "u35"
    page = viz.render_html(g, labels=5)
    m = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert m
    nodes = json.loads(m.group(1))
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    assert len({(round(n["x"]), round(n["y"])) for n in nodes}) == len(nodes)  # spread out, no pile
    named = {n["id"] for n in nodes if n["label"].strip()}
    assert named == {"u0", "u1", "u2", "u3", "u4", "u35"}  # the 5 most influential + the centre
    hidden = next(n for n in nodes if n["id"] == "u20")
    assert hidden["title"].startswith("user20\n")  # hover still names it
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page, re.S).group(1))  # type: ignore[union-attr]
    assert options["physics"]["enabled"] is False and options["layout"]["improvedLayout"] is False
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", page, re.S).group(1))  # type: ignore[union-attr]
    assert len(edges) == 60
    left = g.total_edges - 60
    assert (
        f"the strongest 60 of {g.total_edges:,} relationships are drawn; {left:,} weaker ones are left out"
        in page
    )
    assert "names on the 5 most influential" in page


def test_layout_is_seeded() -> None:
    g = _graph(20)
    assert viz.layout(g) == viz.layout(g)


def test_edge_cap_out_of_range_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="--max-edges"):
        viz.load_graph(None, max_edges=-1)  # type: ignore[arg-type]  # rejected before any query
