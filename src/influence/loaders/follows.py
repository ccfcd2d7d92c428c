"""Follow graphs: edge lists, CSV edge tables, GraphML, GEXF, GML, Pajek and SNAP JSON (pure parser).

``parse(path, fmt)`` yields one :class:`ScrapeRecord` (id ``follows:<absolute path>``, source
``follows``), then :class:`FollowRecord` edges (``follower`` FOLLOWS ``followed``, optional
``weight``) and, for formats that carry them, :class:`UserRecord` nodes with their attributes.
``parse_nodes(path)`` reads a node table on its own (a CSV such as
``congress-twitter-network-nodes.csv``, or the nodes of a SNAP JSON file).

Formats (``fmt="auto"`` picks by suffix and the first line: XML by its root element):

``csv``
    A header with follower/followed columns — ``source``/``target``, ``follower``/``followed``,
    ``src``/``dst``, ``from``/``to`` … — and optionally ``weight`` (``w``, ``value``, ``count``);
    the column aliases of :mod:`influence.loaders.csv_input` kind ``follows``. Other columns are
    ignored.
``edgelist``
    One edge per line, ``a b [weight]``, whitespace-separated (networkx's ``{'weight': 0.5}``
    data column is read too); ``#`` and ``%`` start comment lines; a first line naming the
    columns (``source target weight``) is a header and skipped.
``graphml``
    Read with the standard library's streaming XML parser (memory flat in the file size).
    ``<key>`` declarations give attribute names, types and defaults. Node attributes become
    user fields where they name one (``name``/``label`` → ``full_name``, ``username``,
    ``followers``, ``following``, ``verified``, ``country``, ``language``) and
    ``UserRecord.extra`` otherwise, under a valid property name (``attr_<name>`` when it would
    shadow a property ingest owns) with scalar values typed by ``attr.type``. Edges take their
    ``weight`` attribute. An edge of an undirected graph is a mutual follow: it yields both
    directions.
``gexf``
    Gephi's own format, streamed like GraphML: node ``label`` s are the usernames (edges name
    node ids; the id → label map is kept), ``<attvalue>`` s are typed by their
    ``<attribute type>`` and fill user fields or ``extra`` (defaults included), edges keep
    ``weight``, and an edge whose ``type`` — else the graph's ``defaultedgetype`` — is
    ``undirected`` or ``mutual`` yields both directions (mixed graphs are read edge by edge).
``gml``, ``pajek``
    Read with networkx's readers (``read_gml``, ``read_pajek``; the whole graph in memory):
    labels are usernames, node attributes kept (drawing attributes such as ``graphics`` and
    coordinates left out), ``weight`` kept, an undirected graph's edges both ways.
Headerless CSV
    A ``.csv`` whose first line is numbers only is SNAP's ``source,target[,weight[,time]]``
    edge list, read as ``edgelist``; never a header made of the first edge.
Unsupported formats
    Graphviz DOT, GDF, UCINET DL, Excel workbooks, Gephi projects and XML that is neither
    GraphML nor GEXF get one reject naming the format and how to export a supported one.
``json``
    The SNAP "congress-twitter" JSON (``[{"inList", "inWeight", "outList", "outWeight",
    "usernameList"[, "partyList"]}]``): node *i* is ``UserRecord(id="i", username=usernameList[i],
    extra={"party": partyList[i]})``; edges come from ``outList``/``outWeight`` (*i* follows, or
    interacts with, each node of ``outList[i]``).

Node ids are the ids or names in the file, lower-cased, leading ``@`` stripped (numeric ids
stay as written: ``"20209807"``, ``"0"``). Self-loops are kept (in interaction graphs they are
data). Bad lines, rows, elements and values never raise: they become :class:`Reject` records
with the reason; a broken XML file stops at the break (everything before it is kept).
"""

from __future__ import annotations

import ast
import functools
import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from influence import text, values
from influence.errors import InputError
from influence.loaders import csv_input, limits
from influence.loaders.common import FileError, ParseStats, read_bytes, reject
from influence.loaders.csv_input import node_id
from influence.loaders.limits import looks_binary
from influence.loaders.records import FollowRecord, Record, Reject, ScrapeRecord, UserRecord

