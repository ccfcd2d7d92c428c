"""Cypher statements shipped with the package, one statement per ``.cypher`` file.

The files sit in one folder per area that reads them (``ingest/``, ``analytics/``, ``audience/``,
``models/``, ``report/``, ``safety/``, ``viz/``, ``schema/``, ``browser/``); every
file's name is unique across the folders, so a statement is loaded by its name alone:
``cypher.load("merge_posts")`` reads ``ingest/merge_posts.cypher`` wherever it lives.
``cypher.load("schema/01_constraint_user_id")`` (folder and name) works too. Each file starts
with ``//`` comment lines naming its parameters; the comments are kept (Neo4j ignores them).
"""

from __future__ import annotations

import functools
import importlib.resources
from importlib.resources.abc import Traversable

from influence.errors import InfluenceError

SUFFIX = ".cypher"


def _walk(node: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for child in node.iterdir():
        if child.is_dir():
            found.extend(_walk(child, f"{prefix}{child.name}/"))
        elif child.name.endswith(SUFFIX):
            found.append((prefix + child.name[: -len(SUFFIX)], child))
    return found


@functools.cache
def paths() -> dict[str, str]:
    """Every shipped statement: name → ``folder/name`` (resolved once, then cached).

    Raises :class:`InfluenceError` when two folders hold a file of the same name (the package
    is broken: a bare name would be ambiguous).
    """
    index: dict[str, str] = {}
    for path, _ in _walk(importlib.resources.files(__package__), ""):
        name = path.rsplit("/", 1)[-1]
        if name in index:
            raise InfluenceError(
                f"two Cypher files are named {name}.cypher ({index[name]}, {path}) — rename one"
            )
        index[name] = path
    return dict(sorted(index.items()))


@functools.cache
def load(name: str) -> str:
    """The text of the statement ``name`` (``merge_posts`` or ``folder/name``), cached.

    Raises :class:`InfluenceError` when no shipped file has that name.
    """
    path = name if "/" in name else paths().get(name, name)
    node: Traversable = importlib.resources.files(__package__)
    for part in f"{path}{SUFFIX}".split("/"):
        node = node.joinpath(part)
    if not node.is_file():
        raise InfluenceError(f"no Cypher file {name}.cypher in the influence package — reinstall it")
    return node.read_text(encoding="utf-8")


def names(folder: str = "") -> list[str]:
    """``folder/name`` of the statements directly in ``folder``, sorted (every one: :func:`paths`)."""
    prefix = f"{folder.strip('/')}/" if folder else ""
    return sorted(p for p in paths().values() if p.startswith(prefix) and "/" not in p[len(prefix) :])
