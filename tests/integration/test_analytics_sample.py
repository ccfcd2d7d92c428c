"""Acceptance on the generated sample (`influence sample` → `influence load gallery-dl` → analyze)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver
from sklearn.metrics import normalized_mutual_info_score

from influence import db
from influence.cli import cli

pytestmark = pytest.mark.integration


def test_sample_planted_structure_is_recovered(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = CliRunner()
    out = tmp_path / "sample"
    assert runner.invoke(cli, ["-q", "sample", str(out), "--images", "0"], env=cli_env).exit_code == 0
    loaded = runner.invoke(
        cli, ["-q", "load", "gallery-dl", str(out), "--rejects", str(tmp_path / "r.jsonl")], env=cli_env
    )
    assert loaded.exit_code == 0, loaded.output
    analysed = runner.invoke(cli, ["-q", "analyze"], env=cli_env)
    assert analysed.exit_code == 0, analysed.output
    truth = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))

    rows = db.read(
        clean_db,
        "MATCH (u:User) WHERE u.id IN $ids RETURN u.id AS id, u.community AS c",
        {"ids": [k.lower() for k in truth["communities"]]},
    )
    found = {r["id"]: r["c"] for r in rows}
    ids = sorted(found)
    nmi = normalized_mutual_info_score([truth["communities"][i] for i in ids], [found[i] for i in ids])

    k = 2 * len(truth["influencers"])
    top = {
        r["id"]
        for r in db.read(
            clean_db, "MATCH (u:User) RETURN u.id AS id ORDER BY u.pagerank DESC LIMIT $k", {"k": k}
        )
    }
    hit = len({i.lower() for i in truth["influencers"]} & top)

    viral = {r["sc"] for r in db.read(clean_db, "MATCH (p:Post) WHERE p.isViral RETURN p.shortcode AS sc")}
    with capsys.disabled():
        print(
            f"\n[sample] NMI {nmi:.3f} over {len(ids)} users; {hit}/{len(truth['influencers'])} influencers "
            f"in the top {k}; viral flagged {len(viral)}, planted {len(truth['viral_posts'])}, "
            f"found {len(set(truth['viral_posts']) & viral)}"
        )
    assert len(ids) == len(truth["communities"])
    assert nmi >= 0.9
    assert hit == len(truth["influencers"])
    assert set(truth["viral_posts"]) <= viral
    assert len(viral) <= 2 * len(truth["viral_posts"])
