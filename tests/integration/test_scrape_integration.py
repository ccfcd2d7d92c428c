"""`influence scrape instagram`: the gallery-dl command lines, the run, and the load.

There is no network here, so a stand-in `gallery-dl` (tests/fixtures/fake_gallery_dl) that
checks its options and writes what the real tool writes is put first on PATH.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence.cli import cli

# --------------------------------------------------------------------------- command lines


# --------------------------------------------------------------------------- accounts


# --------------------------------------------------------------------------- running the stand-in


# --------------------------------------------------------------------------- into the graph


@pytest.mark.integration
def test_cli_scrape_loads_posts_follows_and_observations(
    fake_gallery_dl: Path, tmp_path: Path, cookies: Path, cli_env: dict[str, str], clean_db: Driver
) -> None:
    env = {**cli_env, "PATH": os.environ["PATH"], "FAKE_GALLERY_DL_LOG": str(fake_gallery_dl)}
    args = [
        "scrape",
        "instagram",
        "alice",
        "bob",
        "--out",
        str(tmp_path / "out"),
        "--cookies",
        str(cookies),
        "--sleep",
        "0",
        "--followers",
        "2",
        "--rejects",
        str(tmp_path / "rejects.jsonl"),
        "--format",
        "json",
    ]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    rows = {r["item"]: r["value"] for r in json.loads(result.stdout)}
    assert rows["posts written"] == 6 and rows["rejected"] == 0
    records, _, _ = clean_db.execute_query(
        "MATCH (u:User)-[:POSTED]->(p:Post) RETURN u.id AS user, count(p) AS posts, "
        "sum(COUNT { (p)-[:HAS_OBSERVATION]->() }) AS observations ORDER BY user"
    )
    assert [(r["user"], r["posts"], r["observations"]) for r in records] == [("alice", 3, 3), ("bob", 3, 3)]
    follows, _, _ = clean_db.execute_query(
        "MATCH (a:User)-[:FOLLOWS]->(b:User) RETURN b.id AS followed, count(a) AS n ORDER BY followed"
    )
    assert [(r["followed"], r["n"]) for r in follows] == [("alice", 2), ("bob", 2)]
    # a second run is a new dated folder: one more observation per post, no duplicate posts
    time.sleep(1.1)  # folder names have one-second resolution
    again = CliRunner().invoke(cli, args, env=env)
    assert again.exit_code == 0, again.output
    counts, _, _ = clean_db.execute_query(
        "MATCH (p:Post) RETURN count(p) AS posts, sum(COUNT { (p)-[:HAS_OBSERVATION]->() }) AS obs"
    )
    assert (counts[0]["posts"], counts[0]["obs"]) == (6, 12)
    assert len(list((tmp_path / "out").iterdir())) == 2
