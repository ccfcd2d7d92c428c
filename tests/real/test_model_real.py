"""The virality predictor on the real crawl: plain verdicts that match the evaluation,
calibrated probabilities, one account's drafts told apart, and the two faults of issue 17
(an author with an undated post broke a whole batch; drafts without a caption were refused)."""

from __future__ import annotations

import csv
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from influence import db
from influence.models import train

SITUATIONS = ("known_author", "new_author", "own_drafts")


def _drafts_file(tmp: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp / "drafts.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", "author", "caption", "hashtags", "posted_at"])
        w.writeheader()
        w.writerows(rows)
    return path


def _undated_author(driver: Driver) -> str:
    rows = db.read(
        driver,
        "MATCH (u:User)-[:POSTED]->(p:Post) WHERE p.postedAt IS NULL "
        "AND COUNT { (u)-[:POSTED]->(:Post) } >= 5 RETURN u.id ORDER BY u.id LIMIT 1",
    )
    assert rows, "the crawl has authors with an undated post (the shape that broke predict)"
    return str(rows[0][0])


def test_train_prints_one_plain_verdict_per_situation(crawl_model: Any) -> None:
    verdicts = crawl_model.meta["verdicts"]
    assert set(verdicts) == set(SITUATIONS)
    for name in SITUATIONS:
        sentence = verdicts[name]["sentence"]
        assert sentence and sentence in crawl_model.output  # the same words in train's output
    assert "Brier" in crawl_model.output and "reliability" in crawl_model.output
    card = (crawl_model.path / "model_card.md").read_text(encoding="utf-8")
    assert all(verdicts[n]["sentence"] in card for n in SITUATIONS)
    assert "<details>" in card  # the metric tables behind a fold


def test_verdicts_match_the_author_split_evaluation(crawl_model: Any) -> None:
    evaluation = crawl_model.meta["evaluation"]
    for name, v in crawl_model.meta["verdicts"].items():
        model = evaluation[name]["author"]["model"]
        key = {"predicted": "spearman", "viral_probability": "spearman_probability"}.get(v["by"], "pairwise")
        assert v["figure"] == pytest.approx(model[key]), name
        lo, hi = v["ci"]
        assert lo <= v["figure"] <= hi, name
        assert v["beats_baseline"] == (v["difference_ci"][0] > 0), name
        if name != "own_drafts":
            baseline = evaluation[name]["author"][v["baseline"]]
            assert v["baseline_figure"] == pytest.approx(baseline["spearman"]), name
        assert (v["rank_by"] == v["baseline"] or v["rank_by"] == "none") != v["beats_baseline"], name


def test_probabilities_are_no_worse_than_the_base_rate(crawl_model: Any) -> None:
    for name in SITUATIONS:
        c = crawl_model.meta["calibration"][name]
        assert c["brier"] <= c["brier_base_rate"], name
        assert len(c["bins"]) >= 5 and sum(b["count"] for b in c["bins"]) == c["n"]


def test_own_drafts_are_ranked_for_real(crawl_model: Any) -> None:
    drafts = crawl_model.meta["evaluation"]["own_drafts"]["author"]["model"]
    assert drafts["pairwise"] >= 0.53  # issue 17: the honest ceiling on this crawl is about 0.54
    assert drafts["tied_authors"] <= 0.10
    assert crawl_model.meta["regressor_targets"]["own_drafts"] == "rank"
    rounds = crawl_model.meta["best_rounds"]
    few = [f"{s} {r}" for s, by in rounds.items() for r, n in by.items() if n < train.FEW_TREES]
    # a model that stopped at very few trees is said, never shipped in silence
    assert not few or crawl_model.meta["warnings"]


