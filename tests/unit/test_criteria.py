"""Virality criteria: the shipped default, user files over it, validation, `criteria show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from influence.cli import cli
from influence.errors import ConfigError
from influence.models.criteria import Criteria, criteria_from_mapping, describe, load_criteria


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "criteria.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_is_complete_and_documented() -> None:
    c = load_criteria(None)
    assert isinstance(c, Criteria)
    assert c.source == "default"
    assert c.baseline == "author_median" and c.scope == "global"
    assert c.threshold == "top_percent" and c.threshold_value == 10.0
    assert c.window_hours == 24.0 and c.min_age_hours == 24.0
    assert c.weights == {"views": 0.1, "likes": 1.0, "comments": 3.0, "shares": 5.0}
    text = (Path(__file__).parents[2] / "src/influence/models/criteria_default.toml").read_text()
    assert text.count("#") > 30  # the default file is user documentation


def test_user_file_overrides_keys_and_replaces_tables(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'baseline = "per_follower"\nscope = "language"\n[weights]\nlikes = 2\n[threshold]\nz = 2.5\n',
    )
    c = load_criteria(path)
    assert c.baseline == "per_follower" and c.scope == "language"
    assert c.window_hours == 24.0  # left out: the default
    assert c.weights == {"views": 0.0, "likes": 2.0, "comments": 0.0, "shares": 0.0}
    assert c.metrics == ("likes",)
    assert (c.threshold, c.threshold_value) == ("z", 2.5)
    assert c.source == str(path)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('baseline = "followers"', "'baseline' must be one of absolute, per_follower, author_median"),
        ('scope = "city"', "'scope' must be one of global, country, language, community"),
        ("window_hours = 0", "'window_hours' must be a number > 0"),
        ('window_hours = "24"', "'window_hours' must be a number"),
        ("min_author_posts = 0", "'min_author_posts' must be a whole number >= 1"),
        ("[threshold]\ntop_percent = 10\nz = 2", "exactly one of top_percent, z"),
        ("[threshold]\ntop = 10", "exactly one of top_percent, z"),
        ("[threshold]\ntop_percent = 100", "'threshold.top_percent' must be below 100"),
        ("[weights]\nsaves = 1", "unknown metric 'saves'"),
        ("[weights]\nlikes = -1", "weight of 'likes' must be a number >= 0"),
        ("[weights]\nlikes = 0", "at least one weight must be > 0"),
        ("colour = 1", "unknown criteria key(s) 'colour'"),
        ("window_hours = = 3", "not valid TOML"),
    ],
)
def test_invalid_values_name_the_key_and_allowed_values(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(ConfigError, match=None) as err:
        load_criteria(write(tmp_path, text))
    assert needle in str(err.value)


def test_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_criteria(tmp_path / "nope.toml")


def test_describe_round_trips() -> None:
    c = load_criteria(None)
    again = criteria_from_mapping(describe(c))
    assert again == c
    flat = describe(c, flat=True)
    assert flat["weights.comments"] == 3.0 and flat["threshold.top_percent"] == 10.0


def test_cli_criteria_show(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["criteria", "show"])
    assert res.exit_code == 0, res.output
    assert "author_median" in res.output and "threshold.top_percent" in res.output
    path = write(tmp_path, "[threshold]\nz = 2\n")
    res = runner.invoke(cli, ["criteria", "show", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["threshold"] == {"z": 2.0}
    res = runner.invoke(cli, ["criteria", "show", str(write(tmp_path, 'scope = "city"'))])
    assert res.exit_code == 1
    assert "Error: criteria key 'scope' must be one of" in res.output
