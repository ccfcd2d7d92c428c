"""An interactive network picture (one self-contained HTML file) drawn with pyvis (vis-network).

Nodes are users, coloured by ``User.community`` and sized by ``User.pagerank``; edges are
FOLLOWS, INTERACTS and SIMILAR among them. The picture is bounded to the ``top`` most
influential users of the selection (a whole community, one account's neighbourhood, or the
accounts that used one hashtag) so it stays readable and light. A legend names the colours.
The vis-network script is embedded, so the file opens offline.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.errors import ConfigError

#: Colour-blind-friendly palette (Tableau 10 + 10 lighter), cycled over communities.
PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
NO_COMMUNITY = "#cccccc"
EDGE_COLOURS = {"FOLLOWS": "#b0b0b0", "INTERACTS": "#f28e2b", "SIMILAR": "#59a14f"}
MIN_SIZE, MAX_SIZE = 8.0, 48.0
MAX_TOP = 2000


@dataclass
class VizGraph:
    """What the picture shows: nodes (users) and edges among them."""

    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    def communities(self) -> list[tuple[int | None, int]]:
        """(community, number of drawn users) pairs, largest first."""
        counts: dict[int | None, int] = {}
        for n in self.nodes:
            counts[n["community"]] = counts.get(n["community"], 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or 0))


def load_graph(
    driver: Driver,
    community: int | None = None,
    user: str | None = None,
    hashtag: str | None = None,
    top: int = 150,
    database: str | None = None,
) -> VizGraph:
    """Read the users to draw (at most ``top``) and the relationships among them.

    At most one of ``community``, ``user`` and ``hashtag`` selects the users; none = the most
    influential users overall.
    """
    if sum(x is not None for x in (community, user, hashtag)) > 1:
        raise ConfigError("choose at most one of --community, --user and --hashtag")
    if not 1 <= top <= MAX_TOP:
        raise ConfigError(f"--top must be between 1 and {MAX_TOP} (a bigger picture is unreadable)")
    if user is not None:
        rows = db.read(driver, cypher.load("viz_users_around"), {"user": user, "top": top}, database=database)
        title = f"Around {user}"
        if not rows:
            raise ConfigError(f"no user {user!r} in the graph — check the username (`influence report influencers`)")
    elif hashtag is not None:
        tag = hashtag.lstrip("#")
        rows = db.read(driver, cypher.load("viz_users_hashtag"), {"hashtag": tag, "top": top}, database=database)
        title = f"Accounts using #{tag.lower()}"
        if not rows:
            raise ConfigError(f"no posts tagged #{tag.lower()} — check the hashtag (`influence report hashtags`)")
    else:
        rows = db.read(driver, cypher.load("viz_users_top"), {"top": top, "community": community}, database=database)
        title = f"Community {community}" if community is not None else "Most influential accounts"
        if not rows and community is not None:
            raise ConfigError(f"no users in community {community} — see `influence report communities`")
    ids = [r["id"] for r in rows]
    nodes = [dict(r) for r in db.read(driver, cypher.load("viz_nodes"), {"ids": ids}, database=database)]
    edges = [dict(r) for r in db.read(driver, cypher.load("viz_edges"), {"ids": ids}, database=database)]
    return VizGraph(title=title, nodes=nodes, edges=edges)


def colour(community: int | None, order: dict[int | None, int]) -> str:
    """The colour of a community: by its rank among the drawn communities, grey for none."""
    if community is None:
        return NO_COMMUNITY
    return PALETTE[order.get(community, 0) % len(PALETTE)]


def _sizes(values: list[float | None]) -> list[float]:
    known = [v for v in values if v is not None and math.isfinite(v)]
    if not known:
        return [MIN_SIZE + (MAX_SIZE - MIN_SIZE) / 4] * len(values)
    lo, hi = min(known), max(known)
    span = math.sqrt(hi) - math.sqrt(lo) if hi > lo else 0.0
    out = []
    for v in values:
        if v is None or not math.isfinite(v):
            out.append(MIN_SIZE)
        elif span == 0:
            out.append((MIN_SIZE + MAX_SIZE) / 2)
        else:
            out.append(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * (math.sqrt(v) - math.sqrt(lo)) / span)
    return out


def _legend(graph: VizGraph, order: dict[int | None, int], shown: int = 12) -> str:
    items = []
    comms = graph.communities()
    for community, count in comms[:shown]:
        name = "no community" if community is None else f"community {community}"
        items.append(
            f'<li><span style="background:{colour(community, order)}"></span>'
            f"{html.escape(name)} ({count})</li>"
        )
    rest = sum(c for _, c in comms[shown:])
    if rest:
        items.append(f"<li>… {len(comms) - shown} more communities ({rest} users)</li>")
    edge_items = "".join(
        f'<li><span class="edge" style="background:{c}"></span>{t}</li>' for t, c in EDGE_COLOURS.items()
    )
    return (
        '<div id="influence-legend"><style>'
        "#influence-legend{position:fixed;top:12px;right:12px;background:#fff;border:1px solid #ccc;"
        "border-radius:6px;padding:8px 12px;font:13px sans-serif;max-height:90vh;overflow:auto;z-index:10}"
        "#influence-legend ul{list-style:none;margin:4px 0;padding:0}"
        "#influence-legend span{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:6px}"
        "#influence-legend span.edge{height:3px;border-radius:0;vertical-align:middle}"
        "</style>"
        f"<strong>{html.escape(graph.title)}</strong><br>"
        f"{len(graph.nodes)} users · {len(graph.edges)} relationships<br>"
        "<em>colour = community, size = PageRank</em>"
        f"<ul>{''.join(items)}</ul><strong>relationships</strong><ul>{edge_items}</ul></div>"
    )


_REMOTE_ASSET = re.compile(
    r"<link\b[^>]*\bhref=[\"']https?://[^>]*>|<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>", re.I
)


def offline(page: str) -> str:
    """``page`` without ``<link>``/``<script>`` tags that load from the web.

    pyvis's template adds Bootstrap from a CDN (unused by the network itself); offline, those
    requests fail and log console errors, and online they leak that the report was opened.
    """
    return _REMOTE_ASSET.sub("", page)


def render_html(graph: VizGraph, height: str = "900px") -> str:
    """The picture as one self-contained HTML document."""
    from pyvis.network import Network  # imported here: only this command needs it

    order = {c: i for i, (c, _) in enumerate(graph.communities())}
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", heading="")
    sizes = _sizes([n.get("pagerank") for n in graph.nodes])
    for n, size in zip(graph.nodes, sizes, strict=True):
        tip = [f"{n['label']}", f"community: {n['community']}", f"PageRank: {n['pagerank']}",
               f"followers: {n['followers']}"]
        net.add_node(
            n["id"], label=str(n["label"]), title="\n".join(tip), color=colour(n["community"], order), size=size,
        )
    for e in graph.edges:
        net.add_edge(
            e["src"], e["dst"], color=EDGE_COLOURS.get(e["type"], "#999999"),
            title=f"{e['type']} {float(e['weight']):.3g}", value=float(e["weight"]),
            dashes=e["type"] == "SIMILAR",
        )
    net.barnes_hut(gravity=-4000, spring_length=120)
    page: str = offline(net.generate_html(notebook=False))
    page = page.replace("<head>", f"<head>\n<title>{html.escape(graph.title)} — Influence Graph</title>", 1)
    return page.replace("</body>", _legend(graph, order) + "</body>", 1)


def write_html(graph: VizGraph, path: Path) -> Path:
    """Write the picture to ``path`` (parents created); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(graph), encoding="utf-8")
    return path
