"""GEXF (Gephi's own format), streamed like GraphML: labels are usernames, ``<attvalue>`` s typed
by their ``<attribute>``, edge weights kept, undirected and mutual edges both ways."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from influence import text
from influence.loaders import limits
from influence.loaders.common import reject
from influence.loaders.csv_input import node_id
from influence.loaders.follows.attributes import (
    Key,
    edge_weight,
    local_name,
    too_large,
    typed_value,
    user_from_attributes,
)
from influence.loaders.records import FollowRecord, Record, Reject

_GEXF_TYPES = {
    "integer": "int",
    "long": "long",
    "float": "float",
    "double": "double",
    "boolean": "boolean",
    "string": "string",
}


def read(path: Path) -> Iterator[Record]:
    """GEXF (Gephi's own format), streamed like GraphML: node labels are the usernames (edges
    name node ids, so the id → label map is kept), ``<attvalue>`` s become user fields or
    extras typed by their ``<attribute type>``, edge ``weight`` is kept, and an edge whose
    ``type`` (else the graph's ``defaultedgetype``) is ``undirected`` or ``mutual`` goes both ways."""
    declared: dict[str, dict[str, Key]] = {"node": {}, "edge": {}}
    current = "node"
    labels: dict[str, str] = {}
    directed_default = True
    container: ET.Element | None = None
    try:
        for event, elem in limits.iterparse_bounded(path, ("node", "edge")):
            tag = local_name(elem.tag)
            if event == "too large":
                yield too_large(path, tag, elem)
                continue
            if event == "start":
                if tag == "graph":
                    directed_default = (elem.get("defaultedgetype") or "directed").lower() == "directed"
                elif tag == "attributes":
                    current = "edge" if (elem.get("class") or "node").lower() == "edge" else "node"
                elif tag in ("nodes", "edges"):
                    container = elem
                continue
            if tag == "attribute":
                ident = elem.get("id")
                if ident is not None:
                    default = next((c.text for c in elem if local_name(c.tag) == "default"), None)
                    kind = _GEXF_TYPES.get((elem.get("type") or "string").lower(), "other")
                    declared[current][ident] = Key(elem.get("title") or ident, kind, default, current)
            elif tag == "node":
                yield from _gexf_node(elem, declared["node"], labels, path)
                elem.clear()
            elif tag == "edge":
                yield from _gexf_edge(elem, declared["edge"], labels, directed_default, path)
                elem.clear()
            if container is not None and len(container) > 1000:
                del container[:]  # processed elements: memory stays flat
    except ET.ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else "?"
        yield reject(path, f"line {line}", f"not valid XML/GEXF ({e}); the rest of the file is skipped")
    except (OSError, ValueError, LookupError, RecursionError) as e:
        yield reject(path, "file", f"cannot read the GEXF file: {e}")


def _gexf_values(
    elem: ET.Element, keys: dict[str, Key], path: Path, where: str
) -> tuple[dict[str, Any], list[Reject]]:
    out: dict[str, Any] = {}
    bad: list[Reject] = []
    pairs: list[tuple[Key, str | None]] = [(k, k.default) for k in keys.values() if k.default is not None]
    for child in elem:
        if local_name(child.tag) != "attvalues":
            continue
        for value in child:
            if local_name(value.tag) != "attvalue":
                continue
            ident = value.get("for") or value.get("id") or ""
            pairs.append((keys.get(ident, Key(ident, "other", None, "all")), value.get("value")))
    for key, raw in pairs:
        try:
            out[key.name] = typed_value(raw, key.type)
        except ValueError as e:
            out.pop(key.name, None)
            bad.append(
                reject(
                    path,
                    f"{where} {key.name}",
                    f"{key.name}: {e} for type {key.type} (dropped, kept the rest)",
                    raw,
                )
            )
    return out, bad


def _gexf_node(
    elem: ET.Element, keys: dict[str, Key], labels: dict[str, str], path: Path
) -> Iterator[Record]:
    raw_id = elem.get("id")
    label = (elem.get("label") or "").strip()
    ident = (text.normalise_username(label) if label else None) or node_id(label or None) or node_id(raw_id)
    if raw_id is None or ident is None:
        yield reject(path, "node", f"GEXF node without a usable id or label: {raw_id!r}", dict(elem.attrib))
        return
    labels[raw_id] = ident
    attrs, bad = _gexf_values(elem, keys, path, f"node {raw_id}")
    if label:
        attrs = {"username": label, **attrs}
    yield from user_from_attributes(ident, attrs, path, f"node {raw_id}")
    yield from bad


def _gexf_edge(
    elem: ET.Element, keys: dict[str, Key], labels: dict[str, str], directed_default: bool, path: Path
) -> Iterator[Record]:
    raw_source, raw_target = elem.get("source"), elem.get("target")
    where = f"edge {elem.get('id') or ''} {raw_source}->{raw_target}".replace("  ", " ")
    source = labels.get(raw_source or "") or node_id(raw_source)
    target = labels.get(raw_target or "") or node_id(raw_target)
    if source is None or target is None:
        yield reject(path, where, "GEXF edge without source and target", dict(elem.attrib))
        return
    attrs, bad = _gexf_values(elem, keys, path, where)
    yield from bad
    raw_weight = elem.get("weight")
    if raw_weight is None:
        raw_weight = next((v for k, v in attrs.items() if k.lower() in ("weight", "w")), None)
    weight = edge_weight(raw_weight) if raw_weight is not None else None
    if raw_weight is not None and weight is None:
        yield reject(
            path,
            f"{where} weight",
            f"weight: not a finite number: {raw_weight!r} (dropped, edge kept)",
            raw_weight,
        )
    kind = (elem.get("type") or "").lower()
    directed = directed_default if kind not in ("directed", "undirected", "mutual") else kind == "directed"
    yield FollowRecord(follower=source, followed=target, weight=weight)
    if not directed and source != target:
        yield FollowRecord(follower=target, followed=source, weight=weight)
