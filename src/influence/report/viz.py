"""An interactive network picture (one self-contained HTML file) drawn with pyvis (vis-network).

Nodes are users, coloured by ``User.community`` and sized by ``User.pagerank``; edges are
FOLLOWS, INTERACTS and SIMILAR among them. The picture is bounded so it stays readable and
opens in seconds:

- at most ``top`` users, the most influential of the selection (a whole community, one
  account's neighbourhood, or the accounts that used one hashtag);
- at most ``max_edges`` relationships among them, the strongest first (:func:`strongest_edges`);
  a dense neighbourhood has thousands (150 members of the US Congress follow graph: 11,417),
  which a browser can neither lay out nor read. The page says how many were left out;
- the layout is computed here (networkx's seeded spring layout, Fruchterman–Reingold) and
  written into the page with vis-network's physics off, so nothing moves when it opens;
- names are written on the ``labels`` most influential accounts only; the others show
  theirs on hover.

A legend names the colours. The vis-network script is embedded, so the file opens offline.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from influence import cypher, db, glossary
from influence.errors import ConfigError

#: Colour-blind-friendly palette (Tableau 10 + 10 lighter), cycled over communities.
PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
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
NO_COMMUNITY = "#cccccc"
EDGE_COLOURS = {"FOLLOWS": "#b0b0b0", "INTERACTS": "#f28e2b", "SIMILAR": "#59a14f"}
MIN_SIZE, MAX_SIZE = 8.0, 48.0
MAX_TOP = 2000
#: Relationships drawn by default: about four per account of a 150-account picture.
DEFAULT_MAX_EDGES = 600
MAX_EDGES = 20_000
#: Accounts whose name is written next to their dot (the most influential).
DEFAULT_LABELS = 30
#: Width in pixels of the square the layout is scaled to (for 150 accounts; grows with √n).
LAYOUT_SIZE = 1400.0


@dataclass
class VizGraph:
    """What the picture shows: nodes (users) and edges among them."""

    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    #: Relationships among the drawn users before the cap (``len(edges)`` when none was cut).
    total_edges: int = 0
    #: The account the picture is centred on (``--user``), always labelled.
    centre: str | None = None
    #: Community id → name (its typical hashtags and top member, :func:`glossary.community_name`).
    community_names: dict[Any, str] = field(default_factory=dict)

    def community_name(self, community: Any) -> str:
        """The name of a drawn community (its id in words when it has none)."""
        return self.community_names.get(community) or glossary.community_name(community)

    @property
    def left_out(self) -> int:
        """Relationships among the drawn users that the cap left out."""
        return max(self.total_edges - len(self.edges), 0)

    def communities(self) -> list[tuple[int | None, int]]:
        """(community, number of drawn users) pairs, largest first."""
        counts: dict[int | None, int] = {}
        for n in self.nodes:
            counts[n["community"]] = counts.get(n["community"], 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or 0))

    def labelled(self, count: int = DEFAULT_LABELS) -> set[Any]:
        """Ids of the users whose name is written on the picture: the centre and the ``count`` most influential."""
        ranked = sorted(
            self.nodes,
            key=lambda n: (-_finite(n.get("pagerank")), -_finite(n.get("followers")), str(n["id"])),
        )
        out = {n["id"] for n in ranked[:count]}
        if self.centre is not None:
            out.add(self.centre)
        return out


def load_graph(
    driver: Driver,
    community: int | None = None,
    user: str | None = None,
    hashtag: str | None = None,
    top: int = 150,
    database: str | None = None,
    max_edges: int = DEFAULT_MAX_EDGES,
) -> VizGraph:
    """Read the users to draw (at most ``top``) and the strongest ``max_edges`` relationships among them.

    At most one of ``community``, ``user`` and ``hashtag`` selects the users; none = the most
    influential users overall. ``VizGraph.total_edges`` counts the relationships before the cap.
    Raises :class:`ConfigError` for an unknown user/hashtag/community or a bound out of range.
    """
    if sum(x is not None for x in (community, user, hashtag)) > 1:
        raise ConfigError("choose at most one of --community, --user and --hashtag")
    if not 1 <= top <= MAX_TOP:
        raise ConfigError(f"--top must be between 1 and {MAX_TOP} (a bigger picture is unreadable)")
    if not 0 <= max_edges <= MAX_EDGES:
        raise ConfigError(f"--max-edges must be between 0 and {MAX_EDGES:,} (a bigger picture never settles)")
    if user is not None:
        rows = db.read(driver, cypher.load("viz_users_around"), {"user": user, "top": top}, database=database)
        title = f"Around {user}"
        if not rows:
            raise ConfigError(
                f"no user {user!r} in the graph — check the username (`influence report influencers`)"
            )
    elif hashtag is not None:
        tag = hashtag.lstrip("#")
        rows = db.read(
            driver, cypher.load("viz_users_hashtag"), {"hashtag": tag, "top": top}, database=database
        )
        title = f"Accounts using #{tag.lower()}"
        if not rows:
            raise ConfigError(
                f"no posts tagged #{tag.lower()} — check the hashtag (`influence report hashtags`)"
            )
    else:
        rows = db.read(
            driver, cypher.load("viz_users_top"), {"top": top, "community": community}, database=database
        )
        title = f"Community {community}" if community is not None else "Most influential accounts"
        if not rows and community is not None:
            raise ConfigError(f"no users in community {community} — see `influence report communities`")
    ids = [r["id"] for r in rows]
    nodes = [dict(r) for r in db.read(driver, cypher.load("viz_nodes"), {"ids": ids}, database=database)]
    edges = [dict(r) for r in db.read(driver, cypher.load("viz_edges"), {"ids": ids}, database=database)]
    communities = sorted({n["community"] for n in nodes if n.get("community") is not None})
    named = (
        db.read(
            driver,
            cypher.load("report_html_communities"),
            {"ids": communities, "top": len(communities), "members": 2, "hashtags": 2},
            database=database,
        )
        if communities
        else []
    )
    names = {
        r["community"]: glossary.community_name(r["community"], r["hashtags"], r["members"]) for r in named
    }
    return VizGraph(
        title=title,
        nodes=nodes,
        edges=strongest_edges(nodes, edges, max_edges),
        total_edges=len(edges),
        centre=ids[0] if user is not None else None,
        community_names=names,
    )


def _finite(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0.0
    return v if math.isfinite(v) and v > 0 else 0.0


def strongest_edges(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], limit: int
) -> list[dict[str, Any]]:
    """At most ``limit`` of ``edges``, the strongest first, each drawn account keeping one if it can.

    ``nodes`` carry ``id`` and ``pagerank``; ``edges`` carry ``src``, ``dst``, ``type`` and
    ``weight``. An edge's strength is its weight relative to the strongest edge of its kind
    (weights of FOLLOWS, INTERACTS and SIMILAR are on different scales) times the summed
    PageRank of its two ends, relative to the highest: links between influential accounts,
    and the heaviest interactions, come first. First every account (most influential first)
    keeps its strongest edge, so no drawn account floats alone while it has any link; the rest
    of the budget goes to the strongest remaining edges. Ties break on (src, dst, type), so the
    same graph gives the same picture.
    """
    if limit <= 0 or not edges:
        return []
    if len(edges) <= limit:
        return list(edges)
    rank = {n["id"]: _finite(n.get("pagerank")) for n in nodes}
    top_rank = max(rank.values(), default=0.0) or 1.0
    top_weight: dict[str, float] = {}
    for e in edges:
        top_weight[e["type"]] = max(top_weight.get(e["type"], 0.0), _finite(e.get("weight")))

    def strength(e: dict[str, Any]) -> float:
        w = _finite(e.get("weight")) / (top_weight.get(e["type"]) or 1.0)
        return w * (0.05 + (rank.get(e["src"], 0.0) + rank.get(e["dst"], 0.0)) / (2 * top_rank))

    order = sorted(
        range(len(edges)),
        key=lambda i: (-strength(edges[i]), edges[i]["src"], edges[i]["dst"], edges[i]["type"]),
    )
    best: dict[Any, int] = {}
    for i in order:
        for end in (edges[i]["src"], edges[i]["dst"]):
            best.setdefault(end, i)
    chosen: list[int] = []
    seen: set[int] = set()
    for node_id in sorted(rank, key=lambda k: (-rank[k], str(k))):
        first = best.get(node_id)
        if first is not None and first not in seen and len(chosen) < limit:
            seen.add(first)
            chosen.append(first)
    for i in order:
        if len(chosen) >= limit:
            break
        if i not in seen:
            seen.add(i)
            chosen.append(i)
    position = {i: k for k, i in enumerate(order)}
    return [edges[i] for i in sorted(chosen, key=position.__getitem__)]


def layout(graph: VizGraph, seed: int = 7) -> dict[Any, tuple[float, float]]:
    """Pixel positions of the drawn users: networkx's seeded spring layout of the drawn edges.

    Scaled to a square of ``LAYOUT_SIZE`` pixels for 150 accounts, growing with √n so dots keep
    their room. Computed here so the page opens with its layout final (physics off).
    """
    import networkx as nx  # imported here: only the pictures need it

    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in graph.nodes)
    top_weight: dict[str, float] = {}
    for e in graph.edges:
        top_weight[e["type"]] = max(top_weight.get(e["type"], 0.0), _finite(e.get("weight")))
    for e in graph.edges:
        if e["src"] in g and e["dst"] in g:
            w = 0.2 + _finite(e.get("weight")) / (top_weight.get(e["type"]) or 1.0)
            old = g.get_edge_data(e["src"], e["dst"], {}).get("weight", 0.0)
            g.add_edge(e["src"], e["dst"], weight=old + w)
    if not g.number_of_nodes():
        return {}
    n = g.number_of_nodes()
    pos = nx.spring_layout(g, seed=seed, weight="weight", k=1.8 / math.sqrt(n), iterations=80)
    scale = LAYOUT_SIZE / 2 * math.sqrt(max(n, 1) / 150)
    return {k: (float(x) * scale, float(y) * scale) for k, (x, y) in pos.items()}


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


def _legend(graph: VizGraph, order: dict[int | None, int], labels: int, shown: int = 12) -> str:
    items = []
    comms = graph.communities()
    for community, count in comms[:shown]:
        name = graph.community_name(community)
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
        "#influence-legend .left-out{max-width:22em;color:#8a5300}"
        "#influence-legend li span{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:6px}"
        "#influence-legend li span.edge{height:3px;border-radius:0;vertical-align:middle}"
        "</style>"
        f"<strong>{html.escape(graph.title)}</strong><br>"
        f"{len(graph.nodes):,} accounts · {len(graph.edges):,} relationships<br>"
        f"{_left_out_note(graph)}"
        "<em>colour = community, size = PageRank</em><br>"
        f"<em>names on the {min(labels, len(graph.nodes))} most influential; hover a dot for the others</em>"
        f"<ul>{''.join(items)}</ul><strong>relationships</strong><ul>{edge_items}</ul></div>"
    )


def _left_out_note(graph: VizGraph) -> str:
    if not graph.left_out:
        return ""
    return (
        f'<div class="left-out" id="influence-left-out">the strongest {len(graph.edges):,} of '
        f"{graph.total_edges:,} relationships are drawn; {graph.left_out:,} weaker ones are left out "
        "(<code>influence viz --max-edges N</code> changes it)</div>"
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


def _tip_number(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{float(value):.{digits}g}"


#: vis-network options: no physics (the layout is final), straight edges, edges hidden while dragging.
VIS_OPTIONS: dict[str, Any] = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "edges": {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
        "color": {"inherit": False},
    },
    "interaction": {"hover": True, "hideEdgesOnDrag": True, "tooltipDelay": 120},
    "nodes": {"font": {"size": 16, "strokeWidth": 3, "strokeColor": "#ffffff"}},
}


def render_html(graph: VizGraph, height: str = "900px", labels: int = DEFAULT_LABELS) -> str:
    """The picture as one self-contained HTML document, its layout computed (physics off)."""
    from pyvis.network import Network  # imported here: only this command needs it

    order = {c: i for i, (c, _) in enumerate(graph.communities())}
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", heading="")
    sizes = _sizes([n.get("pagerank") for n in graph.nodes])
    pos = layout(graph)
    named = graph.labelled(labels)
    for n, size in zip(graph.nodes, sizes, strict=True):
        community = graph.community_name(n["community"])
        tip = [
            f"{n['label']}",
            f"community: {community}",
            f"PageRank: {_tip_number(n['pagerank'])}",
            f"followers: {_tip_number(n['followers'])}"
            if n["followers"] is not None
            else "no profile loaded: seen only through mentions, tags or follows",
        ]
        x, y = pos.get(n["id"], (0.0, 0.0))
        net.add_node(
            n["id"],
            label=str(n["label"]) if n["id"] in named else " ",
            title="\n".join(tip),
            color=colour(n["community"], order),
            size=size,
            x=x,
            y=y,
            physics=False,
        )
    top_weight: dict[str, float] = {}
    for e in graph.edges:
        top_weight[e["type"]] = max(top_weight.get(e["type"], 0.0), _finite(e.get("weight")))
    for e in graph.edges:
        relative = _finite(e.get("weight")) / (top_weight.get(e["type"]) or 1.0)
        net.add_edge(
            e["src"],
            e["dst"],
            title=f"{e['type']} {_tip_number(e['weight'])}",
            color={"color": EDGE_COLOURS.get(e["type"], "#999999"), "opacity": 0.25 + 0.45 * relative},
            width=0.5 + 2.5 * relative,
            dashes=e["type"] == "SIMILAR",
        )
    for edge in net.edges:  # pyvis writes full-size arrows on every edge of a directed network
        edge["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.4}}
    net.options = VIS_OPTIONS  # type: ignore[assignment]  # pyvis accepts a plain dict
    page: str = offline(net.generate_html(notebook=False))
    page = page.replace("<head>", f"<head>\n<title>{html.escape(graph.title)} — Influence Graph</title>", 1)
    return page.replace("</body>", _legend(graph, order, labels) + "</body>", 1)


def write_html(graph: VizGraph, path: Path, labels: int = DEFAULT_LABELS) -> Path:
    """Write the picture to ``path`` (parents created); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(graph, labels=labels), encoding="utf-8")
    return path
