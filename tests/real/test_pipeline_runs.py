"""The crawl loads, analyses and trains through the CLI (the ground every other real test stands on)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from neo4j import Driver

from influence import db


def test_crawl_graph_holds_both_crawls(real_graph: Callable[[str], Driver]) -> None:
    driver = real_graph("crawl")
    accounts = db.read(driver, "MATCH (u:User) WHERE u.followers IS NOT NULL RETURN count(u)")[0][0]
    observed_twice = db.read(
        driver, "MATCH (p:Post) WHERE COUNT { (p)-[:HAS_OBSERVATION]->() } >= 2 RETURN count(p)"
    )[0][0]
    assert accounts > 1600
    assert observed_twice > 6000  # SOURCE.txt: 6,702 posts seen in both crawls


def test_train_writes_a_model(crawl_model: Any) -> None:
    assert (crawl_model.path / "model.json").is_file()
    assert crawl_model.meta["counts"]["labelled"] > 10000
