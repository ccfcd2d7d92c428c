"""Shipped criteria files for each kind of data, and `train` pointing to the one that fits
when the default labels nothing (issue 12: Reddit posts are at most 17 h old, min_age_hours 24)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence.cli import cli
from influence.ingest import ingest
from influence.loaders import csv_input


@pytest.mark.integration
def test_train_on_reddit_names_the_key_and_points_to_the_reddit_criteria(
    clean_db: Driver, cli_env: dict[str, str], shared_data: Path, tmp_path: Path
) -> None:
    file = shared_data / "engagement-timeseries" / "reddit_rall_top100_hourly_2023-12.csv"
    ingest(clean_db, csv_input.parse(file, "observations"), tmp_path / "rejects.jsonl")
    result = CliRunner().invoke(cli, ["-q", "train", "--out", str(tmp_path / "model")], env=cli_env)
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "no post could be labelled under the criteria (default)" in message
    assert "younger than min_age_hours (24 h):" in message  # the key and its count
    assert "`influence train --criteria reddit-final-top10 --target engagement --mode early`" in message
    labelled = int(message.split("would label ")[1].split()[0].replace(",", ""))
    assert labelled > 100
    # a small label set (under a quarter of the dated posts) is named with its keys and the file that fits
    few = tmp_path / "few.toml"
    few.write_text('min_age_hours = 12.0\nbaseline = "absolute"\n', encoding="utf-8")
    small = CliRunner().invoke(
        cli, ["train", "--criteria", str(few), "--out", str(tmp_path / "m2")], env=cli_env
    )
    said = " ".join(small.stderr.split())
    assert "dated posts could be labelled (younger than min_age_hours (12 h):" in said, said
    assert "--criteria reddit-final-top10 --target engagement --mode early" in said
