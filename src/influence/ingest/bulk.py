"""Records → ``neo4j-admin database import full`` CSVs, for first loads of millions of records.

:func:`write_import` validates records exactly as :func:`influence.ingest.ingest`
does (same rejects file, same summary) but writes CSV files instead of talking to Neo4j:
one node file per label (``:ID(<label>)`` id spaces, a ``:LABEL`` column) and one
relationship file per type (``:START_ID``/``:END_ID``/``:TYPE``), plus ``import.sh``,
``README.md`` and ``manifest.json`` in the output folder. :func:`influence.server.admin_import.run_import` runs the import
into the managed server (stopped) with the ``neo4j-admin`` entry point of its jars.

The offline importer cannot ``MERGE``, so the files are de-duplicated here: the first record
of a node id wins (later records of the same node are skipped, not merged), a user or post
that is only referenced (mentioned, followed, liked) becomes a ``{id}`` stub unless a full
record of it exists, and each relationship is written once. Memory is one 64-bit hash per
node and relationship (about 60 MB per million), not the records themselves. For a post seen
in several scrapes every Observation is kept but the post's properties come from its first
record: bulk-import the first scrape, then load later ones with ``influence load`` (it
MERGEs onto the imported graph and moves the latest counts forward).
"""

from __future__ import annotations

import csv
import hashlib
import json
import shlex
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from influence import graph_model as gm
from influence.errors import InputError
from influence.ingest.rejects import RejectWriter
from influence.ingest.rows import post_row, user_row
from influence.ingest.sink import RecordSink
from influence.ingest.summary import LoadSummary, SummaryProgress
from influence.loaders.records import PostRecord, Record, UserRecord

MANIFEST = "manifest.json"
ARRAY_DELIMITER = ";"

#: Node files: label → (key property, [(property, neo4j-admin type)]), from the graph model.
NODE_COLUMNS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    label: (key, list(gm.admin_columns(gm.NODE_PROPERTIES[label]))) for label, key in gm.KEYS.items()
}
#: Relationship files: name → (start label, end label, [(property, type)]), from the graph model.
REL_COLUMNS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    name: (rel.start, rel.end, list(gm.admin_columns(rel.properties)))
    for name, rel in gm.RELATIONSHIPS.items()
}
#: The relationship type each file writes (``IN`` and ``FROM_SCRAPE`` join two kinds of node).
_REL_TYPE = {name: rel.type for name, rel in gm.RELATIONSHIPS.items()}


def _digest(*parts: str) -> int:
    h = hashlib.blake2b(digest_size=8)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return int.from_bytes(h.digest(), "little")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(_cell(v)) for v in value)
    return value


def _extra_type(values: list[Any]) -> str:
    """The neo4j-admin column type that holds every value seen for one extra property."""

    def scalar(v: Any) -> str:
        if isinstance(v, bool):
            return "boolean"
        if isinstance(v, int):
            return "long"
        if isinstance(v, float):
            return "double"
        return "string"

    kinds = {scalar(v[0]) + "[]" if isinstance(v, list) else scalar(v) for v in values}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds <= {"long", "double"}:
        return "double"
    if kinds <= {"long[]", "double[]"}:
        return "double[]"
    return "string[]" if all(k.endswith("[]") for k in kinds) else "string"


