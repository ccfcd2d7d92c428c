"""Edge lists: one edge per line, ``a b [weight]`` (networkx's ``{'weight': …}`` data read too)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from influence.loaders import limits
from influence.loaders.common import reject
from influence.loaders.csv_input import node_id
from influence.loaders.follows.attributes import edge_weight
from influence.loaders.follows.detect import looks_like_header, numeric_line
from influence.loaders.limits import looks_binary
from influence.loaders.records import FollowRecord, Record


def read(path: Path) -> Iterator[Record]:
    """The records of an edge-list file: FollowRecords, and Rejects for the lines that are not edges."""
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
                    if looks_like_header(body):
                        continue  # a "source target weight" header line, not an edge
                    held = (n, line)
                    continue
                if held is not None:
                    if numeric_line(body) and not numeric_line(held[1].strip()):
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
        weight = edge_weight(raw_weight)
        if weight is None:
            yield reject(
                path,
                f"line {n} weight",
                f"weight: not a finite number: {raw_weight!r} (dropped, edge kept)",
                line.rstrip("\n"),
            )
    yield FollowRecord(follower=follower, followed=followed, weight=weight)
