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

from collections.abc import Iterator
from pathlib import Path

from influence.errors import InputError
from influence.loaders import csv_input
from influence.loaders.common import ParseStats, reject
from influence.loaders.follows import edgelist, gexf, gml_pajek, graphml, snap_json
from influence.loaders.follows.attributes import DRAWING_ATTRIBUTES, user_from_attributes
from influence.loaders.follows.detect import FORMATS, UNSUPPORTED, UNSUPPORTED_ADVICE, detect_format
from influence.loaders.records import Record, ScrapeRecord

__all__ = [
    "DRAWING_ATTRIBUTES",
    "FORMATS",
    "SOURCE",
    "UNSUPPORTED",
    "detect_format",
    "parse",
    "parse_nodes",
    "user_from_attributes",
]

SOURCE = "follows"


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
            f"{resolved.split(':', 1)[1]} is not a supported follow-graph format: {UNSUPPORTED_ADVICE}",
        )
    elif resolved == "csv":
        yield from csv_input.records(path, "follows", None, SOURCE, stats=stats)
    elif resolved == "edgelist":
        yield from edgelist.read(path)
    elif resolved == "graphml":
        yield from graphml.read(path, stats)
    elif resolved == "gexf":
        yield from gexf.read(path)
    elif resolved in ("gml", "pajek"):
        yield from gml_pajek.read(path, resolved)
    else:
        yield from snap_json.read(path, edges=True)


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
        yield from snap_json.read(path, edges=False)
    else:
        yield from csv_input.records(path, "nodes", None, SOURCE, stats=stats)
