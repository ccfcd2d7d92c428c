"""GML and Pajek NET through networkx's readers (whole graph in memory), Pajek files that mix
``*Arcs`` and ``*Edges`` read section by section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from influence.loaders import limits
from influence.loaders.common import read_bytes, reject
from influence.loaders.csv_input import node_id
from influence.loaders.follows.attributes import edge_weight, user_from_attributes
from influence.loaders.records import FollowRecord, Record

#: Node attributes that describe a drawing, not the account (GML ``graphics``, Pajek coordinates).
_LAYOUT_ATTRIBUTES = frozenset({"graphics", "x", "y", "z", "shape", "id"})


def _pajek_sections(lines: list[str]) -> tuple[list[str], list[tuple[bool, list[str]]]]:
    """A Pajek file split into its head (``*Vertices`` …) and its edge sections, each with its
    direction: ``*Arcs`` (directed) or ``*Edges`` (undirected). networkx reads every edge line
    after the first section header with that first header's direction, so a file mixing both
    is read here section by section."""
    head: list[str] = []
    sections: list[tuple[bool, list[str]]] = []
    current: list[str] | None = head
    for line in lines:
        marker = line.strip().lower()
        if marker.startswith(("*arcslist", "*edgeslist", "*matrix")):
            current = None if sections else head  # adjacency lists: left to networkx (unmixed files)
            if current is head:
                head.append(line)
        elif marker.startswith(("*arcs", "*edges")):
            sections.append((marker.startswith("*arcs"), []))
            current = sections[-1][1]
        elif current is not None:
            current.append(line)
    return head, sections


def _pajek_mixed_edges(
    sections: list[tuple[bool, list[str]]], idents: dict[Any, str], by_number: dict[str, Any], path: Path
) -> Iterator[Record]:
    """The edges of a Pajek file that mixes ``*Arcs`` and ``*Edges``: each section with its own
    direction (an ``*Edges`` line goes both ways)."""
    import shlex

    for directed, lines in sections:
        for line in lines:
            try:
                parts = shlex.split(line)
            except ValueError:
                parts = line.split()
            if len(parts) < 2:
                continue
            a = idents.get(by_number.get(parts[0], parts[0]))
            b = idents.get(by_number.get(parts[1], parts[1]))
            if a is None or b is None:
                yield reject(
                    path,
                    f"{'arc' if directed else 'edge'} {parts[0]} {parts[1]}",
                    "Pajek edge between vertices that are not listed (dropped)",
                    line,
                )
                continue
            weight = edge_weight(parts[2]) if len(parts) > 2 else None
            yield FollowRecord(follower=a, followed=b, weight=weight)
            if not directed and a != b:
                yield FollowRecord(follower=b, followed=a, weight=weight)


def read(path: Path, fmt: str) -> Iterator[Record]:
    """GML and Pajek NET through networkx's readers (they load the whole graph: these formats
    are for graphs an analyst exported, not for millions of edges). Labels are usernames,
    attributes kept, undirected edges go both ways."""
    import networkx as nx

    name = {"gml": "GML", "pajek": "Pajek NET"}[fmt]
    mixed: list[tuple[bool, list[str]]] = []
    try:
        limits.check_graph_file(path, name)
    except (limits.LimitExceeded, OSError) as e:
        yield reject(path, "file", str(e))
        return
    try:
        if fmt == "gml":
            try:
                graph = nx.read_gml(str(path), label="label")
            except (nx.NetworkXError, KeyError):
                graph = nx.read_gml(str(path), label="id")
        else:
            lines = read_bytes(path).decode("utf-8", errors="replace").splitlines()
            head, sections = _pajek_sections(lines)
            if len({directed for directed, _ in sections}) > 1:
                mixed = sections  # *Arcs and *Edges: the edges are read section by section below
                graph = nx.parse_pajek(head)
            else:
                graph = nx.parse_pajek(lines)
    # networkx's parsers raise many kinds of errors on a broken file (NetworkXError, ValueError,
    # KeyError, IndexError, UnicodeDecodeError …): each is a reject of the file, never a crash
    except Exception as e:  # noqa: BLE001
        yield reject(path, "file", f"cannot read the {name} file: {type(e).__name__}: {e}")
        return
    idents: dict[Any, str] = {}
    for key, data in graph.nodes(data=True):
        ident = node_id(key)
        if ident is None:
            yield reject(path, f"node {key!r}", f"{name} node without a usable id or label", data)
            continue
        idents[key] = ident
        attrs = {k: v for k, v in data.items() if k not in _LAYOUT_ATTRIBUTES and k != "label"}
        label = (
            data.get("label") if isinstance(data.get("label"), str) else key if isinstance(key, str) else None
        )
        if label:
            attrs = {"username": label, **attrs}
        yield from user_from_attributes(ident, attrs, path, f"node {key}")
    if mixed:
        by_number = {str(data["id"]): key for key, data in graph.nodes(data=True) if "id" in data}
        yield from _pajek_mixed_edges(mixed, idents, by_number, path)
        return
    directed = graph.is_directed()
    for source, target, data in graph.edges(data=True):
        a, b = idents.get(source), idents.get(target)
        if a is None or b is None:
            continue  # its node was rejected above
        raw_weight = data.get("weight")
        weight = edge_weight(raw_weight) if raw_weight is not None else None
        if raw_weight is not None and weight is None:
            yield reject(
                path,
                f"edge {source}->{target} weight",
                f"weight: not a finite number: {raw_weight!r} (dropped, edge kept)",
                raw_weight,
            )
        yield FollowRecord(follower=a, followed=b, weight=weight)
        if not directed and a != b:
            yield FollowRecord(follower=b, followed=a, weight=weight)
