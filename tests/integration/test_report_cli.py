"""`influence analyze` and `influence report …` through the CLI against the real server."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from neo4j import Driver

from analytics_graph import Planted, build
from influence.cli import cli

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def analysed_cli(
    driver: Driver, server: object, test_settings: object
) -> tuple[CliRunner, dict[str, str], Planted]:
    from influence import db

    db.reset(driver)
    db.init_schema(driver)
    planted = build(driver)
    env = {
        "INFLUENCE_HOME": str(test_settings.home),
        "INFLUENCE_BOLT_PORT": str(test_settings.bolt_port),  # type: ignore[attr-defined]
        "INFLUENCE_HTTP_PORT": str(test_settings.http_port),
        "NEO4J_URI": "",
        "NEO4J_PASSWORD": "",  # type: ignore[attr-defined]
    }
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze"], env=env)
    assert result.exit_code == 0, result.output
    return runner, env, planted


def test_analyze_prints_timings_modularity_and_sizes(
    analysed_cli: tuple[CliRunner, dict[str, str], Planted],
) -> None:
    runner, env, _ = analysed_cli
    result = runner.invoke(
        cli, ["-q", "analyze", "--only", "influence,communities", "--communities", "leiden"], env=env
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("step") and "project (s)  compute (s)  write (s)  total (s)" in lines[0]
    assert any(line.startswith("communities") and "leiden" in line for line in lines)
    assert "modularity 0." in result.stdout and "3 communities, sizes 20, 20, 20" in result.stdout
    bad = runner.invoke(cli, ["analyze", "--only", "nonsense"], env=env)
    assert bad.exit_code == 1 and "unknown step" in bad.output


def test_report_influencers_json_and_community_filter(
    analysed_cli: tuple[CliRunner, dict[str, str], Planted],
) -> None:
    runner, env, planted = analysed_cli
    result = runner.invoke(cli, ["report", "influencers", "--top", "3", "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert {r["username"].lower() for r in rows} == set(planted.influencers)
    community = rows[0]["community"]
    one = json.loads(
        runner.invoke(
            cli, ["report", "influencers", "--community", str(community), "--format", "json"], env=env
        ).stdout
    )
    assert len(one) == 20 and {r["community"] for r in one} == {community}


def test_report_communities_hashtags_viral(analysed_cli: tuple[CliRunner, dict[str, str], Planted]) -> None:
    runner, env, planted = analysed_cli
    comms = json.loads(runner.invoke(cli, ["report", "communities", "--format", "json"], env=env).stdout)
    assert sorted(c["size"] for c in comms) == [20, 20, 20]
    for c in comms:  # each community's hashtags are its own planted topic
        prefixes = {h.split("_")[0] for h in c["hashtags"] if h != "everyone"}
        assert len(prefixes) == 1
    out = runner.invoke(cli, ["report", "hashtags", "--top", "2", "--format", "csv"], env=env).stdout
    tags = list(csv.DictReader(io.StringIO(out)))
    assert tags[0]["hashtag"] == "everyone" and tags[0]["communitySpread"] == "3"
    viral = json.loads(
        runner.invoke(
            cli, ["report", "viral", "--only-viral", "--format", "json", "--top", "50"], env=env
        ).stdout
    )
    assert set(planted.viral_posts) <= {v["post"] for v in viral}
    table = runner.invoke(cli, ["report", "viral", "--top", "3"], env=env)
    assert table.exit_code == 0 and table.stdout.splitlines()[0].startswith("post")
