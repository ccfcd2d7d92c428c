"""Content features: the spaCy pipeline with VADER, emoji and call-to-action components."""

from __future__ import annotations

import math

import emoji
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from influence.signals.caption import (
    CONTENT_COLUMNS,
    PhraseSet,
    build_nlp,
    content_features,
    count_emoji,
    fold,
    sentiment_analyzer,
    timing_features,
)

CAPTIONS = [
    "I love this gorgeous sunset, best day ever! 😍😍 #sunset #Beach @anna https://x.co/a",
    "This is the worst, most horrible service. I hate it.",
    None,
    "Link in bio! Tag a friend who needs this? #giveaway",
    "Enlace en la bío: ¡SÍGUENOS y comenta! Sorteo para todos nuestros seguidores de Madrid",
    "Подписывайся на наш канал, ссылка в профиле! Розыгрыш каждую неделю для подписчиков",
    "東京の夜景がとても綺麗でした。また行きたいです！🇯🇵",
    "مرحبا بكم في صفحتنا الرسمية، تابعونا للمزيد من الصور الجميلة",
    "👩🏽‍💻 coding all night 👍🏻 #️⃣",
    "",
]


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    return content_features(CAPTIONS)


def test_columns_and_types(features: pd.DataFrame) -> None:
    assert list(features.columns) == list(CONTENT_COLUMNS)
    assert len(features) == len(CAPTIONS)
    numeric = features.drop(columns="language")
    assert all(pd.api.types.is_numeric_dtype(t) for t in numeric.dtypes)
    assert isinstance(features["language"].dtype, pd.CategoricalDtype)


def test_counts_of_the_first_caption(features: pd.DataFrame) -> None:
    row = features.iloc[0]
    assert row["caption_length"] == len(CAPTIONS[0])
    assert row["hashtag_count"] == 2 and row["mention_count"] == 1 and row["url_count"] == 1
    assert row["emoji_count"] == 2
    assert row["exclamation"] == 1 and row["question"] == 0
    # "I love this gorgeous sunset best day ever" — hashtags, mention and URL are not words
    assert row["word_count"] == 8
    assert row["cta"] == 0


def test_sentiment_is_vader(features: pd.DataFrame) -> None:
    reference = SentimentIntensityAnalyzer()
    assert features.loc[0, "sentiment_compound"] == reference.polarity_scores(CAPTIONS[0])["compound"] > 0.5
    assert features.loc[1, "sentiment_compound"] < -0.5
    assert features.loc[1, "sentiment_neg"] > features.loc[1, "sentiment_pos"]


def test_missing_and_empty_captions_are_zero(features: pd.DataFrame) -> None:
    for i in (2, 9):
        row = features.iloc[i]
        assert row.drop("language").sum() == 0
        assert pd.isna(row["language"])


def test_call_to_action_in_several_languages(features: pd.DataFrame) -> None:
    assert features.loc[3, "cta"] == 3  # link in bio, tag a friend, #giveaway
    assert features.loc[4, "cta"] >= 3  # enlace en la bio, síguenos, comenta, sorteo (accent-insensitive)
    assert features.loc[5, "cta"] >= 3  # подписывайся, ссылка в профиле, розыгрыш
    assert features.loc[3, "question"] == 1 and features.loc[4, "exclamation"] == 1


def test_multilingual_captions_do_not_crash_and_get_a_language(features: pd.DataFrame) -> None:
    assert features.loc[1, "language"] == "en"
    assert features.loc[4, "language"] == "es"
    assert features.loc[5, "language"] == "ru"
    assert features.loc[7, "language"] == "ar"
    assert features.loc[6, "exclamation"] == 1  # the full-width ！
    assert features.loc[6, "emoji_count"] == 1  # a flag is one emoji


def test_uppercase_ratio(features: pd.DataFrame) -> None:
    assert features.loc[4, "uppercase_ratio"] > features.loc[1, "uppercase_ratio"] > 0
    assert features.loc[7, "uppercase_ratio"] == 0  # Arabic has no case


def test_emoji_counting_matches_the_emoji_package() -> None:
    for text in [CAPTIONS[0], CAPTIONS[8], "© 2024 ™ ‼ 🇫🇷🇩🇪 1️⃣ ❤️❤️", "plain ascii :)", "👨‍👩‍👧‍👦 family"]:
        assert count_emoji(text) == emoji.emoji_count(text), text


def test_fast_vader_equals_vader() -> None:
    reference = SentimentIntensityAnalyzer()
    long_text = " ".join(["It was not good at all, kind of bad, but the ending was GREAT!!"] * 30)
    for text in [*[c for c in CAPTIONS if c], long_text, "no doubt, never so happy", "least happy, at least"]:
        assert sentiment_analyzer().polarity_scores(text) == reference.polarity_scores(text), text


def test_pipeline_components() -> None:
    nlp = build_nlp()
    assert nlp.pipe_names == ["influence_emoji", "influence_cta", "influence_vader"]
    doc = nlp("Tag a friend 😂 #LinkInBio")
    assert [t.text for t in doc] == ["Tag", "a", "friend", "😂", "#LinkInBio"]
    assert doc._.emoji_count == 1
    assert doc._.cta == ["tag a friend", "linkinbio"]
    assert doc._.sentiment["compound"] > 0


def test_fold_is_case_accent_and_width_insensitive() -> None:
    assert fold("ＬＩＮＫ in Bío") == "link in bio"
    assert fold("Ça") == "ca"


def test_phrase_set_matches_whole_words_longest_first() -> None:
    phrases = PhraseSet(["tag a friend", "tag a friend who", "self-harm", "ass", "Síguenos"])
    assert len(phrases) == 5
    text = fold("TAG a friend who cares; self harm; Scunthorpe class; sIGUENOS! #ass")
    assert phrases.findall(text) == ["tag a friend who", "self-harm", "siguenos", "ass"]
    assert phrases.findall(fold("tag  a\nfriend")) == ["tag a friend"]
    assert PhraseSet([]).findall("anything") == [] and PhraseSet(["!!"]).findall("!!") == []


def test_given_hashtags_are_counted_once() -> None:
    f = content_features(
        ["#Sun and sea", None, "x", "y"],
        hashtags=[["sun", "#Sea", "##"], ["travel"], float("nan"), "#a, b c"],
    )
    assert f["hashtag_count"].tolist() == [2, 1, 0, 3]
    with pytest.raises(ValueError, match="hashtags has 1 entries for 2 captions"):
        content_features(["a", "b"], hashtags=[["x"]])


def test_timing_features() -> None:
    posted = pd.Series(["2024-03-04T23:30:00Z", "2024-03-05T01:30:00+02:00", None, "not a date"])
    t = timing_features(posted)
    assert t.loc[0, "hour"] == 23 and t.loc[0, "weekday"] == 0  # a Monday
    assert t.loc[1, "hour"] == 23 and t.loc[1, "weekday"] == 0  # the same instant in UTC
    assert math.isnan(t.loc[2, "hour"]) and math.isnan(t.loc[3, "weekday"])