class _Files:
    """The open CSV writers of one output folder."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.handles: list[IO[str]] = []
        self.writers: dict[str, Any] = {}
        self.counts: dict[str, int] = {}

    def writer(self, name: str, header: list[str]) -> Any:
        w = self.writers.get(name)
        if w is None:
            f = (self.outdir / name).open("w", newline="", encoding="utf-8")
            self.handles.append(f)
            w = csv.writer(f)
            w.writerow(header)
            self.writers[name] = w
            self.counts[name] = 0
        return w

    def row(self, name: str, header: list[str], values: list[Any]) -> None:
        self.writer(name, header).writerow([_cell(v) for v in values])
        self.counts[name] += 1

    def close(self) -> None:
        for f in self.handles:
            f.close()


class _Bulk(RecordSink):
    def __init__(self, outdir: Path, rejects: RejectWriter, progress: SummaryProgress | None) -> None:
        self.outdir = outdir
        self.rejects = rejects
        self.progress = progress
        self.files = _Files(outdir)
        self.summary = LoadSummary(rejects_path=rejects.path)
        self.seen: set[int] = set()  # hashes of written nodes and relationships
        self.full: set[int] = set()  # hashes of User/Post ids written with a full record
        self.stub_tmp = (outdir / "stubs.tmp").open("w", encoding="utf-8")
        self.users_tmp = (outdir / "users.tmp").open("w", encoding="utf-8")
        self.extra_values: dict[str, list[Any]] = {}
        self.extra_names: set[str] = set()
        self.scrape: str | None = None
        self.source = "<records>"
        self.sources: set[str] = set()
        self.started = time.monotonic()

    # -- helpers ------------------------------------------------------------------------
    def node(
        self, label: str, key: str, props: dict[str, Any] | None = None, more_labels: tuple[str, ...] = ()
    ) -> None:
        """Write a node once (first wins); ``more_labels`` go next to ``label`` in its ``:LABEL`` cell."""
        h = _digest(label, key)
        if h in self.seen:
            return
        self.seen.add(h)
        key_prop, columns = NODE_COLUMNS[label]
        header = [f"{key_prop}:ID({label})", ":LABEL"] + [
            f"{p}:{t}" if t != "string" else p for p, t in columns
        ]
        labels = [label, *more_labels] if more_labels else label
        values = [key, labels] + [(props or {}).get(p) for p, _ in columns]
        self.files.row(f"nodes_{label}.csv", header, values)

    def ref(self, label: str, key: str) -> None:
        """A User or Post referenced by id: a stub unless a full record of it is written."""
        self.stub_tmp.write(json.dumps([label, key]) + "\n")

    def rel(
        self, kind: str, start: str, end: str, props: dict[str, Any] | None = None, key: str = ""
    ) -> None:
        """Write a relationship once per (type, ends, ``key``)."""
        rel_type = _REL_TYPE[kind]
        start_label, end_label, columns = REL_COLUMNS[kind]
        h = _digest(rel_type, start_label, start, end_label, end, key)
        if h in self.seen:
            return
        self.seen.add(h)
        header = [f":START_ID({start_label})", f":END_ID({end_label})", ":TYPE"] + [
            f"{p}:{t}" for p, t in columns
        ]
        values = [start, end, rel_type] + [(props or {}).get(p) for p, _ in columns]
        self.files.row(f"rels_{kind}.csv", header, values)

    # -- records (RecordSink.add dispatches) ----------------------------------------------
    def add_follow(self, row: dict[str, Any]) -> None:
        self.ref("User", row["follower"])
        self.ref("User", row["followed"])
        self.rel("FOLLOWS", row["follower"], row["followed"], row)
        self.summary.written["follows"] += 1

    def add_observation(self, post: str, at: datetime, row: dict[str, Any]) -> None:
        self.ref("Post", post)
        self.node("Observation", row["id"], row)
        self.rel("HAS_OBSERVATION", post, row["id"])
        self.summary.written["observations"] += 1

    def add_like(self, row: dict[str, Any]) -> None:
        self.ref("User", row["user"])
        self.ref("Post", row["post"])
        self.rel("LIKED", row["user"], row["post"])
        self.summary.written["likes"] += 1

    def add_comment(self, row: dict[str, Any]) -> None:
        self.ref("User", row["user"])
        self.ref("Post", row["post"])
        self.rel("COMMENTED", row["user"], row["post"], row, key=row["id"])
        self.summary.written["comments"] += 1

    def add_scrape(self, row: dict[str, Any]) -> None:
        self.node("Scrape", row["id"], row)
        self.summary.written["scrapes"] += 1

    def added(self, index: int) -> None:
        if self.progress is not None:
            self.progress(self.summary)

    def add_user(self, index: int, record: UserRecord) -> None:
        row, dropped = user_row(record, self.scrape, self.extra_names)
        self.use_scrape()
        self.drop_values(index, dropped, record)
        h = _digest("User", row["id"])
        if h not in self.full:
            self.full.add(h)
            for k, v in row.get("extra", {}).items():
                values = self.extra_values.setdefault(k, [])
                if len(values) < 1000 or type(v) is not type(values[0]):
                    values.append(v)
            # users wait in a temp file: their columns (extras) are known only at the end
            self.users_tmp.write(json.dumps(row, ensure_ascii=False) + "\n")
        if row.get("language"):
            self.node("Language", row["language"])
            self.rel("SPEAKS", row["id"], row["language"])
        if row.get("country"):
            self.node("Country", row["country"])
            self.rel("USER_IN", row["id"], row["country"])
        if self.scrape is not None:
            self.rel("USER_FROM_SCRAPE", row["id"], self.scrape, {"followers": row.get("followers")})
        self.summary.written["users"] += 1

    def add_post(self, index: int, record: PostRecord) -> None:
        row = post_row(record, self.scrape)
        self.use_scrape()
        pid = row["id"]
        h = _digest("Post", pid)
        author = row.get("author")
        if author is not None:
            ah = _digest("POSTED-author", pid)
            if ah in self.seen and _digest("POSTED-author", pid, author) not in self.seen:
                self.reject(
                    index,
                    f"conflicting author: post {pid!r} is already written with another author than {author!r}",
                    record,
                )
                return
            self.seen.add(ah)
            self.seen.add(_digest("POSTED-author", pid, author))
        observed = row.get("observedAt")
        if "obsId" in row:
            row["lastObservedAt"] = observed
            self.node(
                "Observation",
                row["obsId"],
                {"at": observed, **{c: row.get(c) for c in gm.ENGAGEMENT_COUNTS}},
            )
            self.rel("HAS_OBSERVATION", pid, row["obsId"])
        if h not in self.full:
            self.full.add(h)
            # a post known only by its owner's platform id waits for that profile, as with ingest
            waiting = (gm.AWAITING_OWNER,) if author is None and "ownerId" in row else ()
            self.node("Post", pid, row, waiting)
        if author is not None:
            self.ref("User", author)
            self.rel("POSTED", author, pid)
        for a in row.get("coauthors", []):
            self.ref("User", a)
            self.rel("POSTED", a, pid, {"coauthor": True})
        for tag in row.get("hashtags", []):
            self.node("Hashtag", tag)
            self.rel("TAGGED", pid, tag)
        for m in row.get("mentions", []):
            self.ref("User", m)
            self.rel("MENTIONS", pid, m)
        for f in row.get("features", []):
            self.ref("User", f)
            self.rel("FEATURES", pid, f)
        if "locationId" in row:
            loc = row["locationId"]
            self.node("Location", loc, {"name": row.get("locationName"), "slug": row.get("locationSlug")})
            self.rel("AT", pid, loc)
            if row.get("country"):
                self.node("Country", row["country"])
                self.rel("IN_COUNTRY", loc, row["country"])
        if self.scrape is not None:
            self.rel("POST_FROM_SCRAPE", pid, self.scrape)
        self.summary.written["posts"] += 1

    # -- the end ------------------------------------------------------------------------
    def finish(self) -> None:
        self.users_tmp.close()
        self.stub_tmp.close()
        extras = {k: _extra_type(v) for k, v in sorted(self.extra_values.items())}
        key_prop, columns = NODE_COLUMNS["User"]
        header = [f"{key_prop}:ID(User)", ":LABEL"] + [f"{p}:{t}" if t != "string" else p for p, t in columns]
        header += [f"{k}:{t}" if t != "string" else k for k, t in extras.items()]
        with (self.outdir / "users.tmp").open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                extra = row.get("extra", {})
                values = (
                    [row["id"], "User"] + [row.get(p) for p, _ in columns] + [extra.get(k) for k in extras]
                )
                self.files.row("nodes_User.csv", header, values)
                self.seen.add(_digest("User", row["id"]))
        with (self.outdir / "stubs.tmp").open(encoding="utf-8") as f:
            for line in f:
                label, key = json.loads(line)
                h = _digest(label, key)
                if h in self.full or h in self.seen:
                    continue
                self.seen.add(h)
                self.files.row(
                    f"nodes_{label}_stubs.csv",
                    [f"{NODE_COLUMNS[label][0]}:ID({label})", ":LABEL"],
                    [key, label],
                )
        (self.outdir / "users.tmp").unlink()
        (self.outdir / "stubs.tmp").unlink()
        self.files.close()


def manifest(outdir: Path) -> dict[str, Any]:
    """The node and relationship files of an import folder written by :func:`write_import`."""
    path = outdir / MANIFEST
    if not path.exists():
        raise InputError(
            f"{outdir} has no {MANIFEST} — write it with `influence load … --bulk {outdir}` first"
        )
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def import_arguments(outdir: Path, database: str = "neo4j", overwrite: bool = False) -> list[str]:
    """The ``neo4j-admin`` arguments that import ``outdir`` (after ``neo4j-admin``)."""
    files = manifest(outdir)
    # the database name goes first: --nodes/--relationships take several files and would swallow it
    args = [
        "database",
        "import",
        "full",
        database,
        f"--array-delimiter={ARRAY_DELIMITER}",
        "--id-type=string",
        "--multiline-fields=true",
    ]
    if overwrite:
        args.append("--overwrite-destination=true")
    args += [f"--nodes={outdir / name}" for name in files["nodes"]]
    args += [f"--relationships={outdir / name}" for name in files["relationships"]]
    return args


def _readme(outdir: Path, files: dict[str, Any]) -> str:
    args = " \\\n    ".join(shlex.quote(a) for a in import_arguments(outdir))
    return f"""# Bulk import files

