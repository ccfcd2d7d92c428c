"""The real-data acceptance suite (`make real`): the whole pipeline on ``../shared/data``.

A feature is accepted when it holds on real data, not on the generated sample. These tests run
the CLI exactly as a user would — load, analyze, train, predict, report — against a managed
Neo4j + GDS server of their own (home ``.influence-real/`` or ``INFLUENCE_REAL_HOME``; ports
17787 / 17574 unless ``INFLUENCE_REAL_BOLT_PORT`` / ``INFLUENCE_REAL_HTTP_PORT`` say otherwise),
and assert the answers a marketer reads.

Data sets (one graph at a time; :func:`real_graph` empties the database and loads the one asked
for only when another is loaded, so keep each test module on one data set):

* ``crawl`` — instagram-profilecrawl 2017 (observed 2017-04-26T23:00Z) and its May re-crawl
  (2017-05-01T07:00Z), analysed (``influence analyze``);
* ``reddit`` — the r/all hourly top-100 observations;
* ``congress`` — the US Congress Twitter follow graph with party, analysed;
* ``womenwhoclimb`` — the #womenwhoclimb liker graph (via ``scripts/womenwhoclimb_csv.py``), analysed.

``crawl_model`` trains once per session on the crawl (``influence train``) and keeps the
model folder and what ``train`` printed. Without ``../shared/data`` the suite skips outside CI
and fails in CI (``CI=true``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from neo4j import Driver

from influence import db
from influence.cli import cli
from influence.config import Settings
from influence.server import ManagedServer
from servers import cli_environment, running_server, session_driver

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
CRAWL = DATA / "instagram-profilecrawl-2017" / "profiles"
RECRAWL = DATA / "instagram-profilecrawl-2017-05-recrawl" / "profiles"
CRAWL_AT = "2017-04-26T23:00:00Z"  # SOURCE.txt: just before the first crawl's commit
RECRAWL_AT = "2017-05-01T07:00:00Z"

pytestmark = pytest.mark.real


def _settings() -> Settings:
    env = os.environ
    return Settings(
        home=Path(env.get("INFLUENCE_REAL_HOME") or REPO / ".influence-real"),
        bolt_port=int(env.get("INFLUENCE_REAL_BOLT_PORT") or 17787),
        http_port=int(env.get("INFLUENCE_REAL_HTTP_PORT") or 17574),
        heap=env.get("INFLUENCE_REAL_HEAP") or "3g",
        pagecache=env.get("INFLUENCE_REAL_PAGECACHE") or "1g",
    )


@pytest.fixture(scope="session")
def real_data() -> Path:
    """``../shared/data``; skip if absent, fail in CI."""
    if not DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DATA} is missing; in CI the real data must be present")
        pytest.skip(f"{DATA} is absent (a clone without ../shared); skipped outside CI")
    return DATA


@pytest.fixture(scope="session")
def real_settings() -> Settings:
    return _settings()


@pytest.fixture(scope="session")
def real_server(real_settings: Settings, real_data: Path) -> Iterator[ManagedServer]:
    """The suite's own managed server; an unreachable server is a failure, never a skip."""
    yield from running_server(real_settings)


@pytest.fixture(scope="session")
def real_driver(real_server: ManagedServer, real_settings: Settings) -> Iterator[Driver]:
    yield from session_driver(real_settings)


@pytest.fixture(scope="session")
def real_env(real_settings: Settings, real_server: ManagedServer) -> dict[str, str]:
    """Environment for CLI runs against the suite's server."""
    return cli_environment(real_settings)


@dataclass
class Cli:
    """Runs ``influence …`` in-process against the suite's server."""

    env: dict[str, str]

    def __call__(self, *args: str, ok: bool = True, quiet: bool = True) -> Result:
        """``ok``: assert exit 0; ``quiet``: pass ``-q`` (no progress on stderr)."""
        result = CliRunner().invoke(
            cli, ["-q", *args] if quiet else list(args), env=self.env, catch_exceptions=False
        )
        if ok:
            assert result.exit_code == 0, f"influence {' '.join(args)} failed:\n{result.output}"
        return result

    def json(self, *args: str) -> Any:
        """The command's ``--format json`` output, parsed."""
        return json.loads(self(*args, "--format", "json").stdout)


@pytest.fixture(scope="session")
def run(real_env: dict[str, str]) -> Cli:
    return Cli(real_env)


def _load_crawl(run: Cli, tmp: Path) -> None:
    run("load", "profilecrawl", str(CRAWL), "--observed-at", CRAWL_AT, "--rejects", str(tmp / "crawl.jsonl"))
    run(
        "load",
        "profilecrawl",
        str(RECRAWL),
        "--observed-at",
        RECRAWL_AT,
        "--rejects",
        str(tmp / "recrawl.jsonl"),
    )
    run("analyze")


def _load_reddit(run: Cli, tmp: Path) -> None:
    run(
        "load",
        "csv",
        str(DATA / "engagement-timeseries"),
        "--kind",
        "observations",
        "--rejects",
        str(tmp / "reddit.jsonl"),
    )


def _load_congress(run: Cli, tmp: Path) -> None:
    folder = DATA / "follow-graphs"
    run(
        "load",
        "follows",
        str(folder / "congress-twitter-network-edges.csv"),
        "--nodes",
        str(folder / "congress-twitter-network-nodes.csv"),
        "--rejects",
        str(tmp / "congress.jsonl"),
    )
    run("analyze")


def _load_womenwhoclimb(run: Cli, tmp: Path) -> None:
    out = tmp / "wwc"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "womenwhoclimb_csv.py"),
            str(DATA / "instagram-womenwhoclimb"),
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    run("load", "csv", str(out / "accounts.csv"), "--kind", "accounts")
    run(
        "load",
        "csv",
        str(out / "posts.csv"),
        "--kind",
        "posts",
        "--observed-at",
        "2017-10-31",
        "--accept-missing",
    )
    run("load", "csv", str(out / "likes.csv"), "--kind", "likes")
    run("analyze")


LOADERS: dict[str, Callable[[Cli, Path], None]] = {
    "crawl": _load_crawl,
    "reddit": _load_reddit,
    "congress": _load_congress,
    "womenwhoclimb": _load_womenwhoclimb,
}


@pytest.fixture(scope="session")
def real_graph(
    real_driver: Driver, run: Cli, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Driver]:
    """``real_graph(name)`` makes the database hold data set ``name`` (loading it only when
    another one is loaded) and returns the driver."""
    state: dict[str, str | None] = {"loaded": None}
    tmp = tmp_path_factory.mktemp("real-loads")

    def ensure(name: str) -> Driver:
        if state["loaded"] != name:
            db.reset(real_driver)
            db.init_schema(real_driver)
            state["loaded"] = None
            LOADERS[name](run, tmp)
            state["loaded"] = name
        return real_driver

    return ensure


@dataclass
class TrainedModel:
    path: Path
    output: str  # what `influence train` printed (stdout and stderr)
    meta: dict[str, Any]  # model.json


@pytest.fixture(scope="session")
def crawl_model(
    real_graph: Callable[[str], Driver], run: Cli, tmp_path_factory: pytest.TempPathFactory
) -> TrainedModel:
    """The predictor trained on the crawl + re-crawl with the default criteria."""
    real_graph("crawl")
    out = tmp_path_factory.mktemp("crawl-model") / "model"
    result = run("train", "--out", str(out))
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    return TrainedModel(out, result.output, meta)
