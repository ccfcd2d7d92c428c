"""The SNAP "congress-twitter" JSON: node lists (``usernameList``, ``partyList``) and
``outList``/``outWeight`` edges."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from influence.loaders.common import FileError, read_bytes, reject
from influence.loaders.csv_input import node_id
from influence.loaders.follows.attributes import edge_weight, user_from_attributes
from influence.loaders.records import FollowRecord, Record


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def read(path: Path, *, edges: bool) -> Iterator[Record]:
    """The users (and, with ``edges``, the follows) of a SNAP JSON file."""
    try:
        data = read_bytes(path)
    except FileError as e:
        yield reject(path, "file", str(e))
        return
    try:
        doc = json.loads(data.decode("utf-8-sig", errors="replace"))
    except (json.JSONDecodeError, RecursionError) as e:
        yield reject(path, "file", f"not a JSON file ({e})")
        return
    if isinstance(doc, list) and len(doc) == 1:
        doc = doc[0]
    if not isinstance(doc, dict) or not isinstance(doc.get("outList"), list):
        yield reject(
            path,
            "document",
            "not a SNAP follow-graph JSON (expected {outList, outWeight, usernameList, …}); "
            "convert it to an edge list or GraphML",
            doc if not isinstance(doc, dict) else {k: type(v).__name__ for k, v in doc.items()},
        )
        return
    out_list: list[Any] = doc["outList"]
    out_weight: list[Any] = _list(doc.get("outWeight"))
    names: list[Any] = _list(doc.get("usernameList"))
    parties: list[Any] = _list(doc.get("partyList"))
    size = max(len(out_list), len(names))
    for i in range(size):
        attrs: dict[str, Any] = {}
        if i < len(names):
            attrs["username"] = names[i]
        if i < len(parties):
            attrs["party"] = parties[i]
        yield from user_from_attributes(str(i), attrs, path, f"node {i}")
    if not edges:
        return
    for i, targets in enumerate(out_list):
        if not isinstance(targets, list):
            yield reject(path, f"outList[{i}]", "not a list of node indexes", targets)
            continue
        weights = out_weight[i] if i < len(out_weight) and isinstance(out_weight[i], list) else []
        for j, target in enumerate(targets):
            followed = node_id(target) if isinstance(target, int) and not isinstance(target, bool) else None
            if followed is None:
                yield reject(path, f"outList[{i}][{j}]", "not a node index", target)
                continue
            raw_weight = weights[j] if j < len(weights) else None
            weight = edge_weight(raw_weight) if raw_weight is not None else None
            yield FollowRecord(follower=str(i), followed=followed, weight=weight)
