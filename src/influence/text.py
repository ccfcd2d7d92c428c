"""Caption text: hashtags, mentions, URLs and language (pure functions).

Instagram hashtags are letters, combining marks (Thai and Devanagari vowel signs, viramas),
digits and underscores of any script after ``#`` (zero-width joiners inside a tag are kept),
not all digits; a ``#`` inside a URL (``https://x.com/page#section``), an HTML entity
(``&#123;``) or a word (``C#``) is not a hashtag, and a tag ends at the first other character
(an emoji, punctuation). Mentions follow Instagram's username rules (letters, digits, ``.`` and
``_``, at most 30 characters); an e-mail address is not a mention. Text is normalised to NFC
first, so a tag typed with decomposed accents equals the composed one. Both are normalised to
lower case and returned in first-seen order without duplicates.

These functions are the one place every loader and ``predict`` take hashtags and mentions
from. They use the ``regex`` package because the standard ``re`` has no Unicode property
classes: its ``\\w`` stops at a combining mark, so ``#ภูเขา`` became ``ภ``.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import OrderedDict
from typing import Any

import regex

URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
#: One character of a hashtag: a letter, a combining mark, a decimal digit or ``_`` in any
#: script; ZWNJ/ZWJ (Persian, Indic conjuncts) only inside a tag.
TAG_CHAR = r"[\p{L}\p{M}\p{Nd}_]"
_TAG_BODY = TAG_CHAR + r"+(?:[\u200c\u200d]+" + TAG_CHAR + r"+)*"
HASHTAG_RE = regex.compile(r"(?<![\p{L}\p{M}\p{Nd}_&#/])[#＃](" + _TAG_BODY + ")")
_TAG_FULL = regex.compile(_TAG_BODY)
# the lookahead refuses a name longer than 30 characters instead of cutting it to 30
MENTION_RE = re.compile(r"(?<![\w.@])@([A-Za-z0-9._]{1,30})(?![A-Za-z0-9_]|\.[A-Za-z0-9_])")

#: Language identification abstains below this normalised probability.
MIN_LANGUAGE_CONFIDENCE = 0.6
#: ... and on texts with fewer letters than this (after hashtags, mentions and URLs are removed).
MIN_LANGUAGE_LETTERS = 12


def unique(items: list[str]) -> list[str]:
    """``items`` without repeats, in first-seen order."""
    return list(dict.fromkeys(items))


def strip_urls(text: str) -> str:
    """``text`` with every URL replaced by a space."""
    return URL_RE.sub(" ", text)


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (composed accents)."""
    return unicodedata.normalize("NFC", text)


def normalise_hashtag(tag: str) -> str | None:
    """``'#Sunset'`` → ``'sunset'``, ``'#ภูเขา'`` → ``'ภูเขา'`` (NFC, lower case); None for
    something that is not a hashtag."""
    tag = nfc(tag).strip().lstrip("#＃").strip().lower()
    if not tag or not _TAG_FULL.fullmatch(tag) or tag.isdigit():
        return None
    return tag


#: A link to a profile: any host form (``instagram.com``, ``www.``, ``m.``, ``instagr.am``,
#: ``twitter.com``/``x.com``, ``tiktok.com/@``), with or without scheme, query or fragment.
_PROFILE_URL_RE = re.compile(
    r"^(?:https?://)?(?:[a-z0-9-]+\.)*(?:instagram\.com|instagr\.am|twitter\.com|x\.com|tiktok\.com|threads\.net)"
    r"(?::\d+)?/+(?P<path>[^?#]*)",
    re.IGNORECASE,
)
#: Path segments of a profile link that come before the username (``/_u/name`` app links).
_PROFILE_PREFIXES = frozenset({"_u", "u", "accounts", "stories"})


def profile_url_user(value: str) -> str | None:
    """The username in a profile link: ``https://www.instagram.com/Demo.Pier/?hl=en`` →
    ``Demo.Pier``, ``instagram.com/_u/demo.pier``, ``https://www.tiktok.com/@demo.pier``;
    None when ``value`` is not a profile link (a post link ``/p/…`` is not one)."""
    m = _PROFILE_URL_RE.match(value.strip())
    if not m:
        return None
    parts = [p for p in m.group("path").split("/") if p]
    while parts and parts[0].lower() in _PROFILE_PREFIXES:
        parts = parts[1:]
    if not parts or parts[0].lower() in ("p", "reel", "reels", "tv", "explore", "status"):
        return None
    return parts[0].lstrip("@")


def user_key(value: str) -> str:
    """The one user-key rule of every loader and column: a profile link (any host form,
    query strings, ``/_u/`` links) → its username, a leading ``@`` stripped, surrounding space
    removed, lower case. The result is not validated (see :func:`normalise_username`)."""
    value = value.strip()
    linked = profile_url_user(value)
    if linked is not None:
        value = linked
    return value.lstrip("@").strip().lower()


def normalise_username(name: str) -> str | None:
    """``'@Some.User'`` → ``'some.user'``, ``'https://instagram.com/Some.User/?hl=en'`` →
    ``'some.user'`` (:func:`user_key`); None for something that is not a username."""
    name = user_key(name).rstrip(".")
    if not name or not re.fullmatch(r"[a-z0-9._]{1,30}", name):
        return None
    return name


def extract_hashtags(text: str | None) -> list[str]:
    """Hashtags in ``text``, lower-case, without ``#``, first-seen order, no duplicates."""
    if not text:
        return []
    found = (normalise_hashtag(m) for m in HASHTAG_RE.findall(strip_urls(nfc(text))))
    return unique([t for t in found if t])


def extract_mentions(text: str | None) -> list[str]:
    """Mentioned usernames in ``text``, lower-case, without ``@``, first-seen order."""
    if not text:
        return []
    found = (normalise_username(m) for m in MENTION_RE.findall(strip_urls(nfc(text))))
    return unique([u for u in found if u])


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


#: Distinct caption bodies whose language :func:`detect_language` remembers (keyed by the
#: body's hash, so an entry is a few dozen bytes whatever the caption's length): a post seen
#: in several scrapes, or a caption copied across posts, is classified once.
LANGUAGE_CACHE_SIZE = 1 << 16
_languages: OrderedDict[tuple[int, int], str | None] = OrderedDict()


def detect_language(text: str | None) -> str | None:
    """ISO 639-1 code of the caption's language, or None when the text is too short or unclear.

    Uses py3langid, whose model ships inside the package (no download). Each distinct caption
    is classified once (the last :data:`LANGUAGE_CACHE_SIZE` are remembered).
    """
    if not text:
        return None
    body = HASHTAG_RE.sub(" ", MENTION_RE.sub(" ", strip_urls(text)))
    key = (len(body), hash(body))
    if key in _languages:
        _languages.move_to_end(key)
        return _languages[key]
    if len(list(itertools.islice(filter(str.isalpha, body), MIN_LANGUAGE_LETTERS))) < MIN_LANGUAGE_LETTERS:
        found = None
    else:
        lang, prob = _identifier().classify(body)
        found = str(lang) if prob >= MIN_LANGUAGE_CONFIDENCE else None
    _languages[key] = found
    if len(_languages) > LANGUAGE_CACHE_SIZE:
        _languages.popitem(last=False)
    return found
