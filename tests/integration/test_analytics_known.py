"""Analytics on real graphs with known answers (../shared/data, read in place).

- US Congress Twitter follows (114th Congress, party known): communities agree with party.
- #womenwhoclimb (2017): our PageRank ranking of the 119 influencers against the author's own
  published ranking (eigenvector centrality on a follower graph that was never published, plus
  engagement) — reported as Spearman ρ; a loose floor only guards against a broken ranking.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from neo4j import Driver
from scipy.stats import spearmanr
from sklearn.metrics import normalized_mutual_info_score

from influence import db
from influence.analytics.base import AnalyzeOptions
from influence.analytics.run import analyze

pytestmark = pytest.mark.integration


def test_congress_communities_match_party(
    clean_db: Driver, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shared_data / "follow-graphs"
    with (folder / "congress-twitter-network-nodes.csv").open(newline="", encoding="utf-8") as f:
        nodes = [
            {
                "id": r["id_str"],
                "username": r["twitter"].lower(),
                "party": r["party"],
                "followers": int(r["followers_count"]),
            }
            for r in csv.DictReader(f)
        ]
    with (folder / "congress-twitter-network-edges.csv").open(newline="", encoding="utf-8") as f:
        edges = [{"a": r["source"], "b": r["target"]} for r in csv.DictReader(f)]
    db.write_batches(
        clean_db,
        "UNWIND $rows AS r MERGE (u:User {id: r.id}) "
        "SET u.username = r.username, u.party = r.party, u.followers = r.followers",
        nodes,
    )
    db.write_batches(
        clean_db,
        "UNWIND $rows AS r MATCH (a:User {id: r.a}) MATCH (b:User {id: r.b}) MERGE (a)-[:FOLLOWS]->(b)",
        edges,
    )
    scores = {}
    for algo in ("louvain", "leiden"):
        result = analyze(clean_db, ["influence", "communities"], AnalyzeOptions(communities=algo))
        rows = db.read(clean_db, "MATCH (u:User) RETURN u.party AS party, u.community AS c")
        scores[algo] = (
            normalized_mutual_info_score([r["party"] for r in rows], [r["c"] for r in rows]),
            result.modularity,
            len(result.community_sizes),
        )
    with capsys.disabled():
        for algo, (nmi, modularity, count) in scores.items():
            print(
                f"\n[congress] {algo}: NMI vs party {nmi:.3f}, modularity {modularity:.3f}, {count} communities"
            )
    assert scores["louvain"][0] >= 0.6
    assert scores["leiden"][0] >= 0.6


def test_womenwhoclimb_ranking_vs_author(
    clean_db: Driver, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shared_data / "instagram-womenwhoclimb"
    interactions = json.loads((folder / "interaction_dict.json").read_text(encoding="utf-8"))
    posters = json.loads((folder / "hashtags_likes_dict.json").read_text(encoding="utf-8"))
    ordered = (folder / "ordered_influencers.txt").read_text(encoding="utf-8").split()
    author_scores = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    users = [{"id": uid, "followers": None} for uid in posters]
    users += [{"id": uid, "followers": v.get("num_follow")} for uid, v in interactions.items()]
    db.write_batches(
        clean_db,
        "UNWIND $rows AS r MERGE (u:User {id: r.id}) SET u.followers = coalesce(r.followers, u.followers)",
        users,
    )
    posts = [
        {"u": uid, "p": sc, "likes": n}
        for uid, v in posters.items()
        for sc, n in zip(v["posts"], v["likes"], strict=False)
    ]
    posts += [{"u": uid, "p": v["post"], "likes": v.get("max_likes")} for uid, v in interactions.items()]
    db.write_batches(
        clean_db,
        "UNWIND $rows AS r MATCH (u:User {id: r.u}) MERGE (p:Post {id: r.p}) "
        "SET p.likes = coalesce(r.likes, p.likes) MERGE (u)-[:POSTED]->(p)",
        posts,
    )
    likes = [{"u": liker, "p": v["post"]} for v in interactions.values() for liker in v.get("likes", [])]
    db.write_batches(
        clean_db,
        "UNWIND $rows AS r MERGE (u:User {id: r.u}) WITH u, r "
        "MATCH (p:Post {id: r.p}) MERGE (u)-[:LIKED]->(p)",
        likes,
        batch_size=10_000,
    )
    analyze(clean_db, ["interactions", "influence", "engagement"])
    rows = db.read(
        clean_db,
        "MATCH (u:User) WHERE u.id IN $ids RETURN u.id AS id, u.pagerank AS pr",
        {"ids": list(interactions)},
    )
    ours = {r["id"]: r["pr"] for r in rows}
    ids = [i for i in interactions if i in author_scores and i in ordered]
    rank_author = {uid: pos for pos, uid in enumerate(ordered)}
    rho_rank = spearmanr([ours[i] for i in ids], [-rank_author[i] for i in ids]).statistic
    rho_final = spearmanr([ours[i] for i in ids], [author_scores[i]["final"] for i in ids]).statistic
    rho_inter = spearmanr([ours[i] for i in ids], [author_scores[i]["interaction"] for i in ids]).statistic
    with capsys.disabled():
        print(
            f"\n[womenwhoclimb] {len(ids)} influencers: Spearman(PageRank, author's order) {rho_rank:.3f}, "
            f"vs final score {rho_final:.3f}, vs interaction score {rho_inter:.3f}"
        )
    assert len(ids) >= 100
    assert rho_rank > 0.0  # a ranking unrelated to (or inverse of) the author's would fail
