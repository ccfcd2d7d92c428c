"""Load summaries that add up (issue 12, item 1): the per-kind table against the graph and the raw
input, the progress lines against the summary, scrapes only for what was loaded, readable reasons."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from neo4j import Driver

from influence import db
from influence.cli import cli
from influence.ingest import LoadSummary, ingest, readable
from influence.loaders.records import PostRecord, ScrapeRecord, UserRecord
from influence.sample import SampleParameters, generate_sample

pytestmark = pytest.mark.integration


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def count(driver: Driver, query: str) -> int:
    return int(db.read(driver, query)[0][0])


def kind_table(output: str) -> dict[str, dict[str, int]]:
    """The summary's per-kind table: kind → {records, new, updated, unchanged, created, total}."""
    names = ["records", "new", "updated", "unchanged", "created", "total"]
    table: dict[str, dict[str, int]] = {}
    for line in output.splitlines():
        cells = line.split()
        if (
            len(cells) == 7
            and cells[0]
            in ("accounts", "posts", "observations", "follows", "likes", "comments", "hashtags", "scrapes")
            and cells[1].replace(",", "").isdigit()
        ):
            table[cells[0]] = {n: int(c.replace(",", "")) for n, c in zip(names, cells[1:], strict=True)}
    return table


def item(output: str, name: str) -> int:
    for line in output.splitlines():
        if line.startswith(name + "  "):
            return int(line[len(name) :].strip().replace(",", ""))
    raise AssertionError(f"{name!r} not in:\n{output}")


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "s"
    generate_sample(out, SampleParameters(users=40, seed=7, scrapes=3, images=5))
    return out


def test_sample_summary_adds_up_and_matches_the_graph(
    clean_db: Driver, cli_env: dict[str, str], small_sample: Path, tmp_path: Path
) -> None:
    truth = json.loads((small_sample / "ground_truth.json").read_text())
    result = run(cli_env, "load", "gallery-dl", str(small_sample), "--rejects", str(tmp_path / "r.jsonl"))
    assert result.exit_code == 0, result.output
    table = kind_table(result.stdout)
    # created = what the graph gained, per kind; total = what it holds
    graph = {
        "accounts": count(clean_db, "MATCH (n:User) RETURN count(n)"),
        "posts": count(clean_db, "MATCH (n:Post) RETURN count(n)"),
        "observations": count(clean_db, "MATCH (n:Observation) RETURN count(n)"),
        "follows": count(clean_db, "MATCH ()-[r:FOLLOWS]->() RETURN count(r)"),
        "hashtags": count(clean_db, "MATCH (n:Hashtag) RETURN count(n)"),
        "scrapes": count(clean_db, "MATCH (n:Scrape) RETURN count(n)"),
    }
    for kind, n in graph.items():
        assert table[kind]["created"] == n == table[kind]["total"], (kind, table, graph)
    # the sample's own figures: accounts, posts, observations (one per post per scrape it is in), 3 scrapes
    assert graph["accounts"] == truth["counts"]["users"]
    assert graph["posts"] == truth["counts"]["posts"]
    assert graph["observations"] == truth["counts"]["observations"] > 0
    assert graph["scrapes"] == 3  # one per dated folder; none for the root that holds them
    for kind, row in table.items():
        assert row["records"] == row["new"] + row["updated"] + row["unchanged"], (kind, row)
    read, written, rejected = (
        item(result.stdout, n) for n in ("records read", "records written", "rejected")
    )
    assert read == written + rejected
    assert written == sum(r["records"] for k, r in table.items() if k != "scrapes")
    # the progress (plain lines: CliRunner's stderr is not a terminal) ends on the summary's figures
    last = [line for line in result.stderr.splitlines() if line.startswith("load:")][-1]
    assert f"{read:,} records read, {written:,} written, {rejected:,} rejected" in last, result.stderr
    files = re.search(r"load: ([\d,]+)/([\d,]+) files", last)
    assert files is not None and files.group(1) == files.group(2)
    assert "\r" not in result.stderr

    again = run(cli_env, "load", "gallery-dl", str(small_sample), "--rejects", str(tmp_path / "r.jsonl"))
    table2 = kind_table(again.stdout)
    assert all(row["created"] == 0 and row["new"] == 0 for row in table2.values()), table2
    assert table2["posts"]["unchanged"] == table["posts"]["records"]  # post counts never regress
    assert count(clean_db, "MATCH (n:Scrape) RETURN count(n)") == 3


def test_analyze_counts_its_steps_on_stderr(
    clean_db: Driver, cli_env: dict[str, str], small_sample: Path, tmp_path: Path
) -> None:
    assert (
        run(
            cli_env, "-q", "load", "gallery-dl", str(small_sample), "--rejects", str(tmp_path / "r")
        ).exit_code
        == 0
    )
    result = run(cli_env, "analyze", "--only", "engagement,viral")
    assert result.exit_code == 0, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("analyze: 2/2 steps (") and "viral done in" in last, result.stderr
    assert "analyze:" not in result.stdout and "\r" not in result.stderr
    assert run(cli_env, "-q", "analyze", "--only", "engagement").stderr == ""


