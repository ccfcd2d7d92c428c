"""`load csv --kind likes|comments`: parsing, the graph they write, and the real #womenwhoclimb
liker graph loaded as the README shows, checked against counts computed from its raw JSON."""

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
from influence.loaders import csv_input
from influence.loaders.records import CommentRecord, LikeRecord, Reject

ROOT = Path(__file__).parents[1]


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def count(driver: Driver, query: str, **params: Any) -> int:
    return int(db.read(driver, query, params)[0][0])


def test_parse_likes_and_comments(tmp_path: Path) -> None:
    likes = tmp_path / "likes.csv"
    likes.write_text(
        "liker,post_url\n@Ann,https://www.instagram.com/p/ABC123/\n12345,XYZ\n,ABC123\n", encoding="utf-8"
    )
    records = list(csv_input.parse(likes, "likes"))
    assert [r for r in records if isinstance(r, LikeRecord)] == [
        LikeRecord("ann", "ABC123"),
        LikeRecord("12345", "XYZ"),
    ]
    rejects = [r for r in records if isinstance(r, Reject)]
    assert (
        len(rejects) == 1 and rejects[0].reason == "like without a user" and rejects[0].position == "line 4"
    )

    comments = tmp_path / "comments.csv"
    comments.write_text(
        "username,shortcode,comment,timestamp\nann,ABC123,Nice one!,2024-05-01T10:00:00Z\nbob,ABC123,,\n",
        encoding="utf-8",
    )
    got = [r for r in csv_input.parse(comments, "comments") if isinstance(r, CommentRecord)]
    assert got[0].user == "ann" and got[0].post == "ABC123" and got[0].text == "Nice one!"
    assert got[0].at is not None and got[0].at.isoformat() == "2024-05-01T10:00:00+00:00"
    assert got[1].text is None and got[1].at is None


def test_a_likes_file_without_a_post_column_is_one_reject(tmp_path: Path) -> None:
    bad = tmp_path / "likes.csv"
    bad.write_text("user,when\nann,today\n", encoding="utf-8")
    rejects = [r for r in csv_input.parse(bad, "likes") if isinstance(r, Reject)]
    assert len(rejects) == 1 and "--map <column>=post" in rejects[0].reason


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
