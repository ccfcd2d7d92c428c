"""`influence report safety` and the emotions of viral posts, against the real server."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence import db
from influence.ingest import ingest
from influence.loaders.records import PostRecord, Record, ScrapeRecord, UserRecord
from influence.report.emotions import emotion_comparison

pytestmark = pytest.mark.integration

START = datetime(2024, 3, 1, 12, tzinfo=UTC)
CAPTIONS = {
    "risky": [
        "They murdered the whole family, terrorist attack downtown",
        "Heil Hitler white power",
        "Sunset at the beach",
    ],
    "mixed": ["Lunch with friends", "Cocaine party tonight", "New shoes", "Coffee time"],
    "threats": [
        "I know where you live and tomorrow I will make you bleed",
        "Morning run",
        "Coffee with the team",
    ],
    "clean": [
        "Wow what a shocking surprise, we are thrilled and excited!",
        "So angry at the referee, what a robbery!",
        "Morning yoga",
        "Fresh bread",
    ],
}
VIRAL = {"clean_0", "clean_1"}


def _records() -> list[Record]:
    out: list[Record] = [ScrapeRecord(id="safety-test", source="sample", tool="test", started_at=START)]
    for n, (user, captions) in enumerate(CAPTIONS.items()):
        out.append(UserRecord(id=user, username=f"@{user}"[1:], followers=1000, following=10, language="en"))
        for k, caption in enumerate(captions):
            out.append(
                PostRecord(
                    id=f"{user}_{k}",
                    author=user,
                    shortcode=f"{user}_{k}",
                    type="image",
                    caption=caption,
                    posted_at=START + timedelta(days=n + k),
                    observed_at=START,
                    likes=10,
                    comments=1,
                    hashtags=[],
                    language="en",
                )
            )
    return out


@pytest.fixture(scope="module")
def loaded(
    driver: Driver,
    server: object,
    test_settings: object,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CliRunner, dict[str, str]]:
    db.reset(driver)
    db.init_schema(driver)
    summary = ingest(driver, _records(), tmp_path_factory.mktemp("safety") / "rejects.jsonl")
    assert summary.rejected == 0, summary.reasons
    db.write(driver, "MATCH (p:Post) SET p.isViral = p.id IN $viral", {"viral": sorted(VIRAL)})
    env = {
        "INFLUENCE_HOME": str(test_settings.home),
        "INFLUENCE_BOLT_PORT": str(test_settings.bolt_port),  # type: ignore[attr-defined]
        "INFLUENCE_HTTP_PORT": str(test_settings.http_port),
        "NEO4J_URI": "",
        "NEO4J_PASSWORD": "",  # type: ignore[attr-defined]
    }
    return CliRunner(), env


def test_accounts_ranked_by_flagged_share_with_reasons(loaded: tuple[CliRunner, dict[str, str]]) -> None:
    runner, env = loaded
    result = runner.invoke(cli(), ["report", "safety", "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["account"] for r in rows] == ["risky", "threats", "mixed", "clean"]
    risky, threats, mixed, clean = rows
    assert (risky["posts"], risky["flagged"]) == (3, 2) and risky["flagged_share"] == pytest.approx(2 / 3)
    assert {"violence", "hate"} <= set(risky["categories"])
    assert any(f.startswith("violence:") for f in risky["example_flags"])
    assert mixed["categories"] == {"drugs": 1} and mixed["example_flags"] == ["drugs:cocaine"]
    assert clean["flagged"] == 0 and clean["example_post"] is None
    # a threat written without a slur or a swear word, found by the rule matchers
    assert threats["flagged"] == 1 and threats["categories"] == {"threat": 1}
    assert threats["example_flags"] == ["threat:I know where you live and tomorrow I will make you bleed"]
    table = runner.invoke(cli(), ["report", "safety"], env=env)
    assert table.exit_code == 0 and "67%" in table.stdout and "drugs 1" in table.stdout
    assert "threat of violence: “I know where you live" in table.stdout  # the reason in words
    assert "3 of 14 posts flagged" in table.output or "4 of 14 posts flagged" in table.output


def test_client_policy_extends_a_category_and_min_posts(
    loaded: tuple[CliRunner, dict[str, str]],
    tmp_path: Path,
) -> None:
    runner, env = loaded
    policy = tmp_path / "policy.toml"
    policy.write_text('[extend_categories]\ndrugs = ["coffee"]\n', encoding="utf-8")
    result = runner.invoke(
        cli(), ["report", "safety", "--policy", str(policy), "--min-posts", "4", "--format", "csv"], env=env
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["account"] for r in rows] == ["mixed", "clean"]  # risky and threats have 3 posts
    assert rows[0]["flagged"] == "2" and json.loads(rows[0]["categories"]) == {"drugs": 2}


def test_emotions_of_viral_posts(driver: Driver, loaded: tuple[CliRunner, dict[str, str]]) -> None:
    rows, counts = emotion_comparison(driver)
    assert {k: counts[k] for k in ("viral", "other", "captions")} == {"viral": 2, "other": 12, "captions": 14}
    assert 0 < counts["read"] <= 14 and counts["english"] <= 14  # what the lexicon could read, stated
    by = {r["emotion"]: r for r in rows}
    assert by["surprise"]["viral_share"] == 0.5 and by["anger"]["viral_share"] == 0.5
    assert by["arousal"]["viral_share"] == 1.0 and by["arousal"]["other_share"] < 1.0


def cli():  # type: ignore[no-untyped-def]
    from influence.cli import cli as group

    return group


def test_html_report_has_the_safety_and_emotion_sections(
    driver: Driver, loaded: tuple[CliRunner, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from influence.report import html
    from influence.report.html import build_report

    few = build_report(driver, tmp_path / "few", top=5)  # 2 viral posts: too few to compare
    assert few.counts["emotions"] == 0 and "too few to compare emotions" in few.notes["emotions"]
    assert "found emotion words in" in few.path.read_text(encoding="utf-8")
    monkeypatch.setattr(html, "MIN_EMOTION_GROUP", 1)
    result = build_report(driver, tmp_path / "report", top=5)
    page = result.path.read_text(encoding="utf-8")
    assert result.counts["safety"] == 3 and result.counts["emotions"] == 9
    section = page[page.index('id="safety-table"') : page.index('id="emotions"')]
    assert section.index("@risky") < section.index("@mixed") and "@clean" not in section
    assert "violence" in section and "67%" in section
    assert "drugs: “cocaine”" in section and "drugs:cocaine" not in section  # the example's flags in words
    assert "threat of violence: “I know where you live and tomorrow I will make you bleed”" in section
    emotions = page[page.index('id="emotions-table"') :]
    assert "Viral posts (2)" in emotions and "Other posts (12)" in emotions
