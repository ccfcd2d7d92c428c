"""Ingest speed on the same work: the loader vs the server's own LOAD CSV, and the loader's peak RSS.

Runs against the managed server the environment describes (``Settings.from_env()``:
``INFLUENCE_HOME`` on ``INFLUENCE_BOLT_PORT``; LOAD CSV writes into its import folder). It
**empties that database** several times.

    INFLUENCE_HOME=/tmp/ig-bench INFLUENCE_BOLT_PORT=17701 INFLUENCE_HTTP_PORT=17702 \\
        python benchmarks/ingest.py --users 2000 8000 \\
        --real ../shared/data/instagram-profilecrawl-2017/profiles

For each input (a generated sample of ``--users`` accounts, ``influence sample``; the real
2017 profilecrawl):

1. **loader** — a child process parses the input and runs :func:`influence.ingest.ingest` into
   the empty database, as ``influence load`` does; the time is ``ingest()``'s wall time
   (parsing included, interpreter start-up not), the memory the child's peak RSS.
2. **same-work LOAD CSV** — the loader's run is repeated in this process with every statement it
   sends recorded (statement name and its exact rows: each ``merge_*`` batch, the
   ``check_post_authors`` read, the ``merge_posts`` / ``merge_posts_new`` split, the scrape rows,
   ``link_post_owners``). Each batch is written to a CSV in the server's import folder (not
   timed) and replayed, in order, as ``LOAD CSV … CALL (csvrow) { WITH {…} AS row <the product's
   own merge_*.cypher body> } IN TRANSACTIONS`` — one transaction per batch, as the loader
   commits, FROM_SCRAPE relationships, the new/updated/unchanged RETURNs, CREATE where the
   loader CREATEs. The two graphs must have equal counts of nodes per label and relationships
   per type, or the benchmark fails.

It prints records/s for both, the ratio (target ≥ 1.0×), and the loader's peak RSS. The rate
counts the records the loader read (``LoadSummary.records``) for both.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from neo4j import Driver

from influence import cypher, db
from influence.config import Settings
from influence.loaders.records import Record

SEP = "\x1f"  # list elements in one CSV cell
NULL = "\x1e"  # a null list element
WRITES = (
    "merge_scrapes",
    "merge_users",
    "merge_posts",
    "merge_posts_new",
    "merge_follows",
    "merge_likes",
    "merge_comments",
    "merge_observations",
)


# ----------------------------------------------------------------------------- inputs
def records_of(kind: str, path: Path) -> Iterator[Record]:
    if kind == "gallery-dl":
        from influence.loaders import gallery_dl

        return gallery_dl.parse(path)
    from influence.loaders import profilecrawl

    return profilecrawl.parse(path)


def sample_folder(root: Path, users: int) -> Path:
    """A generated sample of ``users`` accounts (``influence sample --users N``), cached in ``root``."""
    from influence.sample import SampleParameters, generate_sample

    out = root / f"sample-{users}"
    if not (out / "ground_truth.json").is_file():
        generate_sample(out, SampleParameters(users=users), overwrite=True)
    return out


def graph_counts(driver: Driver) -> dict[str, int]:
    """Nodes per label and relationships per type."""
    counts = {
        f":{r['l']}": int(r["n"])
        for r in db.read(driver, "MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n")
    }
    counts |= {
        f"[{r['t']}]": int(r["n"])
        for r in db.read(driver, "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")
    }
    return counts


def reset(driver: Driver) -> None:
    db.reset(driver)
    db.init_schema(driver)


# ----------------------------------------------------------------------------- the loader
def child(kind: str, path: Path) -> int:
    """Run in the child process: one load, its figures as JSON on stdout."""
    from influence.ingest import ingest

    settings = Settings.from_env()
    with db.connect(settings) as driver, TemporaryDirectory() as tmp:
        started = time.monotonic()
        summary = ingest(driver, records_of(kind, path), Path(tmp) / "rejects.jsonl", settings.database)
        seconds = time.monotonic() - started
    print(json.dumps({"records": summary.records, "read": summary.read, "seconds": seconds}))
    return 0


def run_loader(kind: str, path: Path) -> tuple[dict[str, Any], float]:
    """The loader in a child process: its figures and its peak RSS (MiB)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"the loader failed (exit {proc.returncode})")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


