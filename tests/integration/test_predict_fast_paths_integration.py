"""The speed-ups of batch scoring give exactly the results of the plain paths they replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

import trainer_graph
from influence import db
from influence.models import graphread, pipeline, predict, store
from influence.models.criteria import load_criteria


@pytest.mark.integration
def test_chunked_scoring_equals_one_chunk(
    driver: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.reset(driver)
    db.init_schema(driver)
    trainer_graph.build(driver, tmp_path, n_authors=12, posts_per_author=25)
    pipeline.train_from_graph(driver, load_criteria(), tmp_path / "model")
    model = store.load(tmp_path / "model")
    ids = graphread.read_post_ids(driver)
    ids = [*ids, "no-such-post"]
    whole = predict.score_post_ids(driver, model, ids)
    monkeypatch.setattr(predict, "CHUNK_ROWS", 37)  # several chunks, the last one short
    chunked = predict.score_post_ids(driver, model, ids)
    assert chunked.rows() == whole.rows()
    assert len(whole.predictions) == len(ids)
    assert whole.predictions[-1].error == "no post with id 'no-such-post' in the graph"
    assert all(p.up or p.down for p in whole.predictions[:-1])
