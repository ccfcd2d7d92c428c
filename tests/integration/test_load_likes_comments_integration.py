"""`load csv --kind likes|comments`: parsing, the graph they write, and the real #womenwhoclimb
liker graph loaded as docs/inputs.md shows, checked against counts computed from its raw JSON."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from neo4j import Driver

from influence import db
from influence.cli import cli

ROOT = Path(__file__).parents[2]


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def count(driver: Driver, query: str, **params: Any) -> int:
    return int(db.read(driver, query, params)[0][0])


@pytest.mark.integration
def test_load_likes_and_comments_write_liked_and_commented(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    likes = tmp_path / "likes.csv"
    likes.write_text("user,post\nann,P1\nbob,P1\nann,P1\nann,P2\n", encoding="utf-8")
    result = run(
        cli_env, "load", "csv", str(likes), "--kind", "likes", "--rejects", str(tmp_path / "r.jsonl")
    )
    assert result.exit_code == 0, result.output
    assert count(clean_db, "MATCH (:User)-[l:LIKED]->(:Post) RETURN count(l)") == 3
    assert "likes " in result.stdout
    comments = tmp_path / "comments.csv"
    comments.write_text(
        "user,post,text,at\nann,P1,great,2024-05-01T10:00Z\nann,P1,great,2024-05-01T10:00Z\n"
        "ann,P1,again,2024-05-01T11:00Z\ncid,P2,hello,\n",
        encoding="utf-8",
    )
    for _ in range(2):  # idempotent
        result = run(
            cli_env,
            "load",
            "csv",
            str(comments),
            "--kind",
            "comments",
            "--rejects",
            str(tmp_path / "r.jsonl"),
        )
        assert result.exit_code == 0, result.output
    assert count(clean_db, "MATCH (:User)-[c:COMMENTED]->(:Post) RETURN count(c)") == 3
    assert (
        count(
            clean_db,
            "MATCH (:User {id: 'ann'})-[c:COMMENTED {text: 'again'}]->(:Post {id: 'P1'}) RETURN count(c)",
        )
        == 1
    )
    at = db.read(clean_db, "MATCH ()-[c:COMMENTED {text: 'great'}]->() RETURN toString(c.at) AS at")[0]["at"]
    assert at.startswith("2024-05-01T10:00")


@pytest.mark.integration
def test_womenwhoclimb_liker_graph_loads_as_the_readme_shows(
    clean_db: Driver, cli_env: dict[str, str], shared_data: Path, tmp_path: Path
) -> None:
    data = shared_data / "instagram-womenwhoclimb"
    # independent counts from the raw JSON
    posts_raw = json.loads((data / "hashtags_likes_dict.json").read_text(encoding="utf-8"))
    interactions = json.loads((data / "interaction_dict.json").read_text(encoding="utf-8"))
    pairs = {(liker, e["post"]) for e in interactions.values() for liker in e.get("likes", [])}
    likers = {u for u, _ in pairs}
    post_ids = {p for e in posts_raw.values() for p in e["posts"]}
    posters = set(posts_raw)

    spec = importlib.util.spec_from_file_location("wwc", ROOT / "scripts" / "womenwhoclimb_csv.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.convert(data, tmp_path / "wwc")
    outputs = {}
    for kind, extra in (
        ("accounts", []),
        ("posts", ["--observed-at", "2017-10-31", "--accept-missing"]),
        ("likes", []),
    ):
        result = run(
            cli_env,
            "load",
            "csv",
            str(tmp_path / "wwc" / f"{kind}.csv"),
            "--kind",
            kind,
            *extra,
            "--rejects",
            str(tmp_path / "r.jsonl"),
        )
        assert result.exit_code == 0, result.output
        outputs[kind] = result.stdout
    assert not (tmp_path / "r.jsonl").exists()
    assert count(clean_db, "MATCH ()-[l:LIKED]->() RETURN count(l)") == len(pairs) == 113_517
    assert count(clean_db, "MATCH (u:User)-[:LIKED]->() RETURN count(DISTINCT u)") == len(likers)
    assert count(clean_db, "MATCH (p:Post) RETURN count(p)") == len(post_ids) == 4_999
    assert count(clean_db, "MATCH (u:User)-[:POSTED]->() RETURN count(DISTINCT u)") == len(posters) == 1_774
    assert count(
        clean_db, "MATCH (u:User)-[:POSTED]->() WHERE (u)-[:LIKED]->() RETURN count(DISTINCT u)"
    ) == len(likers & posters)
    # the summary of the likes load says the same: every like new, accounts created = likers not yet known
    likes_row = next(line.split() for line in outputs["likes"].splitlines() if line.startswith("likes "))
    assert [int(c.replace(",", "")) for c in likes_row[1:6]] == [len(pairs), len(pairs), 0, 0, len(pairs)]
    accounts_row = next(
        line.split() for line in outputs["likes"].splitlines() if line.startswith("accounts ")
    )
    assert int(accounts_row[5].replace(",", "")) == len(likers - posters - _mentioned(clean_db))
    # each influencer's top post has its likers
    some = next(e for e in interactions.values() if e.get("likes"))
    assert count(
        clean_db, "MATCH (:User)-[:LIKED]->(p:Post {id: $p}) RETURN count(*)", p=some["post"]
    ) == len(set(some["likes"]))


def _mentioned(driver: Driver) -> set[str]:
    return {
        r["id"] for r in db.read(driver, "MATCH (:Post)-[:MENTIONS]->(u:User) RETURN DISTINCT u.id AS id")
    }
