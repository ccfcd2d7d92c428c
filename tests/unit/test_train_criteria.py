"""Shipped criteria files for each kind of data, and `train` pointing to the one that fits
when the default labels nothing (issue 12: Reddit posts are at most 17 h old, min_age_hours 24)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from influence.cli import cli
from influence.errors import ConfigError
from influence.models.criteria import SHIPPED, criteria_path, load_criteria, shipped_criteria

FOLDER = Path(__file__).resolve().parents[2] / "src" / "influence" / "models" / "criteria_files"


def test_every_shipped_criteria_file_loads_and_is_listed() -> None:
    assert {p.stem for p in FOLDER.glob("*.toml")} == set(SHIPPED)
    for name, path in shipped_criteria().items():
        assert path.is_file() and load_criteria(path).source == str(path), name
    listed = CliRunner().invoke(cli, ["criteria", "list", "--format", "csv"])
    assert listed.exit_code == 0 and all(f"--criteria {name}" in listed.stdout for name in SHIPPED)


def test_criteria_by_path_name_or_unique_start(tmp_path: Path) -> None:
    own = tmp_path / "mine.toml"
    own.write_text("min_age_hours = 1.0\n")
    assert criteria_path(str(own)) == own
    assert (
        criteria_path("reddit-final-top10")
        == criteria_path("reddit")
        == shipped_criteria()["reddit-final-top10"]
    )
    assert load_criteria(criteria_path("reddit")).min_age_hours == 6.0
    with pytest.raises(ConfigError, match="reddit-final-top10, profilecrawl-2017"):
        criteria_path("nothing-like-it")
    shown = CliRunner().invoke(cli, ["criteria", "show", "profilecrawl", "--format", "json"])
    assert shown.exit_code == 0 and '"min_age_hours": 72.0' in shown.stdout
    missing = CliRunner().invoke(cli, ["criteria", "show", str(tmp_path / "none.toml")])
    assert missing.exit_code == 1 and "criteria list" in missing.output
