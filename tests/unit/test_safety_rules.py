"""The rule matchers for threats, dehumanisation, incitement and harassment (models/safety_rules.py).

tests/fixtures/safety/kinds_dev.csv is the half the rules were written from; kinds_test.csv was
committed before the rules and is only measured (docs/brand-safety.md, "Brand safety: threats, dehumanisation, incitement and harassment without slurs")."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from influence import glossary
from influence.errors import ConfigError
from influence.safety import rules as safety_rules
from influence.safety.checks import check_safety
from influence.safety.evaluation import KIND_LABELS, evaluate_kinds
from influence.safety.policy import load_policy, policy_from_mapping

FIXTURES = Path(__file__).parents[1] / "fixtures" / "safety"


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_labelled_set_covers_each_kind_and_near_miss_in_two_halves() -> None:
    dev, test = _rows("kinds_dev.csv"), _rows("kinds_test.csv")
    assert len(dev) + len(test) >= 200
    assert not {r["text"] for r in dev} & {r["text"] for r in test}  # no caption in both halves
    for half in (dev, test):
        kinds = {r["kind"] for r in half}
        assert kinds == {*KIND_LABELS, "benign"}
        themes = {r["theme"] for r in half if r["kind"] == "benign"}
        assert {
            "workout",
            "deals",
            "shoot",
            "bomb",
            "grief",
            "competition",
            "history",
            "crime_drama",
        } <= themes
        assert {r["lang"] for r in half if r["kind"] == "threat"} >= {"en", "es", "pt"}


@pytest.mark.parametrize("row", _rows("kinds_dev.csv"), ids=lambda r: r["text"][:40])
def test_every_dev_caption_gets_its_kind(row: dict[str, str]) -> None:
    [hits] = safety_rules.find_harm([row["text"]])
    kinds = {h.kind for h in hits}
    if row["kind"] == "benign":
        assert not kinds, hits
    else:
        assert row["kind"] in kinds, hits


def test_test_half_meets_the_targets() -> None:
    result = evaluate_kinds(_rows("kinds_test.csv"), load_policy(None))
    by = {r["kind"]: r for r in result["kinds"]}
    assert by["threat"]["recall"] >= 0.8 and by["dehumanisation"]["recall"] >= 0.8, by
    assert all(r["recall"] >= 0.8 and r["precision"] >= 0.9 for r in by.values()), by
    assert result["benign"]["rate_rules"] <= 0.05, result["benign"]["by_rules"]


def test_the_issues_drafts_are_flagged_with_the_phrase_and_the_harmless_ones_are_not() -> None:
    texts = [
        "people from that country are vermin and should be driven out of our towns",
        "I know where you live and tomorrow I will make you bleed",
        "This workout killed me",
        "Killer deals all weekend",
        "We shot the campaign in Lisbon",
        "That outfit is the bomb",
        "We lost our old dog",
        "We crushed the competition",
    ]
    results = check_safety(texts, None, load_policy(None))
    assert [d.category for d in results[0].details if d.check == "speech_rules"] == ["dehumanisation"]
    assert "threat:I know where you live and tomorrow I will make you bleed" in results[1].flags
    assert all(not any(d.check == "speech_rules" for d in r.details) for r in results[2:])
    assert glossary.flag_words(results[1].flags[0]) == (
        "threat of violence: “I know where you live and tomorrow I will make you bleed”"
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Te voy a matar", "threat"),
        ("Sé dónde vives", "threat"),
        ("Vou te matar amanhã", "threat"),
        ("Eu sei onde você mora", "threat"),
        ("Mátate", "harassment"),
        ("Vai se matar", "harassment"),
        ("Quememos la mezquita", "incitement"),
        ("Esos inmigrantes son ratas", "dehumanisation"),
    ],
)
def test_spanish_and_portuguese(text: str, kind: str) -> None:
    [hits] = safety_rules.find_harm([text])
    assert kind in {h.kind for h in hits}


def test_hyperbole_and_romance_idioms_pass() -> None:
    texts = [
        "Me muero de risa",
        "Morri de rir",
        "You'll die when you taste this",
        "I'm going to kill this workout",
        "Vou te pegar no aeroporto",
        "Shoot them a message",
        "Kill them with kindness",
        "Attack the day",
    ]
    assert safety_rules.find_harm(texts) == [[] for _ in texts]


def test_a_long_sentence_is_quoted_around_the_match() -> None:
    text = (
        "After the long and tiring day at the market with all of the family and the neighbours and the dogs, "
        "I swear I will kill you if you post that again and then we can all go home and rest for the weekend"
    )
    [[hit]] = safety_rules.find_harm([text])
    assert hit.kind == "threat" and hit.phrase.startswith("… ") and hit.phrase.endswith(" …")
    assert "will kill you" in hit.phrase and len(hit.phrase) < 80


def test_ordinary_captions_are_not_tokenised() -> None:
    m = safety_rules._matcher()
    for text in (
        "Sunset at the beach with my best friends #summer",
        "New colours for spring",
        "Watch the full video, link in bio",
    ):
        assert m.candidates(set(safety_rules._WORD_RE.findall(text.lower()))) == [], text


def test_only_the_first_5000_characters_are_read() -> None:
    [late] = safety_rules.find_harm(["Lovely day. " * 500 + "I will kill you"])
    [early] = safety_rules.find_harm(["I will kill you. " + "Lovely day. " * 50_000])
    assert late == [] and [h.kind for h in early] == ["threat"]


def test_policy_picks_the_kinds_and_thresholds() -> None:
    text = "Kill yourself, nobody would miss you. I will hurt you"
    only_threats = policy_from_mapping({"speech_kinds": ["threat"]})
    [r] = check_safety([text], None, only_threats)
    assert {d.category for d in r.details if d.check == "speech_rules"} == {"threat"}
    two = policy_from_mapping({"thresholds": {"harassment": 3}})
    [r] = check_safety([text], None, two)
    assert {d.category for d in r.details if d.check == "speech_rules"} == {
        "threat"
    }  # 2 harassment phrases < 3
    with pytest.raises(ConfigError, match="speech_kinds.*'threats'"):
        policy_from_mapping({"speech_kinds": ["threats"]})
    assert load_policy(None).speech_kinds == tuple(KIND_LABELS)


def test_the_marketer_words_name_every_kind() -> None:
    assert glossary._SPEECH_KINDS == safety_rules.KINDS
    assert (
        glossary.flag_words("incitement:Burn their shops down")
        == "incitement to violence: “Burn their shops down”"
    )