def test_quiet_prints_nothing_on_stderr(
    clean_db: Driver, cli_env: dict[str, str], small_sample: Path, tmp_path: Path
) -> None:
    for args in (["-q", "load"], ["load"]):
        extra = ["-q"] if args == ["load"] else []
        result = run(
            cli_env, *args, "gallery-dl", str(small_sample), *extra, "--rejects", str(tmp_path / "r.jsonl")
        )
        assert result.exit_code == 0 and result.stderr == "", result.stderr
        assert "records read" in result.stdout


def test_nothing_usable_creates_no_scrape(clean_db: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "accounts.csv"
    bad.write_text("username,followers\nnot a username!,5\n", encoding="utf-8")
    result = run(
        cli_env, "load", "csv", str(bad), "--kind", "accounts", "--rejects", str(tmp_path / "r.jsonl")
    )
    assert result.exit_code == 1 and "nothing usable" in result.output
    assert count(clean_db, "MATCH (n) RETURN count(n)") == 0


def test_folder_of_two_csvs_counts_two_files(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.csv").write_text("username,followers\nann,10\nbob,20\n", encoding="utf-8")
    (folder / "b.csv").write_text("username,followers\ncid,30\n", encoding="utf-8")
    result = run(
        cli_env, "load", "csv", str(folder), "--kind", "accounts", "--rejects", str(tmp_path / "r.jsonl")
    )
    assert result.exit_code == 0, result.output
    assert item(result.stdout, "files") == 2
    assert kind_table(result.stdout)["accounts"]["new"] == 3


def test_reddit_load_counts_the_subreddit_accounts(
    clean_db: Driver, cli_env: dict[str, str], shared_data: Path, tmp_path: Path
) -> None:
    file = shared_data / "engagement-timeseries" / "reddit_rall_top100_hourly_2024-01-01_07.csv"
    with file.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    subreddits = {r["subreddit_display_name"].lower() for r in rows if r["subreddit_display_name"]}
    result = run(
        cli_env, "load", "csv", str(file), "--kind", "observations", "--rejects", str(tmp_path / "r.jsonl")
    )
    assert result.exit_code == 0, result.output
    table = kind_table(result.stdout)
    authors = count(clean_db, "MATCH (u:User) WHERE u.id STARTS WITH 'reddit:r/' RETURN count(u)")
    assert authors == len(subreddits) > 10
    assert table["accounts"]["created"] == count(clean_db, "MATCH (n:User) RETURN count(n)") >= authors
    assert (
        table["observations"]["new"]
        == count(clean_db, "MATCH (n:Observation) RETURN count(n)")
        == len({(r["id"], r["date"]) for r in rows})
    )


def test_wikipedia_footer_reason_is_readable(
    clean_db: Driver, cli_env: dict[str, str], shared_data: Path, tmp_path: Path
) -> None:
    file = shared_data / "instagram-top-accounts" / "List of most-followed Instagram accounts.csv"
    rejects = tmp_path / "r.jsonl"
    result = run(cli_env, "load", "csv", str(file), "--kind", "accounts", "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    assert "\\xa0" not in result.output and "As of 4 January 2023" in result.output
    reasons = [json.loads(line)["reason"] for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert any("As of 4 January 2023" in r for r in reasons) and not any("\\xa0" in r for r in reasons)


def test_readable_reasons() -> None:
    assert readable(repr("As of 4\xa0January")) == "'As of 4 January'"
    assert readable(repr("caf\u00e9 \u3000x")) == "'café  x'"
    assert readable(repr("zero\u200bwidth\x00")) == "'zero\\u200bwidth\\x00'"  # invisible ones stay visible
    assert readable(repr("a\\xa0")) == "'a\\\\xa0'"  # a backslash typed in the input stays as typed


def test_ingest_summary_counts_records_and_outcomes(clean_db: Driver, tmp_path: Path) -> None:
    records = [
        ScrapeRecord("empty", "test", path="/nothing"),  # superseded before any record: not written
        ScrapeRecord("s1", "test", path="/s1"),
        UserRecord("ann", followers=5),
        UserRecord("ann", followers=5),  # a repeat in the same batch
        UserRecord("ann", followers=6),  # a change in the same batch
        PostRecord("p1", author="ann", hashtags=["a", "b"], mentions=["bob"]),
        UserRecord(""),  # rejected
    ]
    seen: list[LoadSummary] = []
    summary = ingest(clean_db, records, tmp_path / "r.jsonl", progress=seen.append)
    assert summary.read == 5 and summary.rejected == 1
    assert summary.written["users"] == 3 and summary.written["scrapes"] == 1
    assert dict(summary.outcomes["users"]) == {"new": 1, "unchanged": 1, "updated": 1}
    assert (
        summary.created("accounts") == 2
        and summary.created("hashtags") == 2
        and summary.created("scrapes") == 1
    )
    assert seen[-1] is summary and len(seen) == len(records) + 1
    assert count(clean_db, "MATCH (s:Scrape) RETURN count(s)") == 1
    assert count(clean_db, "MATCH (u:User {id: 'ann'}) RETURN u.followers") == 6
    again = ingest(clean_db, records[:-1], tmp_path / "r.jsonl")
    assert again.created("accounts") == 0 and again.outcomes["posts"]["unchanged"] == 1
    assert again.outcomes["users"]["new"] == 0
