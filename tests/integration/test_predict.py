"""Scoring posts against a real Neo4j: drafts, graph posts, explanations, bad rows, the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from neo4j import Driver

import trainer_graph
from influence import db
from influence.cli import cli
from influence.models import graphread, pipeline, predict, store
from influence.models.criteria import load_criteria

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def setup(
    driver: Driver, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Driver, store.SavedModel, set[str], Path]:
    db.reset(driver)
    db.init_schema(driver)
    planted = trainer_graph.build(driver, tmp_path_factory.mktemp("graph"))
    out = tmp_path_factory.mktemp("model")
    pipeline.train_from_graph(driver, load_criteria(), out)
    return driver, store.load(out), planted, out


DRAFTS = [
    {
        "id": "d-boom",
        "author": "author003",
        "caption": "Big news today!! #boom #food",
        "hashtags": "boom food",
        "posted_at": "2024-03-05T18:00:00Z",
        "media": "",
    },
    {
        "id": "d-quiet",
        "author": "author003",
        "caption": "a quiet post about #food",
        "hashtags": "food",
        "posted_at": "2024-03-05T18:00:00Z",
        "media": "",
    },
]


def test_draft_like_the_planted_posts_scores_higher_and_is_explained(setup: tuple) -> None:
    driver, model, _, _ = setup
    result = predict.score_drafts(driver, model, DRAFTS)
    by_id = {p.id: p for p in result.predictions}
    assert by_id["d-boom"].viral_probability > by_id["d-quiet"].viral_probability + 0.3
    assert by_id["d-boom"].predicted > by_id["d-quiet"].predicted
    assert (
        by_id["d-boom"].basis == "known_author" and by_id["d-boom"].times_usual > by_id["d-quiet"].times_usual
    )
    assert result.predictions[0].id == "d-boom"  # ranked
    assert by_id["d-boom"].up and set(by_id["d-boom"].up_features) <= {
        *model.situations["known_author"].features,
        "emb_*",
    }
    assert by_id["d-quiet"].down
    assert result.notices == []


def test_graph_posts_planted_viral_score_above_the_rest(setup: tuple) -> None:
    driver, model, planted, _ = setup
    ids = [
        r["id"]
        for r in driver.execute_query("MATCH (p:Post) RETURN p.id AS id ORDER BY id LIMIT 300").records
    ]
    result = predict.score_post_ids(driver, model, ids)
    probs = {p.id: p.viral_probability for p in result.predictions}
    hot = [probs[i] for i in ids if i in planted]
    cold = [probs[i] for i in ids if i not in planted]
    assert len(hot) > 5 and np.median(hot) > np.percentile(cold, 90)


def test_bad_rows_get_their_own_error_and_the_rest_are_scored(setup: tuple, tmp_path: Path) -> None:
    driver, model, _, _ = setup
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"this is not a jpeg")
    rows = [
        DRAFTS[0],
        {
            "id": "no-caption",
            "author": "author001",
            "caption": "",
            "hashtags": "",
            "posted_at": "",
            "media": "",
        },
        {
            "id": "bad-media",
            "author": "author001",
            "caption": "hello",
            "hashtags": "",
            "posted_at": "",
            "media": str(broken),
        },
        {"id": "gone-media", "author": "author001", "caption": "hello", "media": str(tmp_path / "nope.png")},
        {"id": "bad-date", "author": "author001", "caption": "hello", "posted_at": "next tuesday"},
        {"id": "bad-count", "author": "newbie", "caption": "hello", "author_followers": "lots"},
        {"id": "bad-type", "author": "author001", "caption": 42},
        "not an object",
        {"id": "newcomer", "author": "brand_new", "caption": "first post!", "author_followers": "12k"},
        {"id": "no-author", "author": float("nan"), "caption": "hello"},
    ]
    result = predict.score_drafts(driver, model, rows)  # type: ignore[arg-type]
    by_id = {p.id: p for p in result.predictions}
    assert by_id["no-caption"].error is None and by_id["no-caption"].viral_probability is not None  # scored
    assert "not a readable image" in by_id["bad-media"].error
    assert "does not exist" in by_id["gone-media"].error
    assert "not a date" in by_id["bad-date"].error
    assert "not a count" in by_id["bad-count"].error
    assert "caption must be text" in by_id["bad-type"].error
    assert by_id["row 8"].error
    assert "author is missing" in by_id["no-author"].error  # never "author nan"
    for good in ("d-boom", "newcomer"):
        assert by_id[good].error is None and 0.0 <= by_id[good].viral_probability <= 1.0
    assert by_id["d-boom"].basis == "known_author" and by_id["newcomer"].basis == "new_author"
    assert by_id["newcomer"].times_usual is None  # no usual to compare with
    assert any("brand_new" in n and "author_followers" in n for n in result.notices)
    assert [p.error is None for p in result.predictions] == sorted(
        [p.error is None for p in result.predictions], reverse=True
    )  # errors listed last


def test_an_author_with_an_undated_post_does_not_break_the_batch(setup: tuple) -> None:
    # the crawl has undated posts; in Cypher 5 `null IS :: ZONED DATETIME` is true, and the
    # author's history lists came back of different lengths ("Length of values … does not match")
    driver, model, _, _ = setup
    driver.execute_query(
        "MATCH (u:User {id: 'author003'}) MERGE (p:Post {id: 'undated-1'}) "
        "SET p.caption = 'no date', p.likes = 5 MERGE (u)-[:POSTED]->(p)"
    )
    try:
        history = graphread.read_author_history(driver, ["author003", "author001"])
        assert "undated-1" not in set(history["post"]) and history["postedAt"].notna().all()
        result = predict.score_drafts(driver, model, DRAFTS)
        assert [p.error for p in result.predictions] == [None, None]
        ids = [
            r["id"]
            for r in driver.execute_query(
                "MATCH (:User {id: 'author003'})-[:POSTED]->(p:Post) RETURN p.id AS id"
            ).records
        ]
        scored = predict.score_post_ids(driver, model, ids)
        assert len(scored.predictions) == len(ids)
        assert all(p.error is None for p in scored.predictions if p.id != "undated-1")
    finally:
        driver.execute_query("MATCH (p:Post {id: 'undated-1'}) DETACH DELETE p")


def test_unknown_post_id_is_an_error_row(setup: tuple) -> None:
    driver, model, planted, _ = setup
    result = predict.score_post_ids(driver, model, ["nope", sorted(planted)[0]])
    by_id = {p.id: p for p in result.predictions}
    assert "no post with id" in by_id["nope"].error
    assert by_id[sorted(planted)[0]].viral_probability is not None


def test_cli_train_and_predict(setup: tuple, cli_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "m"
    runner = CliRunner()
    res = runner.invoke(cli, ["-q", "train", "--out", str(out), "--format", "json"], env=cli_env)
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    known = [r for r in rows if r["situation"] == "known_author" and r["split"] == "time"]
    assert [r["method"] for r in known] == ["model", "followers", "author_median", "chance"]
    assert known[0]["roc_auc"] > known[1]["roc_auc"]
    assert {r["situation"] for r in rows} == {"known_author", "new_author", "own_drafts"}
    assert {r["split"] for r in rows} == {"time", "author"}
    drafts = tmp_path / "drafts.csv"
    with drafts.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(DRAFTS[0]))
        w.writeheader()
        w.writerows(DRAFTS)
    res = runner.invoke(cli, ["predict", str(drafts), "--model", str(out), "--format", "csv"], env=cli_env)
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0] == ",".join(predict.COLUMNS)
    assert lines[1].startswith("d-boom,known_author,")
    assert "e+" not in res.stdout and float(lines[1].split(",")[2]) > 0  # plain numbers in CSV
    policy = tmp_path / "policy.toml"
    policy.write_text('blocked_hashtags = ["boom"]\n', encoding="utf-8")
    res = runner.invoke(
        cli, ["predict", str(drafts), "--model", str(out), "--policy", str(policy)], env=cli_env
    )
    assert res.exit_code == 0, res.output
    assert (
        "blocked hashtag #boom" in res.stdout and "blocked_hashtag:boom" not in res.stdout
    )  # words in the table
    res = runner.invoke(
        cli,
        ["predict", str(drafts), "--model", str(out), "--policy", str(policy), "--format", "csv"],
        env=cli_env,
    )
    assert "blocked_hashtag:boom" in res.stdout  # the code in CSV
    res = runner.invoke(cli, ["predict", "--model", str(tmp_path / "none")], env=cli_env)
    assert res.exit_code != 0


def test_unsafe_posts_are_flagged_whatever_their_score_and_safe_only_drops_them(
    setup: tuple, tmp_path: Path
) -> None:
    driver, model, _, _ = setup
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text('blocked_hashtags = ["boom"]\n', encoding="utf-8")
    policy = predict.load_policy(policy_file)
    result = predict.score_drafts(driver, model, DRAFTS, policy=policy)
    top = result.predictions[0]
    assert top.id == "d-boom" and top.safe is False and "blocked_hashtag:boom" in top.flags
    assert top.viral_probability > 0.5  # it would spread, and it is still flagged
    assert result.predictions[1].safe is True and result.predictions[1].flags == []
    only = predict.score_drafts(driver, model, DRAFTS, policy=policy, safe_only=True)
    assert [p.id for p in only.predictions] == ["d-quiet"]


def test_every_author_id_the_loaders_create_is_accepted() -> None:
    def author(value: object) -> str:
        return predict.validate_draft({"id": "x", "author": value, "caption": "hello"}, 1)["author"]

    assert (
        author("reddit:r/HonkaiStarRail") == "reddit:r/HonkaiStarRail"
    )  # csv observations (Reddit), kept as is
    assert author("@Some.User") == "some.user"  # gallery-dl / instaloader / profilecrawl / CSV usernames
    assert author("43597949") == author(43597949) == "43597949"  # numeric ids (follow graphs, JSON numbers)
    assert (
        author("Rep. John Smith") == "rep. john smith"
    )  # a GML / GraphML node label, as `load follows` keys it
    assert author("id:17841400000000000") == "id:17841400000000000"  # platform-prefixed ids
    for blank in ("", "   ", None, float("nan")):
        with pytest.raises(ValueError, match="author is missing"):
            author(blank)
    with pytest.raises(ValueError, match="username or an account id"):
        author(True)


def test_blank_and_foreign_authors_in_a_file_are_rows_not_a_failed_file(
    setup: tuple, cli_env: dict[str, str], tmp_path: Path
) -> None:
    _, _, _, out = setup
    drafts = tmp_path / "drafts.csv"
    drafts.write_text(
        "id,author,caption,hashtags\n"
        "a,author003,Big news today!! #boom,boom\n"
        "b,,no author here,\n"
        "c,reddit:r/pics,a picture,\n"
        "d,43597949,numbers,\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(
        cli, ["predict", str(drafts), "--model", str(out), "--format", "json"], env=cli_env
    )
    assert res.exit_code == 0, res.output
    rows = {r["id"]: r for r in json.loads(res.stdout)}
    assert "author is missing" in rows["b"]["error"] and rows["b"]["viral_probability"] is None
    for scored in ("a", "c", "d"):
        assert rows[scored]["error"] is None and 0 <= rows[scored]["viral_probability"] <= 1, rows[scored]
    assert "'reddit:r/pics' is not in the graph" in res.stderr and "author nan" not in res.stderr