# ----------------------------------------------------------------------------- capture
Statement = tuple[str, list[dict[str, Any]]]


def capture(driver: Driver, kind: str, path: Path) -> list[Statement]:
    """Load ``path`` once more, recording every statement the loader sends with its rows."""
    from influence.ingest import ingest as ingest_records
    from influence.ingest import sink, writer

    names = {cypher.load(n): n for n in (*WRITES, "check_post_authors")}
    sent: list[Statement] = []

    class Recording:
        def __init__(self, tx: Any) -> None:
            self.tx = tx

        def run(self, query: str, **params: Any) -> Any:
            sent.append((names[query], list(params["rows"])))
            return self.tx.run(query, **params)

    original_run, original_posts = sink._Writer.run, sink._write_posts
    original_link = writer.link_post_owners

    def run(self: Any, name: str, rows: list[dict[str, Any]]) -> list[Any]:
        if name != "merge_posts":
            sent.append((name, list(rows)))
        result: list[Any] = original_run(self, name, rows)
        return result

    def write_posts(tx: Any, rows: list[dict[str, Any]]) -> Any:
        return original_posts(Recording(tx), rows)

    def link(driver: Driver, database: str | None = None) -> int:
        sent.append(("link_post_owners", []))
        return int(original_link(driver, database))

    patches: list[tuple[Any, str, Callable[..., Any]]] = [
        (sink._Writer, "run", run),
        (sink, "_write_posts", write_posts),
        (writer, "link_post_owners", link),
    ]
    saved = [(obj, attr, getattr(obj, attr)) for obj, attr, _ in patches]
    try:
        for obj, attr, new in patches:
            setattr(obj, attr, new)
        with TemporaryDirectory() as tmp:
            ingest_records(driver, records_of(kind, path), Path(tmp) / "rejects.jsonl")
    finally:
        for obj, attr, old in saved:
            setattr(obj, attr, old)
    return sent


