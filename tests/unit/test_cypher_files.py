"""Every shipped Cypher file loads by its name, has a header comment, is used somewhere, and the
built wheel contains them; every statement name the code asks for exists."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from influence import cypher

ROOT = Path(cypher.__file__).parent
REPO = ROOT.parents[2]
FILES = sorted(str(p.relative_to(ROOT))[: -len(".cypher")] for p in ROOT.rglob("*.cypher"))
NAMES = sorted(p.rsplit("/", 1)[-1] for p in FILES)
#: Folders whose every statement is read by listing the folder (``cypher.names(folder)``).
LISTED = {"schema": "influence/db.py", "browser": "influence/analytics/browser.py"}
#: Where the code that names statements lives (the library and the benchmarks).
SOURCES = [REPO / "src" / "influence", REPO / "benchmarks"]
#: The first words that several statements' names share (``analyze_``, ``merge_``, …): a literal
#: starting with one of them names a statement (dictionary keys and subscripts aside).
PREFIXES = sorted(
    p for p, n in Counter(n.split("_", 1)[0] for n in NAMES if not n[0].isdigit()).items() if n > 1
)
STATEMENT_LIKE = re.compile(rf"(?:{'|'.join(PREFIXES)})_[a-z0-9_]+")
#: The head of an f-string that builds a statement's name from pieces (``f"analyze_{x}"``).
BUILT = re.compile(rf"(?:{'|'.join(PREFIXES)})_[a-z0-9_]*")


def test_there_are_cypher_files_in_folders() -> None:
    assert "schema/01_constraint_user_id" in FILES
    assert not [f for f in FILES if "/" not in f], "every Cypher file belongs in an area folder"


def test_names_are_unique_across_folders() -> None:
    twice = {name: n for name, n in Counter(NAMES).items() if n > 1}
    assert not twice, (
        f"Cypher file names must be unique across folders (cypher.load finds them by name): {twice}"
    )
    assert sorted(cypher.paths().values()) == FILES


@pytest.mark.parametrize("path", FILES)
def test_every_cypher_file_loads_by_name_and_documents_itself(path: str) -> None:
    text = cypher.load(path.rsplit("/", 1)[-1])
    assert text == cypher.load(path)
    assert text.lstrip().startswith("//"), f"{path}.cypher must start with a header comment"
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))
    assert body.strip(), f"{path}.cypher has no statement"


def test_an_unknown_name_says_so() -> None:
    from influence.errors import InfluenceError

    with pytest.raises(InfluenceError, match="no Cypher file nope_missing.cypher"):
        cypher.load("nope_missing")


def _strings(tree: ast.AST) -> Iterator[ast.Constant | ast.JoinedStr]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    joined_parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    keys = {id(node.slice) for node in ast.walk(tree) if isinstance(node, ast.Subscript)}
    keys |= {id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys}
    skip = docstrings | joined_parts | keys
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        if is_text or isinstance(node, ast.JoinedStr):
            yield node


def _scan() -> tuple[dict[str, list[str]], list[str]]:
    """String literals of the source that are or look like statement names, and f-strings building one."""
    named: dict[str, list[str]] = {}
    built: list[str] = []
    for source in SOURCES:
        for py in sorted(source.rglob("*.py")):
            where = str(py.relative_to(REPO))
            for node in _strings(ast.parse(py.read_text(encoding="utf-8"))):
                if isinstance(node, ast.JoinedStr):
                    head = node.values[0] if node.values else None
                    if isinstance(head, ast.Constant) and BUILT.fullmatch(str(head.value)):
                        built.append(f"{where}:{node.lineno}")
                elif node.value in NAMES or STATEMENT_LIKE.fullmatch(str(node.value)):
                    named.setdefault(str(node.value), []).append(f"{where}:{node.lineno}")
    return named, built


def test_every_statement_the_code_names_exists_and_no_name_is_built() -> None:
    named, built = _scan()
    assert "merge_posts" in named and "analyze_read_posts" in named  # the scan sees the call sites
    missing = {name: where for name, where in named.items() if name not in NAMES}
    assert not missing, f"the code names Cypher files that do not exist: {missing}"
    assert not built, f"write statement names as whole literals so they can be checked: {built}"


def test_every_cypher_file_is_used() -> None:
    named, _ = _scan()
    for folder, reader in LISTED.items():
        assert f'cypher.names("{folder}")' in (REPO / "src" / reader).read_text(encoding="utf-8")
    unused = [f for f in FILES if f.split("/", 1)[0] not in LISTED and f.rsplit("/", 1)[-1] not in named]
    assert not unused, f"Cypher files no code loads (delete them or use them): {unused}"


def test_gds_procedures_come_only_from_the_allow_list() -> None:
    from influence.analytics.base import COMMUNITY_ALGORITHMS, INFLUENCE_ALGORITHMS
    from influence.analytics.projection import ALGORITHMS, PROCEDURE, statement
    from influence.errors import ConfigError

    assert set(INFLUENCE_ALGORITHMS) | set(COMMUNITY_ALGORITHMS) <= set(ALGORITHMS)
    for name, algorithm in ALGORITHMS.items():
        assert re.fullmatch(r"gds(\.[A-Za-z]+)+", algorithm.procedure)
        run, estimate = statement(name), statement(name, estimate=True)
        assert f"CALL {algorithm.procedure}($graph, $config)" in run and PROCEDURE not in run
        assert (
            f"CALL {algorithm.procedure}.estimate($graph, $config)" in estimate and PROCEDURE not in estimate
        )
    templates = {f.rsplit("/", 1)[-1] for f in FILES if PROCEDURE in cypher.load(f)}
    assert templates == {a.statement for a in ALGORITHMS.values()} | {"analyze_estimate"}
    with pytest.raises(ConfigError, match="unknown GDS algorithm"):
        statement("pagerank.write($graph, {}) YIELD x //")


def test_built_wheel_ships_every_cypher_file(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in FILES:
        assert f"influence/cypher/{path}.cypher" in names
    assert "influence/server/pom.xml" in names
    assert "influence/server/neo4j.conf.template" in names
    for data_file in (
        "influence/models/criteria_default.toml",
        "influence/safety/policy_default.toml",
        "influence/report/templates/report.html.j2",
    ):
        assert data_file in names, f"the wheel is missing {data_file}"
