"""Node and edge attributes shared by the follow-graph readers: typed values, weights, and the
UserRecord a node's attribute map becomes."""

from __future__ import annotations

import functools
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from influence import values
from influence.loaders import csv_input, limits
from influence.loaders.common import reject
from influence.loaders.records import Record, Reject, UserRecord

#: GraphML / JSON node attribute names (compacted) that fill a UserRecord field.
NODE_FIELDS = {
    "name": "full_name",
    "label": "full_name",
    "fullname": "full_name",
    "displayname": "full_name",
    "username": "username",
    "screenname": "username",
    "handle": "username",
    "twitter": "username",
    "followers": "followers",
    "followerscount": "followers",
    "following": "following",
    "friendscount": "following",
    "verified": "verified",
    "country": "country",
    "language": "language",
    "lang": "language",
}


_GRAPHML_TYPES = {"boolean", "int", "long", "float", "double", "string"}


@functools.lru_cache(maxsize=256)
def local_name(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def typed_value(value: str | None, kind: str) -> Any:
    """The value of a GraphML ``<data>`` by its key's ``attr.type``; ValueError when it is not one."""
    if value is None or not value.strip():
        return None
    v = value.strip()
    if kind == "boolean":
        if v.lower() not in ("true", "false", "1", "0"):
            raise ValueError(f"not a boolean: {value!r}")
        return v.lower() in ("true", "1")
    if kind in ("int", "long"):
        return int(v)
    if kind in ("float", "double"):
        f = float(v)
        if not math.isfinite(f):
            raise ValueError(f"not a finite number: {value!r}")
        return f
    return value if kind in _GRAPHML_TYPES else csv_input.typed(value)


def too_large(path: Path, tag: str, elem: ET.Element) -> Reject:
    """The reject of a ``<node>`` / ``<edge>`` element over ``max_line_bytes`` (read past, cleared)."""
    size = int(elem.attrib.get("_bytes", 0))
    ident = elem.get("id") or f"{elem.get('source')}->{elem.get('target')}"
    elem.clear()
    return reject(
        path,
        f"{tag} {ident}"[:200],
        f"element too large: <{tag}> holds over {size:,} bytes of data, over the "
        f"limit of {limits.current().max_line_bytes:,} per record (skipped whole) — raise --max-line-mb if it is real",
    )


@dataclass(slots=True, frozen=True)
class Key:
    name: str
    type: str
    default: str | None
    domain: str  # node | edge | graph | all


def edge_weight(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        w = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return w if math.isfinite(w) else None


#: Node attributes of a drawing (Gephi's layout and colours): not stored on User.
DRAWING_ATTRIBUTES = frozenset({"x", "y", "z", "r", "g", "b", "size", "color", "colour", "viz", "shape"})


def user_from_attributes(
    ident: str, attrs: dict[str, Any], source: Path | str, position: str
) -> Iterator[Record]:
    """A UserRecord from a node's attribute map (GraphML data, JSON lists): known names fill
    fields, the rest go to ``extra`` under valid property names with scalar values."""
    user = UserRecord(id=ident)
    rejects: list[Reject] = []
    for name, value in attrs.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name.lower() in DRAWING_ATTRIBUTES:
            continue  # where a drawing put the node, not a fact about the account
        if name.lower() in ("platform_id", "platformid", "pk"):
            user.platform_id = str(value).strip()
            continue
        target = NODE_FIELDS.get(csv_input._compact(name))
        if target in ("followers", "following"):
            try:
                setattr(user, target, _count(value))
            except ValueError as e:
                rejects.append(
                    reject(source, f"{position} {name}", f"{name}: {e} (dropped, node kept)", value)
                )
            continue
        if target == "verified":
            user.verified = (
                value if isinstance(value, bool) else str(value).strip().lower() in ("true", "1", "yes")
            )
            continue
        if target == "country":
            user.country = csv_input.country_code(str(value))
            user.extra["country_name"] = str(value)
            continue
        if target and getattr(user, target) is None:
            setattr(user, target, str(value).strip() if target != "language" else str(value).strip().lower())
            continue
        key = csv_input.extra_name(name)
        if key is None:
            rejects.append(
                reject(
                    source, f"{position} {name}", "attribute name has no valid property name (dropped)", name
                )
            )
            continue
        if isinstance(value, bool | int | str) or (isinstance(value, float) and math.isfinite(value)):
            user.extra[key] = value
        else:
            rejects.append(
                reject(source, f"{position} {name}", "attribute value is not a scalar (dropped)", value)
            )
    yield user
    yield from rejects


def _count(value: Any) -> int | None:
    return values.to_count(value)