# ----------------------------------------------------------------------------- LOAD CSV
def _scalar_type(values: list[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if not kinds or kinds <= {str}:
        return "str"
    if kinds <= {bool}:
        return "bool"
    if kinds <= {int}:
        return "int"
    if kinds <= {int, float}:
        return "float"
    raise ValueError(f"no CSV encoding for values of types {kinds}")


def _convert(kind: str, expr: str) -> str:
    return {
        "str": expr,
        "int": f"toInteger({expr})",
        "float": f"toFloat({expr})",
        "bool": f"toBoolean({expr})",
    }[kind]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _get(key: str, row: dict[str, Any]) -> str:
    return _cell(row.get(key))


def _mark(key: str, row: dict[str, Any]) -> str:
    return "1" if row.get(key) is not None else ""


def _get_sub(key: str, sub: str, row: dict[str, Any]) -> str:
    return _cell((row.get(key) or {}).get(sub))


def _get_list(key: str, row: dict[str, Any]) -> str:
    return SEP.join(_cell(x) for x in row.get(key) or [])


def _size(key: str, row: dict[str, Any]) -> str:
    return str(len(row[key])) if row.get(key) is not None else ""


def _get_items(key: str, sub: str, row: dict[str, Any]) -> str:
    return SEP.join(NULL if m.get(sub) is None else _cell(m[sub]) for m in row.get(key) or [])


def _keys(maps: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(k for m in maps for k in m))


class Encoding:
    """How one batch's rows become CSV columns, and the Cypher map that rebuilds each row."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.columns: list[tuple[str, Callable[[dict[str, Any]], str]]] = []
        fields: list[str] = []
        for key in _keys(rows):
            values = [r.get(key) for r in rows]
            present = [v for v in values if v is not None]
            if present and all(isinstance(v, dict) for v in present):
                fields.append(f"`{key}`: {self._map(key, present)}")
            elif present and all(isinstance(v, list) for v in present):
                items = [x for v in present for x in v]
                if items and all(isinstance(x, dict) for x in items):
                    fields.append(f"`{key}`: {self._map_list(key, items)}")
                else:
                    fields.append(f"`{key}`: {self._list(key, items)}")
            else:
                kind = _scalar_type(values)
                self.columns.append((key, partial(_get, key)))
                fields.append(f"`{key}`: {_convert(kind, f'csvrow.`{key}`')}")
        self.row = "{" + ", ".join(fields) + "}"

    def _map(self, key: str, maps: list[dict[str, Any]]) -> str:
        mark = f"{key}?"
        self.columns.append((mark, partial(_mark, key)))
        parts = []
        for sub in _keys(maps):
            kind = _scalar_type([m.get(sub) for m in maps])
            col = f"{key}.{sub}"
            self.columns.append((col, partial(_get_sub, key, sub)))
            parts.append(f"`{sub}`: {_convert(kind, f'csvrow.`{col}`')}")
        return f"CASE WHEN csvrow.`{mark}` IS NULL THEN null ELSE {{{', '.join(parts)}}} END"

    def _list(self, key: str, items: list[Any]) -> str:
        kind = _scalar_type(items)
        self.columns.append((key, partial(_get_list, key)))
        split = f"split(csvrow.`{key}`, '\\u001f')"
        body = split if kind == "str" else f"[x IN {split} | {_convert(kind, 'x')}]"
        return f"CASE WHEN csvrow.`{key}` IS NULL THEN null ELSE {body} END"

    def _map_list(self, key: str, items: list[dict[str, Any]]) -> str:
        size = f"{key}#"
        self.columns.append((size, partial(_size, key)))
        parts = []
        for sub in _keys(items):
            kind = _scalar_type([m.get(sub) for m in items])
            col = f"{key}.{sub}"
            self.columns.append((col, partial(_get_items, key, sub)))
            x = f"split(csvrow.`{col}`, '\\u001f')[i]"
            parts.append(f"`{sub}`: CASE WHEN {x} = '\\u001e' THEN null ELSE {_convert(kind, x)} END")
        return (
            f"CASE WHEN csvrow.`{size}` IS NULL THEN null ELSE "
            f"[i IN range(0, toInteger(csvrow.`{size}`) - 1) | {{{', '.join(parts)}}}] END"
        )

    def write(self, file: Path, rows: list[dict[str, Any]]) -> None:
        with file.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([name for name, _ in self.columns])
            for r in rows:
                w.writerow([get(r) for _, get in self.columns])


def _body(name: str) -> str:
    """A merge statement without its comments and its ``UNWIND $rows AS row``."""
    lines = [ln for ln in cypher.load(name).splitlines() if not ln.lstrip().startswith("//")]
    assert lines[0].strip() == "UNWIND $rows AS row", name
    return "\n".join(lines[1:])


def load_csv_statement(name: str, encoding: Encoding, rows: int) -> str:
    body = _body(name)
    if name == "check_post_authors":  # a read: no transactions of its own
        return f"LOAD CSV WITH HEADERS FROM $url AS csvrow\nWITH {encoding.row} AS row\n{body}"
    outcomes = [o for o in ("new", "updated", "unchanged") if re.search(rf"\bAS {o}\b", body)]
    query = (
        f"LOAD CSV WITH HEADERS FROM $url AS csvrow\nCALL (csvrow) {{\nWITH {encoding.row} AS row\n{body}\n}} "
        f"IN TRANSACTIONS OF {max(rows, 1)} ROWS"
    )
    if outcomes:  # the outcomes the loader reads, summed over the rows
        query += "\nRETURN " + ", ".join(f"sum({o}) AS {o}" for o in outcomes)
    return query


def run_load_csv(driver: Driver, settings: Settings, sent: list[Statement]) -> float:
    """Replay ``sent`` through LOAD CSV; return the seconds (CSV writing not timed)."""
    folder = settings.server_home / "import" / "bench-same-work"
    folder.mkdir(parents=True, exist_ok=True)
    plan: list[tuple[str, str | None]] = []
    for i, (name, rows) in enumerate(sent):
        if name == "link_post_owners":
            plan.append((cypher.load(name), None))
            continue
        if not rows:
            continue
        encoding = Encoding(rows)
        file = folder / f"{i:05d}-{name}.csv"
        encoding.write(file, rows)
        plan.append((load_csv_statement(name, encoding, len(rows)), f"file:///bench-same-work/{file.name}"))
    started = time.monotonic()
    with driver.session(database=settings.database) as session:
        for query, url in plan:
            # CALL { } IN TRANSACTIONS needs an implicit (auto-commit) transaction.
            session.run(query, url=url).consume() if url else session.run(query).consume()
    seconds = time.monotonic() - started
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()
    return seconds


# ----------------------------------------------------------------------------- main
def compare(driver: Driver, settings: Settings, label: str, kind: str, path: Path) -> dict[str, Any]:
    reset(driver)
    loader, rss = run_loader(kind, path)
    loader_counts = graph_counts(driver)
    print(
        f"{label}: loader {loader['records']:,} records in {loader['seconds']:.1f} s, peak RSS {rss:.0f} MiB",
        flush=True,
    )
    reset(driver)
    sent = capture(driver, kind, path)
    reset(driver)
    seconds = run_load_csv(driver, settings, sent)
    csv_counts = graph_counts(driver)
    if csv_counts != loader_counts:
        diff = {
            k: (loader_counts.get(k), csv_counts.get(k))
            for k in sorted(set(loader_counts) | set(csv_counts))
            if loader_counts.get(k) != csv_counts.get(k)
        }
        raise SystemExit(f"{label}: the graphs differ (loader, LOAD CSV): {diff}")
    records = loader["records"]
    result = {
        "input": label,
        "records": records,
        "loader_s": loader["seconds"],
        "loader_rate": records / loader["seconds"],
        "loadcsv_s": seconds,
        "loadcsv_rate": records / seconds,
        "ratio": seconds / loader["seconds"],
        "rss_mib": rss,
        "nodes": sum(v for k, v in loader_counts.items() if k.startswith(":")),
        "relationships": sum(v for k, v in loader_counts.items() if k.startswith("[")),
        "statements": len(sent),
    }
    print(
        f"{label}: {records:,} records, {result['nodes']:,} nodes / {result['relationships']:,} relationships "
        f"(equal in both); loader {loader['seconds']:.1f} s = {result['loader_rate']:,.0f} records/s, "
        f"peak RSS {rss:.0f} MiB; same-work LOAD CSV {seconds:.1f} s = {result['loadcsv_rate']:,.0f} "
        f"records/s ({len(sent)} statements); loader / LOAD CSV = {result['ratio']:.2f}x",
        flush=True,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, nargs="*", default=[2000, 8000], help="sample sizes (accounts)")
    parser.add_argument(
        "--real", type=Path, help="an instagram-profilecrawl folder (the 2017 crawl's profiles/)"
    )
    parser.add_argument(
        "--samples", type=Path, default=Path("/tmp/influence-bench-samples"), help="sample cache"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per input")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], Path(args.child[1]))

    settings = Settings.from_env()
    if not settings.managed:
        raise SystemExit("LOAD CSV needs the managed server's import folder: unset NEO4J_URI")
    inputs = [(f"sample {n:,} users", "gallery-dl", sample_folder(args.samples, n)) for n in args.users]
    if args.real:
        inputs.append((f"real crawl {args.real.parent.name}", "profilecrawl", args.real))
    results = []
    with db.connect(settings) as driver:
        for label, kind, path in inputs:
            for _ in range(args.repeat):
                results.append(compare(driver, settings, label, kind, path))
    print()
    print(f"{'input':<44}{'records':>9}{'loader rec/s':>14}{'LOAD CSV rec/s':>16}{'ratio':>8}{'RSS MiB':>9}")
    for r in results:
        print(
            f"{r['input']:<44}{r['records']:>9,}{r['loader_rate']:>14,.0f}{r['loadcsv_rate']:>16,.0f}"
            f"{r['ratio']:>7.2f}x{r['rss_mib']:>9.0f}"
        )
    print("target: loader ≥ 1.0x same-work LOAD CSV on every input")
    return 0


if __name__ == "__main__":
    sys.exit(main())
