"""`make demo`'s guard: the demo adds its generated sample only to a graph that is empty or
holds nothing but that sample, so a user's own data never gets the synthetic sample mixed in.

The demo runs its own managed server (its own home and ports, see the Makefile), so the guard
matters only when that server was pointed at other data. Run it as
``python -m influence.demo check SAMPLE_DIR`` (settings from the environment, as the CLI reads
them); it prints nothing and exits 0 when the demo may load, else prints ``Error: …`` saying
how to proceed and exits 1.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver

from influence import cypher, db
from influence.config import Settings
from influence.errors import InfluenceError


class NotTheSampleError(InfluenceError):
    """The demo's graph holds data that is not the demo's sample."""


@dataclass(frozen=True)
class GraphContents:
    """How many nodes the graph has and the folders (or ids) of its scrapes."""

    nodes: int
    scrapes: tuple[str, ...]


def graph_contents(driver: Driver, database: str | None = None) -> GraphContents:
    """Read the node count and every ``Scrape.path`` (``Scrape.id`` where no path was kept)."""
    (row,) = db.read(driver, cypher.load("demo_graph_contents"), database=database)
    return GraphContents(nodes=int(row["nodes"]), scrapes=tuple(str(s) for s in row["scrapes"]))


def foreign_scrapes(contents: GraphContents, sample_dir: Path) -> list[str]:
    """The scrapes that did not come from ``sample_dir``; all of them when the graph has nodes
    but no scrape at all (data of unknown origin). An empty graph has none."""
    if contents.nodes == 0:
        return []
    if not contents.scrapes:
        return ["(nodes without any Scrape: data of unknown origin)"]
    root = sample_dir.resolve()
    return [
        s for s in contents.scrapes if not Path(s).is_absolute() or not Path(s).resolve().is_relative_to(root)
    ]


def check_graph(driver: Driver, sample_dir: Path, where: str, database: str | None = None) -> GraphContents:
    """Raise :class:`NotTheSampleError` unless the graph is empty or holds only the sample in
    ``sample_dir``. ``where`` names the server in the message (its Bolt URI and home)."""
    contents = graph_contents(driver, database)
    foreign = foreign_scrapes(contents, sample_dir)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3:,} more" if len(foreign) > 3 else "")
        raise NotTheSampleError(
            f"the demo's Neo4j ({where}) holds {contents.nodes:,} nodes, not only the demo sample "
            f"(scrapes: {shown}); the demo never mixes its sample into other data. Run it with a server of "
            "its own: `make demo DEMO_HOME=<an empty folder>` (and DEMO_BOLT_PORT / DEMO_HTTP_PORT if those "
            "ports are taken), or, if that data is expendable, empty the server with `influence db reset --yes` "
            "under the same INFLUENCE_HOME and ports"
        )
    return contents


def main(argv: list[str] | None = None) -> int:
    """``python -m influence.demo check SAMPLE_DIR``: 0 when the demo may load, 1 (and a message) if not."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "check":
        print("usage: python -m influence.demo check SAMPLE_DIR", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    where = settings.effective_uri + (f", home {settings.server_home}" if settings.managed else "")
    try:
        with db.connect(settings) as driver:
            check_graph(driver, Path(args[1]), where, settings.database)
    except InfluenceError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
