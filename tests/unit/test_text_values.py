"""Caption text (hashtags, mentions, language) and value coercion (counts, booleans, dates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from influence.text import (
    detect_language,
    extract_hashtags,
    extract_mentions,
    normalise_hashtag,
    normalise_username,
)
from influence.values import plausible_post_date, to_bool, to_count, to_datetime


def test_hashtags_skip_urls_entities_and_words() -> None:
    text = "#Sunset at https://x.com/page#section &#123; C# and #Zürich #sunset #2024 ＃Fullwidth"
    assert extract_hashtags(text) == ["sunset", "zürich", "fullwidth"]


def test_mentions_follow_username_rules() -> None:
    assert extract_mentions("hi @Some.User, @x_y. mail me at a@b.com @some.user") == ["some.user", "x_y"]
    assert extract_mentions("@" + "a" * 31) == []  # longer than 30: not a username (was cut to 30)
    assert extract_mentions("@" + "a" * 30 + ".") == ["a" * 30]  # a full stop after a 30-char name
    assert extract_mentions("@" + "a" * 29 + ".bb") == []  # 32 characters with a dot inside


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("#Sunset", "sunset"), ("  ＃Été ", "été"), ("#2024", None), ("#", None), ("a-b", None)],
)
def test_normalise_hashtag(raw: str, expected: str | None) -> None:
    assert normalise_hashtag(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("@Some.User", "some.user"), ("name.", "name"), ("has space", None), ("a" * 31, None), ("", None)],
)
def test_normalise_username(raw: str, expected: str | None) -> None:
    assert normalise_username(raw) == expected


def test_detect_language_abstains_on_short_text() -> None:
    assert detect_language("Sunset at the lake with my best friends tonight #sunset") == "en"
    assert detect_language("Sonnenuntergang am See mit meinen besten Freunden heute Abend") == "de"
    assert detect_language("#sunset @friend https://x.com") is None
    assert detect_language(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (124, 124),
        ("1,234", 1234),
        ("1.234", 1234),
        ("124k", 124000),
        ("1.2m", 1200000),
        ("3,5 M", 3500000),
        (12.0, 12),
        (None, None),
        ("", None),
    ],
)
def test_to_count(raw: object, expected: int | None) -> None:
    assert to_count(raw) == expected


@pytest.mark.parametrize("raw", [-1, True, "lots", float("nan"), [1], {"count": 1}])
def test_to_count_rejects(raw: object) -> None:
    with pytest.raises(ValueError):
        to_count(raw)


def test_to_bool() -> None:
    assert [to_bool(v) for v in (True, 0, "yes", "F", None)] == [True, False, True, False, None]
    with pytest.raises(ValueError):
        to_bool("maybe")


def test_to_datetime_formats() -> None:
    want = datetime(2024, 5, 1, 10, 40, tzinfo=UTC)
    assert to_datetime("2024-05-01 10:40:00") == want  # gallery-dl: naive UTC, no T
    assert to_datetime("2024-05-01T12:40:00+02:00") == want
    assert to_datetime("2024-05-01T10:40:00Z") == want
    assert to_datetime(1714560000) == want  # instaloader: epoch seconds
    assert to_datetime("1714560000") == want
    assert to_datetime(datetime(2024, 5, 1, 12, 40, tzinfo=timezone(timedelta(hours=2)))) == want
    assert to_datetime("[Invalid DateTime]") is None
    for bad in ("yesterday", True, 10**20, [2024], float("inf")):
        with pytest.raises(ValueError):
            to_datetime(bad)


def test_plausible_post_date() -> None:
    assert plausible_post_date(datetime(1970, 1, 1, tzinfo=UTC)) is None
    assert plausible_post_date(datetime(2017, 4, 1, tzinfo=UTC)) == datetime(2017, 4, 1, tzinfo=UTC)


def test_detect_language_remembers_a_bounded_number_of_captions(monkeypatch: pytest.MonkeyPatch) -> None:
    from influence import text

    monkeypatch.setattr(text, "LANGUAGE_CACHE_SIZE", 3)
    text._languages.clear()
    captions = [f"Sunset number {i} at the lake with my best friends tonight" for i in range(10)]
    first = [detect_language(c) for c in captions]
    assert len(text._languages) == 3  # bounded
    # a repeat gives the same answer whether remembered or classified again
    assert [detect_language(c) for c in captions] == first == ["en"] * 10
    assert detect_language("Sonnenuntergang am See mit meinen besten Freunden heute Abend") == "de"
    text._languages.clear()
