"""Emotion features: Empath (MIT) by default, NRC opt-in; arousal from the circumplex."""

from __future__ import annotations

import importlib.util

import pytest

from influence.errors import ConfigError
from influence.models import catalogue
from influence.signals.caption import CONTENT_COLUMNS, content_features
from influence.signals.emotions import EMOTION_COLUMNS, EMOTIONS, emotion_features, emotion_words, lexicon


def test_default_lexicon_covers_the_eight_emotions() -> None:
    lex = lexicon()
    found = {e for emotions in lex.values() for e in emotions}
    assert found == set(EMOTIONS)
    assert len(lex) > 500


def test_emotions_and_arousal_of_captions() -> None:
    cols = emotion_features(
        [
            "Furious and outraged, this is disgusting",
            "Sad and depressed today, so much grief",
            "Wow what a shocking surprise, I am thrilled",
            "Lunch at noon",
            "",
        ]
    )
    assert cols["emo_anger"][0] > 0 and cols["emo_disgust"][0] > 0 and cols["emo_arousal"][0] > 0.5
    assert cols["emo_sadness"][1] > 0 and cols["emo_arousal"][1] < 0
    assert cols["emo_surprise"][2] > 0 and cols["emo_joy"][2] > 0 and cols["emo_arousal"][2] > 0.5
    for c in EMOTION_COLUMNS:
        assert cols[c][3] == 0 and cols[c][4] == 0


def test_inflected_words_match() -> None:
    words = emotion_words("She was terrified and the crowd thrills")
    assert "terrified" in words.get("fear", [])
    assert "thrills" in words.get("anticipation", []) + words.get("joy", [])


def test_emotions_are_content_features_with_plain_names() -> None:
    frame = content_features(["So excited and thrilled!", None])
    assert set(EMOTION_COLUMNS) <= set(CONTENT_COLUMNS)
    assert frame.loc[0, "emo_arousal"] > 0 and frame.loc[1, "emo_joy"] == 0
    for c in EMOTION_COLUMNS:
        assert catalogue.plain_name(c) != c.replace("_", " ")


def test_unknown_lexicon_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown emotion lexicon 'liwc'"):
        lexicon("liwc")


@pytest.mark.skipif(importlib.util.find_spec("nrclex") is not None, reason="nrclex installed")
def test_nrc_without_its_extra_says_how_to_install() -> None:
    with pytest.raises(ConfigError, match=r"influence-graph\[nrc\].*research use only"):
        lexicon("nrc")
