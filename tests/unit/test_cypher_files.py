"""Every shipped Cypher file loads, has a header comment, and the built wheel contains them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from influence import cypher

ROOT = Path(cypher.__file__).parent
ALL = sorted(str(p.relative_to(ROOT))[: -len(".cypher")] for p in ROOT.rglob("*.cypher"))


def test_there_are_cypher_files() -> None:
    assert "schema/01_constraint_user_id" in ALL


@pytest.mark.parametrize("name", ALL)
def test_every_cypher_file_loads_and_documents_itself(name: str) -> None:
    text = cypher.load(name)
    assert text.lstrip().startswith("//"), f"{name}.cypher must start with a header comment"
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))
    assert body.strip(), f"{name}.cypher has no statement"


def test_built_wheel_ships_every_cypher_file(tmp_path: Path) -> None:
    repo = ROOT.parents[2]
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(repo)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ALL:
        assert f"influence/cypher/{name}.cypher" in names
    assert "influence/server/pom.xml" in names
    assert "influence/server/neo4j.conf.template" in names
    for data_file in (
        "influence/models/criteria_default.toml",
        "influence/safety/policy_default.toml",
        "influence/report/templates/report.html.j2",
    ):
        assert data_file in names, f"the wheel is missing {data_file}"