SOURCE = "follows"

#: The formats :func:`parse` reads.
FORMATS: tuple[str, ...] = ("auto", "csv", "edgelist", "graphml", "gexf", "gml", "pajek", "json")

_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".graphml": "graphml",
    ".xml": "graphml",
    ".gexf": "gexf",
    ".gml": "gml",
    ".net": "pajek",
    ".paj": "pajek",
    ".pajek": "pajek",
    ".json": "json",
    ".edgelist": "edgelist",
    ".edges": "edgelist",
    ".el": "edgelist",
    ".txt": "edgelist",
}

#: Graph formats analysts have that this loader does not read: a file of one of them gets a
#: reject that names the format and the way out, never edges misread from its lines.
UNSUPPORTED: dict[str, str] = {
    ".dot": "Graphviz DOT",
    ".gv": "Graphviz DOT",
    ".gdf": "GUESS GDF",
    ".dl": "UCINET DL",
    ".gephi": "a Gephi project",
    ".xlsx": "an Excel workbook",
    ".xls": "an Excel workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".tlp": "Tulip TLP",
    ".vna": "NetDraw VNA",
    ".graphdb": "a graph database folder",
}
_UNSUPPORTED_ADVICE = (
    "export it as GraphML, GEXF, GML, Pajek NET or a CSV edge table (Source,Target[,Type,Weight]) "
    "— Gephi: File > Export > Graph file"
)