def test_one_accounts_distinct_drafts_get_distinct_scores(
    crawl_model: Any, run: Any, real_graph: Callable[[str], Driver], tmp_path: Path
) -> None:
    real_graph("crawl")
    path = _drafts_file(
        tmp_path,
        [
            {
                "id": "long",
                "author": "thesartorialist",
                "caption": "Spring street style in SoHo today — the coats, the "
                "colours, the light! Which look is yours? #streetstyle #nyc #fashion #spring",
                "hashtags": "",
                "posted_at": "2017-05-02",
            },
            {
                "id": "ok",
                "author": "thesartorialist",
                "caption": "ok",
                "hashtags": "",
                "posted_at": "2017-05-02",
            },
            {
                "id": "tags",
                "author": "thesartorialist",
                "caption": "#menswear #style #ootd #dapper #tailoring #suit #milan",
                "hashtags": "",
                "posted_at": "2017-05-09",
            },
        ],
    )
    rows = json.loads(run("predict", str(path), "--model", str(crawl_model.path), "--format", "json").stdout)
    assert all(r["error"] is None and r["basis"] == "known_author" for r in rows)
    assert len({r["times_usual"] for r in rows}) == 3
    drafts = crawl_model.meta["verdicts"]["own_drafts"]
    if drafts["beats_baseline"]:  # ordered by the ranker: highest × usual first
        assert [r["times_usual"] for r in rows] == sorted((r["times_usual"] for r in rows), reverse=True)
        assert all(r["rank_by"].endswith("+times_usual") for r in rows)
    else:
        assert all("cannot tell this account's drafts apart" in (r["note"] or "") for r in rows)


def test_predict_says_when_it_cannot_beat_the_baseline(
    crawl_model: Any, run: Any, real_graph: Callable[[str], Driver], tmp_path: Path
) -> None:
    real_graph("crawl")
    model = tmp_path / "model"
    shutil.copytree(crawl_model.path, model)
    meta = json.loads((model / "model.json").read_text(encoding="utf-8"))
    # a model whose new-author verdict did not beat follower count (as on data without signal)
    meta["verdicts"]["new_author"].update(beats_baseline=False, rank_by="followers")
    (model / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    path = _drafts_file(
        tmp_path,
        [
            {
                "id": "tiny",
                "author": "nobody_new_1",
                "caption": "Our biggest launch ever!!! #sale",
                "hashtags": "",
                "posted_at": "2017-05-02",
            },
            {
                "id": "huge",
                "author": "nobody_new_2",
                "caption": "hi",
                "hashtags": "",
                "posted_at": "2017-05-02",
            },
        ],
    )
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([text[0] + ",author_followers", text[1] + ",120", text[2] + ",2500000"]) + "\n",
        encoding="utf-8",
    )
    rows = json.loads(run("predict", str(path), "--model", str(model), "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["huge", "tiny"]  # ranked by follower count, as the note says
    assert all("does not beat follower count" in r["note"] and r["rank_by"] == "followers" for r in rows)
    table = run("predict", str(path), "--model", str(model)).stdout
    assert "does not beat follower count" in table


def test_a_batch_with_an_author_who_has_an_undated_post_is_scored(
    crawl_model: Any, run: Any, real_graph: Callable[[str], Driver], tmp_path: Path
) -> None:
    driver = real_graph("crawl")
    author = _undated_author(driver)
    ids = [
        r[0]
        for r in db.read(
            driver,
            "MATCH (u:User)-[:POSTED]->(p:Post) WHERE u.id IN [$a, 'thesartorialist'] "
            "AND p.postedAt IS NOT NULL RETURN p.id ORDER BY p.id LIMIT 30",
            {"a": author},
        )
    ]
    args = [a for i in ids for a in ("--post-id", i)]
    rows = json.loads(run("predict", *args, "--model", str(crawl_model.path), "--format", "json").stdout)
    assert len(rows) == len(ids) and all(r["error"] is None for r in rows)
    path = _drafts_file(
        tmp_path,
        [{"id": "d", "author": author, "caption": "new post", "hashtags": "", "posted_at": "2017-05-02"}],
    )
    rows = json.loads(run("predict", str(path), "--model", str(crawl_model.path), "--format", "json").stdout)
    assert rows[0]["error"] is None and rows[0]["basis"] == "known_author"


def test_a_draft_without_a_caption_is_scored(
    crawl_model: Any, run: Any, real_graph: Callable[[str], Driver], tmp_path: Path
) -> None:
    real_graph("crawl")
    path = _drafts_file(
        tmp_path,
        [
            {
                "id": "empty",
                "author": "thesartorialist",
                "caption": "",
                "hashtags": "",
                "posted_at": "2017-05-02",
            },
            {
                "id": "text",
                "author": "thesartorialist",
                "caption": "Milan, this morning",
                "hashtags": "",
                "posted_at": "2017-05-02",
            },
        ],
    )
    rows = {
        r["id"]: r
        for r in json.loads(
            run("predict", str(path), "--model", str(crawl_model.path), "--format", "json").stdout
        )
    }
    assert rows["empty"]["error"] is None
    assert 0 < rows["empty"]["viral_probability"] < 1 and math.isfinite(rows["empty"]["predicted"])