Written by `influence load … --bulk {outdir}`: {files["node_rows"]:,} node rows and
{files["relationship_rows"]:,} relationship rows for `neo4j-admin database import full`, the
fastest way to do a first load of millions of records. It only fills a **new or empty** database.

With the managed server of `influence`:

    influence db stop
    influence load bulk-import {shlex.quote(str(outdir))} --overwrite   # replaces the database `neo4j`
    influence db start && influence db init                               # constraints and indexes

With your own Neo4j 5 (server stopped; `--overwrite-destination=true` replaces existing data):

    neo4j-admin {args}

then start Neo4j and run `influence db init`. Later scrapes are loaded normally with
`influence load …`: it MERGEs onto the imported graph. `import.sh` runs the command above.
"""


def write_import(
    records: Iterable[Record], outdir: Path, rejects_path: Path, progress: SummaryProgress | None = None
) -> LoadSummary:
    """Validate ``records`` and write them as neo4j-admin import CSVs into ``outdir``.

    Rejects go to ``rejects_path`` exactly as with :func:`~influence.ingest.ingest`.
    Writes ``import.sh``, ``README.md`` and ``manifest.json`` next to the CSVs. ``outdir``
    must be empty or not exist (stale CSVs would be imported too).
    """
    outdir = outdir.resolve()
    if outdir.exists() and any(outdir.iterdir()):
        raise InputError(f"{outdir} is not empty — give a new folder for the import files")
    outdir.mkdir(parents=True, exist_ok=True)
    rejects = RejectWriter(rejects_path)
    state = _Bulk(outdir, rejects, progress)
    try:
        for index, record in enumerate(records):
            state.add(index, record)
        state.finish()
    finally:
        rejects.close()
        state.files.close()
    counts = state.files.counts
    nodes = sorted(n for n in counts if n.startswith("nodes_") and not n.endswith("_stubs.csv"))
    nodes += sorted(n for n in counts if n.endswith("_stubs.csv"))
    rels = sorted(n for n in counts if n.startswith("rels_"))
    files: dict[str, Any] = {
        "nodes": nodes,
        "relationships": rels,
        "node_rows": sum(counts[n] for n in nodes),
        "relationship_rows": sum(counts[n] for n in rels),
        "counts": counts,
        "written_at": datetime.now().isoformat(timespec="seconds"),
    }
    (outdir / MANIFEST).write_text(json.dumps(files, indent=2) + "\n", encoding="utf-8")
    (outdir / "README.md").write_text(_readme(outdir, files), encoding="utf-8")
    script = outdir / "import.sh"
    script.write_text(
        "#!/bin/sh\n# Import these files into a new or empty Neo4j database (server stopped). See README.md.\n"
        'set -e\nexec "${NEO4J_ADMIN:-neo4j-admin}" '
        + " ".join(shlex.quote(a) for a in import_arguments(outdir))
        + ' "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    s = state.summary
    s.rejected = rejects.count
    s.reasons = rejects.reasons
    s.rejects_unwritten = rejects.unwritten
    s.files = len(state.sources)
    s.seconds = time.monotonic() - state.started
    s.nodes_created = files["node_rows"]
    s.relationships_created = files["relationship_rows"]
    if progress is not None:
        progress(s)
    return s
