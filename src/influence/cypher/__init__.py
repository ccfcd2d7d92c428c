"""Cypher statements shipped with the package, one statement per ``.cypher`` file.

Load them by name: ``cypher.load("merge_posts")`` reads ``merge_posts.cypher``;
``cypher.load("schema/constraint_user_id")`` reads a file in a sub-folder. Each file starts
with ``//`` comment lines naming its parameters; the comments are kept (Neo4j ignores them).
"""

from __future__ import annotations

import functools
import importlib.resources
from importlib.resources.abc import Traversable

from influence.errors import InfluenceError


@functools.cache
def load(name: str) -> str:
    """The text of ``<name>.cypher`` from this package (cached)."""
    node: Traversable = importlib.resources.files(__package__)
    for part in f"{name}.cypher".split("/"):
        node = node.joinpath(part)
    if not node.is_file():
        raise InfluenceError(f"no Cypher file {name}.cypher in the influence package — reinstall it")
    return node.read_text(encoding="utf-8")


def names(folder: str = "") -> list[str]:
    """Names (without ``.cypher``) of the statements in ``folder``, sorted."""
    node: Traversable = importlib.resources.files(__package__)
    prefix = ""
    for part in folder.split("/") if folder else []:
        node = node.joinpath(part)
        prefix += part + "/"
    return sorted(prefix + f.name[: -len(".cypher")] for f in node.iterdir() if f.name.endswith(".cypher"))
