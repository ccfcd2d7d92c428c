"""Labels skip posts first observed too late (criteria key ``max_first_observation_hours``)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from influence.errors import ConfigError
from influence.models.criteria import criteria_from_mapping, describe, load_criteria
from influence.models.labels import label_posts
from influence.models.velocity import post_velocity

T0 = pd.Timestamp("2024-03-01 12:00", tz="UTC")


def h(hours: float) -> pd.Timestamp:
    return T0 + pd.Timedelta(hours=hours)


def frames(series: dict[str, tuple[float, list[tuple[float, float]]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """post -> (posted at, hours after T0; [(observed at, hours after posting; likes)])."""
    posts = pd.DataFrame(
        {
            "post": list(series),
            "author": "u",
            "posted_at": [h(t) for t, _ in series.values()],
            "author_followers": 1000,
        }
    )
    rows = [
        {"post": p, "at": h(t + age), "likes": likes}
        for p, (t, seen) in series.items()
        for age, likes in seen
    ]
    return posts, pd.DataFrame(rows)


def labelled(frame: pd.DataFrame) -> set[str]:
    return set(frame.loc[frame["is_viral"].notna(), "post"])


def viral(frame: pd.DataFrame) -> set[str]:
    return set(frame.loc[frame["is_viral"].fillna(False).astype(bool), "post"])


def test_velocity_reports_the_age_at_first_observation() -> None:
    posts, obs = frames({"p": (0, [(30, 300), (5, 50), (80, 900)])})
    v = post_velocity(obs, posts, 24, {"likes": 1}).set_index("post").loc["p"]
    assert v["first_age_hours"] == 5 and v["last_age_hours"] == 80 and v["age_hours"] == 5


def test_posts_first_seen_after_the_limit_get_no_label_and_no_say_in_baselines() -> None:
    # Same true speed (10 likes/h early); "old" posts were first scraped 60 days later, when
    # their engagement had levelled off, so engagement / age makes them look ~100x slower.
    series = {f"fresh{i}": (-100.0 * i, [(6, 60.0), (30, 240.0)]) for i in range(5)}
    series["hot"] = (-600, [(6, 600.0), (30, 2400.0)])  # 10x faster than the author's fresh posts
    series.update({f"old{i}": (-2000.0 - 10 * i, [(1440, 500.0)]) for i in range(6)})
    series["edge"] = (-700, [(48, 480.0)])  # first seen exactly at the limit: still labelled
    posts, obs = frames(series)
    c = replace(load_criteria(None), weights={"likes": 1.0}, threshold_value=10.0)
    assert c.max_first_observation_hours == 48.0
    v = post_velocity(obs, posts, c.window_hours, c.weights)
    frame = label_posts(v, posts, c)
    assert labelled(frame) == {*(f"fresh{i}" for i in range(5)), "hot", "edge"}
    assert viral(frame) == {"hot"}
    # the baseline is the median of the author's comparable posts only (10 likes/h), not
    # dragged down to ~0.35/h by the lifetime averages of the late ones
    assert frame.set_index("post").loc["fresh0", "baseline_value"] == pytest.approx(10.0)

    no_limit = label_posts(v, posts, replace(c, max_first_observation_hours=math.inf))
    assert labelled(no_limit) == set(series)  # the old rule: every post with a velocity
    strict = label_posts(v, posts, replace(c, max_first_observation_hours=6.0))
    assert "edge" not in labelled(strict) and "hot" in labelled(strict)


def test_the_first_observation_counts_not_the_one_the_velocity_uses() -> None:
    # first observed at 20 h (inside the 24 h window, the velocity uses it): with a 12 h
    # limit, too late all the same
    series = {f"a{i}": (-100.0 * i, [(2, 20.0), (30, 300.0)]) for i in range(4)}
    series["late_in_window"] = (-500, [(20, 200.0), (30, 300.0)])
    posts, obs = frames(series)
    c = replace(
        load_criteria(None), weights={"likes": 1.0}, baseline="absolute", max_first_observation_hours=12.0
    )
    frame = label_posts(post_velocity(obs, posts, 24, c.weights), posts, c)
    assert labelled(frame) == {f"a{i}" for i in range(4)}


def test_criteria_key_validation_and_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("max_first_observation_hours = inf\n", encoding="utf-8")
    c = load_criteria(path)
    assert math.isinf(c.max_first_observation_hours)
    assert describe(c)["max_first_observation_hours"] is None  # JSON-safe spelling of "no limit"
    assert criteria_from_mapping(describe(c)) == c
    path.write_text("max_first_observation_hours = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'max_first_observation_hours' must be a number > 0"):
        load_criteria(path)
    # a mapping written before the key existed (an older model's metadata) means no limit
    old = {k: v for k, v in describe(load_criteria(None)).items() if k != "max_first_observation_hours"}
    assert math.isinf(criteria_from_mapping(old).max_first_observation_hours)
