"""Which follow-graph format a file is: by suffix, then by its first lines (XML by its root element)."""

from __future__ import annotations

import re
from pathlib import Path

from influence.loaders import csv_input

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
UNSUPPORTED_ADVICE = (
    "export it as GraphML, GEXF, GML, Pajek NET or a CSV edge table (Source,Target[,Type,Weight]) "
    "— Gephi: File > Export > Graph file"
)


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
        return "edgelist" if numeric_line(first) else "csv"
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
    if numeric_line(first):
        return "edgelist"
    if "," in first or re.search(r"[A-Za-z]", first) and looks_like_header(first):
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


def numeric_line(line: str) -> bool:
    cells = [c for c in re.split(r"[,;\t ]+", line.strip()) if c]
    return len(cells) >= 2 and all(re.fullmatch(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?", c) for c in cells)


def looks_like_header(line: str) -> bool:
    aliases = csv_input.ALIASES["follows"]
    names = {csv_input._compact(n) for f, ns in aliases.items() for n in (f, *ns)}
    cells = [csv_input._compact(c) for c in re.split(r"[,;\t| ]+", line)]
    return sum(c in names for c in cells) >= 2
