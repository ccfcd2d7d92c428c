"""Audience overlap, the campaign reach planner and audience quality (issue 13, part 3)."""

from __future__ import annotations

import itertools
import json
import math
import random
from pathlib import Path

import pytest

from influence.analytics.audience import greedy_coverage, jaccard, score_signals
from influence.errors import ConfigError

# --------------------------------------------------------------------------- pure


def _coverage(sets: dict[str, set[str]], chosen: list[str]) -> int:
    return len(set().union(*(sets[k] for k in chosen))) if chosen else 0


def test_greedy_coverage_is_within_1_minus_1_over_e_of_the_best() -> None:
    rng = random.Random(3)
    worst = 1.0
    for _ in range(40):
        universe = [f"m{i}" for i in range(40)]
        sets = {f"a{j}": set(rng.sample(universe, rng.randint(1, 15))) for j in range(9)}
        k = rng.randint(1, 4)
        picked = [a for a, _ in greedy_coverage(sets, k)]
        best = max(_coverage(sets, list(c)) for c in itertools.combinations(sets, k))
        got = _coverage(sets, picked)
        assert len(picked) <= k
        assert got >= (1 - 1 / math.e) * best
        worst = min(worst, got / best)
    assert worst < 1.0 or worst == 1.0  # the bound holds; greedy is often optimal on small cases


def test_greedy_coverage_gains_are_marginal_and_shrink() -> None:
    sets = {"big": {"1", "2", "3", "4"}, "twin": {"1", "2", "3"}, "other": {"5", "6"}}
    picks = greedy_coverage(sets, 2)
    # the twin of the biggest audience adds nothing new: the planner takes the other audience
    assert picks == [("big", 4.0), ("other", 2.0)]


def test_greedy_coverage_with_costs_respects_the_budget() -> None:
    sets = {"star": set(map(str, range(10))), "a": {"a1", "a2", "a3"}, "b": {"b1", "b2", "b3"}, "c": {"c1"}}
    costs = {"star": 10.0, "a": 1.0, "b": 1.0, "c": 1.0}
    picks = greedy_coverage(sets, 3.0, costs=costs)
    assert sum(costs[k] for k, _ in picks) <= 3.0
    assert {k for k, _ in picks} == {"a", "b", "c"}
    # with the budget for the star alone, the single best affordable account wins
    assert greedy_coverage(sets, 10.0, costs=costs)[0][0] == "star"
    with pytest.raises(ConfigError):
        greedy_coverage(sets, 3.0, costs={**costs, "c": 0.0})


def test_greedy_coverage_with_engagement_weights() -> None:
    sets = {"loud": set(map(str, range(10))), "engaged": set(map(str, range(10, 16)))}
    picks = greedy_coverage(sets, 1, weights={"loud": 0.01, "engaged": 0.5})
    assert picks[0][0] == "engaged" and picks[0][1] == pytest.approx(3.0)


def test_score_signals_and_jaccard() -> None:
    clean = {
        "audience": 20,
        "followsMany": 0,
        "noProfile": 0,
        "profiled": 20,
        "noPosts": 0,
        "tierZ": 0.3,
        "history": [1000, 1010],
    }
    bought = {
        "audience": 20,
        "followsMany": 8,
        "noProfile": 10,
        "profiled": 10,
        "noPosts": 8,
        "tierZ": -4.5,
        "history": [1000, 1800, 1800],
    }
    a, b = score_signals(clean), score_signals(bought)
    assert a["score"] == pytest.approx(100.0)
    assert b["risks"]["follower_jump"] == 1.0 and b["risks"]["engagement_off_tier"] == 1.0
    assert b["risks"]["no_posts"] == pytest.approx(0.8)
    assert b["score"] < 30
    unknown = score_signals({**clean, "tierZ": None, "history": []})
    assert unknown["risks"]["engagement_off_tier"] is None and unknown["risks"]["follower_jump"] is None
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3) and jaccard(set(), set()) == 0.0


# --------------------------------------------------------------------------- on the sample


# --------------------------------------------------------------------------- the generator's plant


def test_sample_writes_bought_audiences_as_ground_truth_says(tmp_path: Path) -> None:
    from influence.sample import SampleParameters, generate_sample

    out = tmp_path / "s"
    summary = generate_sample(out, SampleParameters(users=60, seed=3, images=0, bought_audiences=2))
    truth = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))
    assert summary.bought_audiences == 2 and len(truth["bought_audiences"]) == 2
    folders = [s["folder"] for s in truth["scrapes"]]
    bots = set(truth["bots"]["profiled"]) | set(truth["bots"]["unprofiled"])
    assert summary.bots == len(bots) == truth["bots"]["count"]
    for b in truth["bought_audiences"]:
        user = b["username"]
        counts = [
            json.loads((out / f / "instagram" / user / "info.json").read_text())["follower_count"]
            for f in folders
        ]
        assert counts[0] > 4 * b["genuine_followers"] and counts[1] > 1.5 * counts[0]  # bought, then a jump
        dump = json.loads((out / folders[0] / "instagram" / user / f"{user}.followers.json").read_text())
        listed = {entry[2]["username"] for entry in dump}
        assert len(listed & bots) == b["bot_followers"] >= 30
    for name in truth["bots"]["profiled"][:3]:
        profile = json.loads((out / folders[0] / "instagram" / name / "info.json").read_text())
        assert profile["media_count"] == 0 and profile["following_count"] >= 2000
    assert not (out / folders[0] / "instagram" / truth["bots"]["unprofiled"][0]).exists()
    plain = tmp_path / "plain"
    assert generate_sample(plain, SampleParameters(users=60, seed=3, images=0)).bots == 0