#: GraphML / JSON node attribute names (compacted) that fill a UserRecord field.
_NODE_FIELDS = {
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


def parse(path: Path, fmt: str = "auto", *, stats: ParseStats | None = None) -> Iterator[Record]:
    """Stream the records of a follow graph file; ``fmt`` is one of :data:`FORMATS`.

    Raises :class:`InputError` (before reading) only for an unknown ``fmt``; bad content
    becomes Rejects. Where each CSV column and GraphML node attribute went is noted in
    ``stats.columns``.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown follow-graph format {fmt!r}: use one of {', '.join(FORMATS)}")
    return _parse(Path(path), fmt, stats)


def _parse(path: Path, fmt: str, stats: ParseStats | None = None) -> Iterator[Record]:
    resolved = detect_format(path) if fmt == "auto" else fmt
    yield ScrapeRecord(
        id=f"{SOURCE}:{path.resolve()}", source=SOURCE, tool=resolved, path=str(path.resolve())
    )
    if not path.is_file():
        yield reject(path, "file", "no such file (a follow graph is one file)")
        return
    if resolved.startswith("unsupported:"):
        yield reject(
            path,
            "file",
            f"{resolved.split(':', 1)[1]} is not a supported follow-graph format: {_UNSUPPORTED_ADVICE}",
        )
    elif resolved == "csv":
        yield from csv_input.records(path, "follows", None, SOURCE, stats=stats)
    elif resolved == "edgelist":
        yield from _edgelist(path)
    elif resolved == "graphml":
        yield from _graphml(path, stats)
    elif resolved == "gexf":
        yield from _gexf(path)
    elif resolved in ("gml", "pajek"):
        yield from _networkx(path, resolved)
    else:
        yield from _snap_json(path, edges=True)


def parse_nodes(path: Path, *, stats: ParseStats | None = None) -> Iterator[Record]:
    """Stream the nodes of a follow graph as UserRecords (ScrapeRecord first).

    A CSV node table: the key column is ``id`` (aliases ``id_str``, ``node``, ``user_id`` …);
    ``name``/``label`` → full name, ``username``/``screen_name``/``twitter`` → username,
    ``followers``/``followers_count``, ``following``/``friends_count``; every other column
    goes to ``extra`` (typed scalars). A ``.json`` file: the nodes of the SNAP JSON format.
    """
    path = Path(path)
    yield ScrapeRecord(id=f"{SOURCE}:{path.resolve()}", source=SOURCE, tool="nodes", path=str(path.resolve()))
    if not path.is_file():
        yield reject(path, "file", "no such file")
        return
    if detect_format(path) == "json":
        yield from _snap_json(path, edges=False)
    else:
        yield from csv_input.records(path, "nodes", None, SOURCE, stats=stats)


def detect_format(path: Path) -> str:
    """One of :data:`FORMATS` (not ``auto``) from the suffix and the first lines, or
    ``unsupported:<name>`` for a graph format this loader does not read.

    A ``.csv`` whose first line is numbers only is a headerless edge list (SNAP's
    ``source,target,weight,time``); XML is GEXF or GraphML by its root element.
    """
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        return f"unsupported:{UNSUPPORTED[suffix]} ({suffix})"
    try:
        with path.open("rb") as f:
            head = f.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    except OSError:
        head = ""
    by_suffix = _SUFFIXES.get(suffix)
    first = next((ln for ln in head.splitlines() if ln.strip() and not ln.startswith(("#", "%"))), "")
    if by_suffix in ("graphml", "gexf") or (by_suffix is None and head.startswith("<")):
        return _xml_kind(head) or by_suffix or "graphml"
    if by_suffix == "csv":
        return "edgelist" if _numeric_line(first) else "csv"
    if by_suffix:
        return by_suffix
    if head.startswith("<"):
        return "graphml"
    if head.startswith(("[", "{")):
        return "json"
    if re.match(r"\*vertices\b", first, re.IGNORECASE):
        return "pajek"
    if re.match(r"(graph|creator|version)\s*(\[|\"|\d)", first, re.IGNORECASE):
        return "gml"
    if _numeric_line(first):
        return "edgelist"
    if "," in first or re.search(r"[A-Za-z]", first) and _looks_like_header(first):
        return "csv"
    return "edgelist"


def _xml_kind(head: str) -> str | None:
    root = re.search(r"<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)", head)
    if root is None:
        return None
    name = root.group(2).lower()
    if name in ("gexf", "graphml"):
        return name
    return f"unsupported:XML with root <{root.group(2)}> (neither GraphML nor GEXF)"


def _numeric_line(line: str) -> bool:
    cells = [c for c in re.split(r"[,;\t ]+", line.strip()) if c]
    return len(cells) >= 2 and all(re.fullmatch(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?", c) for c in cells)


def _looks_like_header(line: str) -> bool:
    aliases = csv_input.ALIASES["follows"]
    names = {csv_input._compact(n) for f, ns in aliases.items() for n in (f, *ns)}
    cells = [csv_input._compact(c) for c in re.split(r"[,;\t| ]+", line)]
    return sum(c in names for c in cells) >= 2


# --------------------------------------------------------------------------- edge lists


def _edgelist(path: Path) -> Iterator[Record]:
    try:
        with path.open("rb") as raw:
            head = raw.read(65536)
        f = path.open("r", encoding="utf-8", errors="replace", newline=None)
    except OSError as e:
        yield reject(path, "file", f"cannot read the file: {e.strerror or e}")
        return
    with f:
        if looks_binary(head):
            yield reject(
                path, "file", "not a text file: binary data is not an edge list — check the path and --format"
            )
            return
        try:
            held: tuple[int, str] | None = None  # the first data line, until the second tells
            seen = 0
            for n, line in enumerate(limits.bounded_lines(f), start=1):
                if isinstance(line, limits.LineTooLong):
                    yield reject(path, f"line {n}", line.reason(limits.current().max_line_bytes))
                    continue
                body = line.strip()
                if not body or body.startswith(("#", "%")):
                    continue
                seen += 1
                if seen == 1:
                    if _looks_like_header(body):
                        continue  # a "source target weight" header line, not an edge
                    held = (n, line)
                    continue
                if held is not None:
                    if _numeric_line(body) and not _numeric_line(held[1].strip()):
                        # "Id Label" over numeric edges: a header of another table, not an edge
                        yield reject(
                            path,
                            f"line {held[0]}",
                            "first line read as a header, not an edge (skipped)",
                            held[1].rstrip("\n"),
                        )
                    else:
                        yield from _edge_line(held[1], path, held[0])
                    held = None
                yield from _edge_line(line, path, n)
            if held is not None:
                yield from _edge_line(held[1], path, held[0])
        except OSError as e:
            yield reject(path, "file", f"cannot read the file: {e.strerror or e}")


def _edge_line(line: str, path: Path, n: int) -> Iterator[Record]:
    body = line.strip().lstrip("\ufeff").replace("\0", "")
    if not body or body.startswith(("#", "%")):
        return
    data: str | None = None
    if "{" in body:  # networkx write_edgelist: "a b {'weight': 0.5}"
        body, _, rest = body.partition("{")
        data = "{" + rest
    parts = re.split(r"[,;\t]\s*|\s+", body) if re.search(r"[,;\t]", body) else body.split()
    parts = [p.strip().strip('"') for p in parts if p.strip()]
    if len(parts) < 2:
        yield reject(path, f"line {n}", "an edge needs two node ids: 'a b [weight]'", line.rstrip("\n"))
        return
    if len(parts) > 4:  # "a b a b a b …": not one edge; storing a→b would drop the rest in silence
        yield reject(
            path,
            f"line {n}",
            f"too many fields: {len(parts):,} on one line, an edge is 'a b [weight [time]]'",
            line.rstrip("\n")[:200],
        )
        return
    follower, followed = node_id(parts[0]), node_id(parts[1])
    if follower is None or followed is None:
        yield reject(path, f"line {n}", "unusable node id", line.rstrip("\n"))
        return
    weight: float | None = None
    raw_weight: Any = parts[2] if len(parts) > 2 else None
    if data is not None:
        try:
            attrs = ast.literal_eval(data)
        except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
            attrs = None
        if isinstance(attrs, dict):
            raw_weight = attrs.get("weight", raw_weight)
        else:
            yield reject(
                path, f"line {n} data", "edge data is not a {'key': value} dict (ignored, edge kept)", data
            )
    if raw_weight is not None:
        weight = _weight(raw_weight)
        if weight is None:
            yield reject(
                path,
                f"line {n} weight",
                f"weight: not a finite number: {raw_weight!r} (dropped, edge kept)",
                line.rstrip("\n"),
            )
    yield FollowRecord(follower=follower, followed=followed, weight=weight)


def _weight(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        w = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return w if math.isfinite(w) else None


# --------------------------------------------------------------------------- GraphML

_GRAPHML_TYPES = {"boolean", "int", "long", "float", "double", "string"}


@functools.lru_cache(maxsize=256)
def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _typed(value: str | None, kind: str) -> Any:
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


def _too_large(path: Path, tag: str, elem: ET.Element) -> Reject:
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


def _graphml(path: Path, stats: ParseStats | None = None) -> Iterator[Record]:
    keys: dict[str, _Key] = {}
    labels: dict[str, str] = {}  # node id as written → the username it stands for
    directed_default = True
    graph: ET.Element | None = None
    try:
        for event, elem in limits.iterparse_bounded(path, ("node", "edge")):
            tag = _local(elem.tag)
            if event == "too large":
                yield _too_large(path, tag, elem)
                continue
            if event == "start":
                if tag == "graph":
                    graph = elem
                    directed_default = elem.get("edgedefault", "directed") != "undirected"
                continue
            if tag == "key":
                default = next((c.text for c in elem if _local(c.tag) == "default"), None)
                ident = elem.get("id")
                if ident:
                    keys[ident] = _Key(
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


@dataclass(slots=True, frozen=True)
class _Key:
    name: str
    type: str
    default: str | None
    domain: str  # node | edge | graph | all


def _data(
    elem: ET.Element, keys: dict[str, _Key], domain: str, path: Path, where: str
) -> tuple[dict[str, Any], list[Reject]]:
    """The element's attributes (key defaults first) and Rejects for values of the wrong type."""
    out: dict[str, Any] = {}
    bad: list[Reject] = []
    values_in: list[tuple[_Key, str | None]] = [
        (k, k.default) for k in keys.values() if k.default is not None and k.domain in (domain, "all")
    ]
    for child in elem:
        if _local(child.tag) == "data":
            ident = child.get("key") or ""
            values_in.append((keys.get(ident, _Key(ident, "string", None, "all")), child.text))
    for key, value in values_in:
        try:
            out[key.name] = _typed(value, key.type)
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


def _attribute_destination(key: _Key) -> str:
    """Where a GraphML attribute goes, in words, for the load summary."""
    name = key.name.lower()
    if key.domain == "edge":
        return "weight" if name in ("weight", "w") else "ignored (edges keep only their weight)"
    if name in DRAWING_ATTRIBUTES:
        return "ignored (drawing attribute)"
    if name in _NAME_ATTRIBUTES:
        return "username (full name when it is not a username)"
    target = _NODE_FIELDS.get(csv_input._compact(key.name))
    return target or f"property {csv_input.extra_name(key.name)}"


#: Node attributes that name the account, in order: igraph writes the vertex ``name``, Gephi
#: its ``label`` (the node id is then igraph's ``n0`` or Gephi's own id, e.g. a platform id).
_NAME_ATTRIBUTES = ("username", "screen_name", "name", "label")


def _graphml_node(
    elem: ET.Element, keys: dict[str, _Key], labels: dict[str, str], path: Path
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
    keys: dict[str, _Key],
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
    weight = _weight(raw_weight) if raw_weight is not None else None
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
        target = _NODE_FIELDS.get(csv_input._compact(name))
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


# --------------------------------------------------------------------------- GEXF

_GEXF_TYPES = {
    "integer": "int",
    "long": "long",
    "float": "float",
    "double": "double",
    "boolean": "boolean",
    "string": "string",
}


def _gexf(path: Path) -> Iterator[Record]:
    """GEXF (Gephi's own format), streamed like GraphML: node labels are the usernames (edges
    name node ids, so the id → label map is kept), ``<attvalue>`` s become user fields or
    extras typed by their ``<attribute type>``, edge ``weight`` is kept, and an edge whose
    ``type`` (else the graph's ``defaultedgetype``) is ``undirected`` or ``mutual`` goes both ways."""
    declared: dict[str, dict[str, _Key]] = {"node": {}, "edge": {}}
    current = "node"
    labels: dict[str, str] = {}
    directed_default = True
    container: ET.Element | None = None
    try:
        for event, elem in limits.iterparse_bounded(path, ("node", "edge")):
            tag = _local(elem.tag)
            if event == "too large":
                yield _too_large(path, tag, elem)
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
                    default = next((c.text for c in elem if _local(c.tag) == "default"), None)
                    kind = _GEXF_TYPES.get((elem.get("type") or "string").lower(), "other")
                    declared[current][ident] = _Key(elem.get("title") or ident, kind, default, current)
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
    elem: ET.Element, keys: dict[str, _Key], path: Path, where: str
) -> tuple[dict[str, Any], list[Reject]]:
    out: dict[str, Any] = {}
    bad: list[Reject] = []
    pairs: list[tuple[_Key, str | None]] = [(k, k.default) for k in keys.values() if k.default is not None]
    for child in elem:
        if _local(child.tag) != "attvalues":
            continue
        for value in child:
            if _local(value.tag) != "attvalue":
                continue
            ident = value.get("for") or value.get("id") or ""
            pairs.append((keys.get(ident, _Key(ident, "other", None, "all")), value.get("value")))
    for key, raw in pairs:
        try:
            out[key.name] = _typed(raw, key.type)
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
    elem: ET.Element, keys: dict[str, _Key], labels: dict[str, str], path: Path
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
    elem: ET.Element, keys: dict[str, _Key], labels: dict[str, str], directed_default: bool, path: Path
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
    weight = _weight(raw_weight) if raw_weight is not None else None
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


# --------------------------------------------------------------------------- GML, Pajek (networkx)

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
            weight = _weight(parts[2]) if len(parts) > 2 else None
            yield FollowRecord(follower=a, followed=b, weight=weight)
            if not directed and a != b:
                yield FollowRecord(follower=b, followed=a, weight=weight)


def _networkx(path: Path, fmt: str) -> Iterator[Record]:
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
        weight = _weight(raw_weight) if raw_weight is not None else None
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


# --------------------------------------------------------------------------- SNAP JSON


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _snap_json(path: Path, *, edges: bool) -> Iterator[Record]:
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
            weight = _weight(raw_weight) if raw_weight is not None else None
            yield FollowRecord(follower=str(i), followed=followed, weight=weight)
