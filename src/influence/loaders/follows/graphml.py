"""GraphML, streamed with the standard library's XML parser: ``<key>`` s type the attributes,
nodes become users, edges keep their weight, undirected edges go both ways."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from influence import text
from influence.loaders import csv_input, limits
from influence.loaders.common import ParseStats, reject
from influence.loaders.csv_input import node_id
from influence.loaders.follows.attributes import (
    DRAWING_ATTRIBUTES,
    NODE_FIELDS,
    Key,
    edge_weight,
    local_name,
    too_large,
    typed_value,
    user_from_attributes,
)
from influence.loaders.records import FollowRecord, Record, Reject


def read(path: Path, stats: ParseStats | None = None) -> Iterator[Record]:
    """The records of a GraphML file (users, follows, rejects); where each attribute went goes to ``stats``."""
    keys: dict[str, Key] = {}
    labels: dict[str, str] = {}  # node id as written → the username it stands for
    directed_default = True
    graph: ET.Element | None = None
    try:
        for event, elem in limits.iterparse_bounded(path, ("node", "edge")):
            tag = local_name(elem.tag)
            if event == "too large":
                yield too_large(path, tag, elem)
                continue
            if event == "start":
                if tag == "graph":
                    graph = elem
                    directed_default = elem.get("edgedefault", "directed") != "undirected"
                continue
            if tag == "key":
                default = next((c.text for c in elem if local_name(c.tag) == "default"), None)
                ident = elem.get("id")
                if ident:
                    keys[ident] = Key(
                        elem.get("attr.name") or ident,
                        elem.get("attr.type") or "string",
                        default,
                        elem.get("for") or "all",
                    )
                    if stats is not None:
                        stats.note_columns(
                            f"graphml {keys[ident].domain} attributes",
                            {keys[ident].name: _attribute_destination(keys[ident])},
                        )
            elif tag == "node":
                yield from _graphml_node(elem, keys, labels, path)
                elem.clear()
            elif tag == "edge":
                yield from _graphml_edge(elem, keys, directed_default, path, labels)
                elem.clear()
            elif tag == "hyperedge":
                yield reject(path, "hyperedge", "GraphML hyperedges are not follow edges (skipped)")
                elem.clear()
            if graph is not None and len(graph) > 1000:
                del graph[:]  # processed elements: drop them so memory stays flat
    except ET.ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else "?"
        yield reject(path, f"line {line}", f"not valid XML/GraphML ({e}); the rest of the file is skipped")
    except (OSError, ValueError, LookupError, RecursionError) as e:
        yield reject(path, "file", f"cannot read the GraphML file: {e}")


def _data(
    elem: ET.Element, keys: dict[str, Key], domain: str, path: Path, where: str
) -> tuple[dict[str, Any], list[Reject]]:
    """The element's attributes (key defaults first) and Rejects for values of the wrong type."""
    out: dict[str, Any] = {}
    bad: list[Reject] = []
    values_in: list[tuple[Key, str | None]] = [
        (k, k.default) for k in keys.values() if k.default is not None and k.domain in (domain, "all")
    ]
    for child in elem:
        if local_name(child.tag) == "data":
            ident = child.get("key") or ""
            values_in.append((keys.get(ident, Key(ident, "string", None, "all")), child.text))
    for key, value in values_in:
        try:
            out[key.name] = typed_value(value, key.type)
        except ValueError as e:
            out.pop(key.name, None)
            bad.append(
                reject(
                    path,
                    f"{where} {key.name}",
                    f"{key.name}: {e} for attr.type {key.type} (dropped, kept the rest)",
                    value,
                )
            )
    return out, bad


def _attribute_destination(key: Key) -> str:
    """Where a GraphML attribute goes, in words, for the load summary."""
    name = key.name.lower()
    if key.domain == "edge":
        return "weight" if name in ("weight", "w") else "ignored (edges keep only their weight)"
    if name in DRAWING_ATTRIBUTES:
        return "ignored (drawing attribute)"
    if name in _NAME_ATTRIBUTES:
        return "username (full name when it is not a username)"
    target = NODE_FIELDS.get(csv_input._compact(key.name))
    return target or f"property {csv_input.extra_name(key.name)}"


#: Node attributes that name the account, in order: igraph writes the vertex ``name``, Gephi
#: its ``label`` (the node id is then igraph's ``n0`` or Gephi's own id, e.g. a platform id).
_NAME_ATTRIBUTES = ("username", "screen_name", "name", "label")


def _graphml_node(
    elem: ET.Element, keys: dict[str, Key], labels: dict[str, str], path: Path
) -> Iterator[Record]:
    raw_id = elem.get("id")
    attrs, bad = _data(elem, keys, "node", path, f"node {raw_id}")
    lowered = {k.lower(): v for k, v in attrs.items()}
    named = next(
        (
            str(lowered[a]).strip()
            for a in _NAME_ATTRIBUTES
            if isinstance(lowered.get(a), str) and str(lowered[a]).strip()
        ),
        None,
    )
    # the name is the user key when it is a username (igraph's "name", Gephi's "label"); a
    # display name ("Ann Lee") stays the full name of the node keyed by its id
    ident = (text.normalise_username(named) if named else None) or node_id(raw_id)
    if ident is None or raw_id is None:
        yield reject(path, "node", f"GraphML node without a usable id: {raw_id!r}", dict(elem.attrib))
        return
    if named and ident != node_id(raw_id):
        labels[raw_id] = ident
        # the attribute that became the key is the username, not a full name
        attrs = {
            k: v for k, v in attrs.items() if not (k.lower() in _NAME_ATTRIBUTES and str(v).strip() == named)
        }
        attrs.setdefault("username", named)
        if raw_id.strip().isdigit():
            attrs.setdefault("platform_id", raw_id.strip())
    yield from user_from_attributes(ident, attrs, path, f"node {raw_id}")
    yield from bad


def _graphml_edge(
    elem: ET.Element,
    keys: dict[str, Key],
    directed_default: bool,
    path: Path,
    labels: dict[str, str] | None = None,
) -> Iterator[Record]:
    labels = labels or {}
    raw_source, raw_target = elem.get("source") or "", elem.get("target") or ""
    source = labels.get(raw_source) or node_id(elem.get("source"))
    target = labels.get(raw_target) or node_id(elem.get("target"))
    where = f"edge {elem.get('id') or ''} {elem.get('source')}->{elem.get('target')}".replace("  ", " ")
    if source is None or target is None:
        yield reject(path, where, "GraphML edge without source and target", dict(elem.attrib))
        return
    attrs, bad = _data(elem, keys, "edge", path, where)
    yield from bad
    raw_weight = next((v for k, v in attrs.items() if k.lower() in ("weight", "w")), None)
    weight = edge_weight(raw_weight) if raw_weight is not None else None
    if raw_weight is not None and weight is None:
        yield reject(
            path,
            f"{where} weight",
            f"weight: not a finite number: {raw_weight!r} (dropped, edge kept)",
            raw_weight,
        )
    directed_attr = elem.get("directed")
    directed = directed_default if directed_attr is None else directed_attr.lower() == "true"
    yield FollowRecord(follower=source, followed=target, weight=weight)
    if not directed and source != target:
        yield FollowRecord(follower=target, followed=source, weight=weight)
