"""Audience overlap, the campaign reach planner and audience quality (issue 13, part 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence import db
from influence.analytics import audience
from influence.analytics.audience import jaccard
from influence.cli import cli
from influence.errors import InputError

# --------------------------------------------------------------------------- pure


# --------------------------------------------------------------------------- on the sample


@pytest.mark.integration
def test_sample_bought_audiences_rank_lowest_and_plan_beats_top_followers(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = CliRunner()
    out = tmp_path / "sample"
    made = runner.invoke(
        cli,
        [
            "-q",
            "sample",
            str(out),
            "--users",
            "150",
            "--seed",
            "7",
            "--images",
            "0",
            "--bought-audiences",
            "4",
        ],
        env=cli_env,
    )
    assert made.exit_code == 0, made.output
    assert runner.invoke(cli, ["-q", "load", "gallery-dl", str(out)], env=cli_env).exit_code == 0
    assert runner.invoke(cli, ["-q", "analyze", "--only", "engagement"], env=cli_env).exit_code == 0
    truth = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))
    bought = {b["username"] for b in truth["bought_audiences"]}
    assert len(bought) == 4 and truth["bots"]["count"] > 0

    rows = audience.quality(clean_db)
    ranked = [r["id"] for r in rows]
    assert set(ranked[:4]) == bought, rows[:6]
    worst_genuine = min(r["score"] for r in rows if r["id"] not in bought)
    assert max(r["score"] for r in rows if r["id"] in bought) < worst_genuine
    for r in rows[:4]:  # every signal fires on a bought audience
        assert r["follows_many"] > 0.2 and r["no_profile"] > 0.2 and r["no_posts"] > 0.2
        assert r["follower_jump_ratio"] > 0.5 and r["tier_z"] < 0

    plan = audience.plan(clean_db, 5)
    assert len(plan.picks) == 5 and len(plan.baseline) == 5
    assert plan.reach > plan.baseline_reach
    assert [p.reach for p in plan.picks] == sorted(p.reach for p in plan.picks)
    assert plan.picks[-1].reach == pytest.approx(sum(p.gain for p in plan.picks))
    sets = audience.audiences(clean_db, [p.id for p in plan.picks])
    assert plan.reach == len(set().union(*(s["audience"] for s in sets.values())))
    by_followers = sorted(
        (
            r
            for r in db.read(
                clean_db,
                "MATCH (u:User) WHERE EXISTS { ()-[:FOLLOWS]->(u) } RETURN u.id AS id, u.followers AS f",
            )
        ),
        key=lambda r: (-(r["f"] or 0), r["id"]),
    )
    assert [p.id for p in plan.baseline] == [r["id"] for r in by_followers[:5]]

    careful = audience.plan(clean_db, 5, min_quality=70)
    assert (
        not {p.id for p in careful.picks} & bought
        and "4 candidates with audience quality below 70" in careful.notes[0]
    )

    ids = [p.id for p in plan.picks[:4]]
    ov = audience.overlap(clean_db, ids)
    members = audience.audiences(clean_db, ids)
    for i, a in enumerate(ov.accounts):
        for j, b in enumerate(ov.accounts):
            assert ov.matrix[i][j] == pytest.approx(jaccard(members[a]["audience"], members[b]["audience"]))
    for p in ov.pairs:
        a = next(k for k in ov.accounts if members[k]["username"] == p["a"])
        b = next(k for k in ov.accounts if members[k]["username"] == p["b"])
        assert p["shared"] == len(members[a]["audience"] & members[b]["audience"])

    table = runner.invoke(cli, ["plan", "--budget", "5"], env=cli_env)
    assert table.exit_code == 0, table.output
    assert "Top by followers" in table.output and "distinct people vs. the top by followers" in table.output
    as_json = runner.invoke(cli, ["audience", "overlap", *ids, "--format", "json"], env=cli_env)
    got = json.loads(as_json.output)["matrix"]
    assert [v for row in got for v in row] == pytest.approx([v for row in ov.matrix for v in row])
    quality = runner.invoke(cli, ["audience", "quality", "--format", "csv"], env=cli_env)
    assert quality.output.splitlines()[1].split(",")[0] in bought
    unknown = runner.invoke(cli, ["audience", "overlap", ids[0], "no-such-account"], env=cli_env)
    assert unknown.exit_code == 1 and "Error: no account no-such-account" in unknown.output
    with pytest.raises(InputError):
        audience.plan(clean_db, 3, region="zz")
    with capsys.disabled():
        print(
            f"\n[audience] plan reach {plan.reach:.0f} vs top-5 by followers {plan.baseline_reach:.0f}; "
            f"bought scores {[round(r['score']) for r in rows[:4]]}, lowest genuine {worst_genuine:.0f}"
        )


@pytest.mark.integration
def test_liker_audiences_overlap_and_plan(clean_db: Driver, cli_env: dict[str, str]) -> None:
    """A liker graph (as #womenwhoclimb): audiences are the likers of each account's posts."""
    likes = {"ann": ["x1", "x2", "x3", "x4"], "bob": ["x3", "x4", "x5"], "cat": ["y1", "y2"]}
    rows = [
        {"user": liker, "post": f"p-{owner}", "owner": owner} for owner, ls in likes.items() for liker in ls
    ]
    db.write(
        clean_db,
        "UNWIND $rows AS r MERGE (o:User {id: r.owner}) MERGE (p:Post {id: r.post}) "
        "MERGE (o)-[:POSTED]->(p) MERGE (u:User {id: r.user}) MERGE (u)-[:LIKED]->(p)",
        {"rows": rows},
    )
    ov = audience.overlap(clean_db, ["ann", "bob", "cat"], source="engagers")
    assert ov.sizes == [4, 3, 2]
    assert ov.matrix[0][1] == pytest.approx(2 / 5) and ov.matrix[0][2] == 0.0
    assert ov.union == 7 and ov.shared_by_two == 2
    with pytest.raises(InputError, match="no followers audience"):
        audience.overlap(clean_db, ["ann", "bob"], source="followers")
    plan = audience.plan(clean_db, 2)
    assert [p.id for p in plan.picks] == ["ann", "cat"] and plan.reach == 6
    result = CliRunner().invoke(
        cli, ["audience", "overlap", "ann", "bob", "--matrix", "--format", "csv"], env=cli_env
    )
    assert result.exit_code == 0 and result.output.splitlines()[0] == "account,ann,bob"


# --------------------------------------------------------------------------- the generator's plant


@pytest.mark.integration
def test_plan_and_overlap_on_the_congress_follows(
    clean_db: Driver, cli_env: dict[str, str], shared_data: Path
) -> None:
    folder = shared_data / "follow-graphs"
    loaded = CliRunner().invoke(
        cli,
        [
            "-q",
            "load",
            "follows",
            str(folder / "congress-twitter-network-edges.csv"),
            "--nodes",
            str(folder / "congress-twitter-network-nodes.csv"),
        ],
        env=cli_env,
    )
    assert loaded.exit_code == 0, loaded.output
    plan = audience.plan(clean_db, 5)
    assert plan.candidates > 500 and plan.reach >= plan.baseline_reach > 0
    ids = [p.id for p in plan.baseline[:4]]
    ov = audience.overlap(clean_db, ids, source="followers")
    members = audience.audiences(clean_db, ids, "followers")
    assert ov.matrix[0][1] == pytest.approx(jaccard(members[ids[0]]["audience"], members[ids[1]]["audience"]))
    matrix = CliRunner().invoke(cli, ["audience", "overlap", *ids, "--matrix"], env=cli_env)
    assert matrix.exit_code == 0 and "1.000" in matrix.output
    names = [p.username for p in plan.baseline[:4]]  # Twitter handles, while the ids are numbers
    assert names != ids and audience.overlap(clean_db, names, source="followers").matrix == ov.matrix
    scores = audience.quality(clean_db)
    assert all(r["no_posts"] is None for r in scores)  # no posts loaded: the data cannot tell
    assert {r["id"]: r["score"] for r in audience.quality(clean_db, names[:1])}[ids[0]] == pytest.approx(
        next(r["score"] for r in scores if r["id"] == ids[0])
    )


@pytest.mark.integration
def test_overlap_and_plan_on_the_womenwhoclimb_likes(
    clean_db: Driver, cli_env: dict[str, str], shared_data: Path, tmp_path: Path
) -> None:
    """Twelve influencers of the real #womenwhoclimb liker graph, loaded as likes through ingest."""
    from influence.ingest import ingest
    from influence.loaders.records import LikeRecord, PostRecord, Record, UserRecord

    data = json.loads(
        (shared_data / "instagram-womenwhoclimb" / "interaction_dict.json").read_text(encoding="utf-8")
    )
    chosen = sorted(
        (k for k, v in data.items() if v.get("likes")), key=lambda k: -int(data[k]["num_follow"])
    )[:12]
    records: list[Record] = []
    for user in chosen:
        d = data[user]
        records += [
            UserRecord(id=user, followers=int(d["num_follow"])),
            PostRecord(id=d["post"], author=user, shortcode=d["post"], likes=int(d["max_likes"])),
        ]
        records += [LikeRecord(user=str(liker), post=d["post"]) for liker in d["likes"]]
    ingest(clean_db, records, tmp_path / "rejects.jsonl")
    db.write(clean_db, "MATCH (u:User) WHERE u.followers IS NOT NULL SET u.fee = 1.0 + u.followers / 10000.0")

    ov = audience.overlap(clean_db, chosen[:6], source="engagers")
    likers = {u: {str(x) for x in data[u]["likes"]} - {u} for u in chosen[:6]}  # not their own like
    for i, a in enumerate(chosen[:6]):
        for j, b in enumerate(chosen[:6]):
            assert ov.matrix[i][j] == pytest.approx(jaccard(likers[a], likers[b]))
    assert ov.union == len(set().union(*likers.values()))

    plan = audience.plan(clean_db, 4)
    assert plan.candidates == 12 and plan.reach >= plan.baseline_reach
    result = CliRunner().invoke(cli, ["plan", "--budget", "10", "--cost-column", "fee"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "cost" in result.output and "Top by followers" in result.output
    rows = json.loads(
        CliRunner()
        .invoke(cli, ["plan", "--budget", "10", "--cost-column", "fee", "--format", "json"], env=cli_env)
        .output
    )
    assert sum(r["cost"] for r in rows if r["plan"] == "greedy") <= 10.0
    bad = CliRunner().invoke(cli, ["plan", "--budget", "3", "--cost-column", "nope"], env=cli_env)
    assert bad.exit_code == 1 and "no candidate has a positive number" in bad.output
