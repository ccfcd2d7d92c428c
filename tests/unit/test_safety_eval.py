"""Precision and recall of each brand-safety check on the labelled set stay above the floors
measured when the checks were added (docs/brand-safety.md, "Brand safety: measured"). The set is
tests/fixtures/safety/labelled.csv: hateful without profanity, profane without hate, violent,
harmless (22–24 captions each)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from influence.safety.evaluation import evaluate_checks
from influence.safety.policy import load_policy

FIXTURE = Path(__file__).parents[1] / "fixtures" / "safety" / "labelled.csv"
HOLDOUT = Path(__file__).parents[1] / "fixtures" / "safety" / "holdout.csv"
#: check → (precision floor, recall floor); measured 0.75/0.68, 1.00/0.04, 1.00/0.71, 1.00/0.12, 1.00/0.55, 0.98/0.71
FLOORS = {
    "offensive_language": (0.70, 0.60),
    "hate_speech": (0.90, 0.04),
    "hate_pattern": (0.95, 0.65),
    "hate": (0.90, 0.10),
    "violence": (0.95, 0.50),
    "any flag": (0.95, 0.70),
}


def _figures(path: Path) -> dict[str, dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        r["check"]: r
        for r in evaluate_checks([r["text"] for r in rows], [r["label"] for r in rows], load_policy(None))
    }


@pytest.fixture(scope="module")
def figures() -> dict[str, dict[str, object]]:
    with FIXTURE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["label"]] = counts.get(r["label"], 0) + 1
    assert min(counts.values()) >= 20 and set(counts) == {"hateful", "profane", "violent", "harmless"}
    return {
        r["check"]: r
        for r in evaluate_checks([r["text"] for r in rows], [r["label"] for r in rows], load_policy(None))
    }


@pytest.mark.parametrize("check", list(FLOORS))
def test_precision_and_recall_stay_above_the_measured_floor(
    figures: dict[str, dict[str, object]], check: str
) -> None:
    precision, recall = FLOORS[check]
    row = figures[check]
    assert row["precision"] is not None and float(row["precision"]) >= precision, row  # type: ignore[arg-type]
    assert float(row["recall"]) >= recall, row  # type: ignore[arg-type]


def test_harmless_idioms_are_not_violence(figures: dict[str, dict[str, object]]) -> None:
    # "killing it at the photo shoot", "dressed to kill", "bath bomb" are in the harmless set
    assert figures["violence"]["false_alarms"] == []


def test_hate_pattern_on_the_second_set_and_benign_group_mentions() -> None:
    # 20 hateful captions without slurs and 20 harmless ones that name the same groups or use the
    # same words about other things ("rats in this old barn", "Happy Pride to our gay friends")
    fig = _figures(HOLDOUT)
    assert float(fig["hate_pattern"]["recall"]) >= 0.9  # type: ignore[arg-type]  # measured 1.00
    assert fig["hate_pattern"]["false_alarms"] == [] and fig["any flag"]["false_alarms"] == []
    assert fig["hate_speech"]["recall"] == 0.0  # the model misses all of them: why the rule exists
