"""The analytics against the real Neo4j + GDS, on a seeded graph with planted structure."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from neo4j import Driver
from sklearn.metrics import normalized_mutual_info_score

from analytics_graph import Planted, build
from influence import db
from influence.analytics.base import AnalyzeOptions
from influence.analytics.projection import check_memory, projected
from influence.analytics.run import STEPS, AnalysisResult, analyze
from influence.errors import AnalyticsError

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def analysed(driver: Driver) -> tuple[Driver, Planted, AnalysisResult]:
    db.reset(driver)
    db.init_schema(driver)
    planted = build(driver)
    messages: list[str] = []
    result = analyze(driver, progress=messages.append)
    assert any("communities done" in m for m in messages)
    return driver, planted, result


def _graphs(driver: Driver) -> list[str]:
    return [r["graphName"] for r in db.read(driver, "CALL gds.graph.list() YIELD graphName RETURN graphName")]


def test_every_step_ran_and_was_timed(analysed: tuple[Driver, Planted, AnalysisResult]) -> None:
    driver, _, result = analysed
    ran = [s.step for s in result.steps]
    assert set(STEPS) <= set(ran) and "project users" in ran
    for name in ("influence", "communities", "embeddings"):
        step = result.step(name)
        assert step is not None and step.compute_ms > 0 and step.write_ms >= 0
    assert result.step("project users").project_ms > 0  # type: ignore[union-attr]
    assert _graphs(driver) == []  # every projection was dropped


def test_planted_communities_recovered(analysed: tuple[Driver, Planted, AnalysisResult]) -> None:
    driver, planted, result = analysed
    rows = db.read(driver, "MATCH (u:User) RETURN u.id AS id, u.community AS c, u.communitySize AS s")
    found = {r["id"]: r["c"] for r in rows}
    ids = sorted(planted.community_of)
    nmi = normalized_mutual_info_score([planted.community_of[i] for i in ids], [found[i] for i in ids])
    assert nmi >= 0.9, nmi
    assert result.modularity is not None and result.modularity > 0.3
    sizes = Counter(found.values())
    assert all(r["s"] == sizes[r["c"]] for r in rows)
    assert sorted(result.community_sizes, reverse=True) == sorted(sizes.values(), reverse=True)


def test_planted_influencers_rank_first(analysed: tuple[Driver, Planted, AnalysisResult]) -> None:
    driver, planted, _ = analysed
    top = [
        r["id"] for r in db.read(driver, "MATCH (u:User) RETURN u.id AS id ORDER BY u.pagerank DESC LIMIT 3")
    ]
    assert set(top) == set(planted.influencers)


def test_planted_viral_posts_flagged(analysed: tuple[Driver, Planted, AnalysisResult]) -> None:
    driver, planted, _ = analysed
    rows = db.read(driver, "MATCH (p:Post) WHERE p.isViral RETURN p.id AS id")
    flagged = {r["id"] for r in rows}
    assert set(planted.viral_posts) <= flagged
    assert len(flagged) <= len(planted.viral_posts) + 2  # few false alarms
    v = db.read(
        driver,
        "MATCH (p:Post {id: $id}) RETURN p.velocity AS v, p.viralRatio AS r, p.viralZ AS z",
        {"id": planted.viral_posts[0]},
    )[0]
    assert v["v"] > 0 and v["r"] > 5 and v["z"] > 1


def test_cooccurrence_counts_match_independent_count(
    analysed: tuple[Driver, Planted, AnalysisResult],
) -> None:
    driver, planted, _ = analysed
    expected: Counter[tuple[str, str]] = Counter()
    uses: Counter[str] = Counter()
    for tags in planted.post_tags.values():
        uses.update(set(tags))
        for a, b in combinations(sorted(set(tags)), 2):
            expected[(a, b)] += 1
    rows = db.read(
        driver,
        "MATCH (a:Hashtag)-[r:CO_OCCURS]->(b:Hashtag) RETURN a.name AS a, b.name AS b, "
        "r.count AS c, r.weight AS w",
    )
    got = {(r["a"], r["b"]): r["c"] for r in rows}
    assert got == dict(expected)
    for r in rows:
        c = expected[(r["a"], r["b"])]
        assert r["w"] == pytest.approx(c / (uses[r["a"]] + uses[r["b"]] - c))
    spread = {
        r["n"]: r["s"]
        for r in db.read(driver, "MATCH (h:Hashtag) RETURN h.name AS n, h.communitySpread AS s")
    }
    assert spread["everyone"] == 3 and spread["topic0_0"] == 1
    hp = db.read(
        driver, "MATCH (h:Hashtag) WHERE h.pagerank IS NULL OR h.community IS NULL RETURN count(h) AS n"
    )
    assert hp[0]["n"] == 0


def test_interactions_embeddings_similarity_engagement(
    analysed: tuple[Driver, Planted, AnalysisResult],
) -> None:
    driver, _, _ = analysed
    r = db.read(
        driver,
        "MATCH (:User {id: 'c0u1'})-[r:INTERACTS]->(:User {id: 'c0u2'}) RETURN r.weight AS w, r.mentions AS m",
    )
    assert r and r[0]["w"] == pytest.approx(1.0) and r[0]["m"] == 1
    likes = db.read(
        driver, "MATCH ()-[r:INTERACTS]->() WHERE r.likes > 0 RETURN min(r.weight) AS w, count(r) AS n"
    )[0]
    assert likes["n"] > 0 and likes["w"] == pytest.approx(0.25)
    emb = db.read(driver, "MATCH (u:User) RETURN size(u.embedding) AS d, u.embeddingVersion AS v LIMIT 1")[0]
    run = db.read(
        driver,
        "MATCH (r:EmbeddingRun {version: $v}) RETURN r.dimension AS d, r.parameters AS p",
        {"v": emb["v"]},
    )
    assert emb["d"] == 64 and run and run[0]["d"] == 64 and "iterationWeights" in run[0]["p"]
    sim = db.read(
        driver,
        "MATCH (a:User)-[s:SIMILAR]->(b:User) RETURN count(s) AS n, "
        "sum(CASE WHEN a.language = b.language THEN 1 ELSE 0 END) AS same",
    )[0]
    assert sim["n"] > 0 and sim["same"] == sim["n"]
    eng = db.read(
        driver,
        "MATCH (u:User {id: 'c0u3'}) RETURN u.engagementRate AS r, u.followerTier AS t, "
        "u.followers AS f, u.engagementRateTierZ AS z",
    )[0]
    assert eng["r"] > 0 and eng["t"] in ("nano", "micro") and eng["z"] is not None


def test_rerun_is_idempotent_and_options_switch_algorithms(
    analysed: tuple[Driver, Planted, AnalysisResult],
) -> None:
    driver, _, _ = analysed
    before = db.read(driver, "MATCH ()-[r:INTERACTS|CO_OCCURS]->() RETURN count(r) AS n")[0]["n"]
    result = analyze(
        driver,
        ["interactions", "hashtags", "influence", "communities"],
        AnalyzeOptions(algorithm="articlerank", communities="leiden"),
    )
    after = db.read(driver, "MATCH ()-[r:INTERACTS|CO_OCCURS]->() RETURN count(r) AS n")[0]["n"]
    assert before == after
    assert result.step("communities").details["algorithm"] == "leiden"  # type: ignore[union-attr]
    n = db.read(driver, "MATCH (u:User) WHERE u.articlerank IS NOT NULL RETURN count(u) AS n")[0]["n"]
    assert n == 60


def test_projection_dropped_on_error_and_memory_refused(driver: Driver) -> None:
    names = []
    with (
        pytest.raises(RuntimeError),
        projected(
            driver,
            "users",
            "analyze_project_users",
            "analyze_count_users",
            params={"interactsFactor": 1.0, "weightKey": "weight"},
        ) as graph,
    ):
        names.append(graph.name)
        assert graph.name in _graphs(driver)
        raise RuntimeError("boom")
    assert names and names[0] not in _graphs(driver)
    with pytest.raises(AnalyticsError, match="heap"):
        check_memory(driver, 10**15, "a huge graph")


def test_hashtags_that_never_co_occur_do_not_fail_the_analysis(clean_db: Driver) -> None:
    # The Reddit hours in ../shared/data carry one hashtag and no pair: GDS refused to project
    # an undirected CO_OCCURS type with no relationship and analyze failed.
    db.write(
        clean_db,
        """
        CREATE (u:User {id: 'solo', username: 'solo'})
        CREATE (u)-[:POSTED]->(p1:Post {id: 'p1', likes: 3, comments: 0})-[:TAGGED]->(:Hashtag {name: 'one'})
        CREATE (u)-[:POSTED]->(p2:Post {id: 'p2', likes: 5, comments: 1})
    """,
    )
    result = analyze(clean_db, ["hashtags"])
    step = result.step("hashtags")
    assert step is not None and step.details["hashtags"] == 1
    assert step.details["co_occurs"] == 0 and step.details["topics"] == 0
    assert not _graphs(clean_db)


def test_comments_count_as_interactions(clean_db: Driver) -> None:
    # `load csv --kind comments` writes (User)-[:COMMENTED {id}]->(Post); a commenter gave the
    # author attention, as a liker does.
    db.write(
        clean_db,
        """
        CREATE (a:User {id: 'fan'}), (b:User {id: 'star'}), (c:User {id: 'liker'})
        CREATE (b)-[:POSTED]->(p:Post {id: 'p1'})
        CREATE (a)-[:COMMENTED {id: 'c1'}]->(p), (a)-[:COMMENTED {id: 'c2'}]->(p)
        CREATE (c)-[:LIKED]->(p)
    """,
    )
    analyze(clean_db, ["interactions"])
    rows = {
        r["src"]: r
        for r in db.read(
            clean_db,
            """
        MATCH (a:User)-[r:INTERACTS]->(:User {id: 'star'})
        RETURN a.id AS src, r.comments AS comments, r.likes AS likes, r.weight AS weight""",
        )
    }
    assert rows["fan"]["comments"] == 2 and rows["fan"]["weight"] == pytest.approx(1.0)
    assert rows["liker"]["likes"] == 1 and rows["liker"]["comments"] == 0


def test_a_projection_that_vanished_says_what_to_do(driver: Driver) -> None:
    # The catalog is in the server's memory: a graph gone mid-analysis (server restarted, or
    # another analysis dropped it) is named as such, with the command to run.
    from influence.analytics.projection import run_algorithm

    with pytest.raises(AnalyticsError, match=r"disappeared .*influence analyze"):
        run_algorithm(driver, "pagerank", "influence-gone", {"writeProperty": "x"})
