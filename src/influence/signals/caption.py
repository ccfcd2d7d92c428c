"""Content features of captions: a spaCy pipeline with VADER sentiment, emoji and call-to-action
components, and timing features (pure functions on sequences and frames).

spaCy's trained pipelines cannot be downloaded here, so :func:`build_nlp` starts from
``spacy.blank("en")`` and adds this module's registered components. Its tokenizer splits on
whitespace only: that keeps ``#hashtags``, ``@mentions``, URLs, emoticons and emoji runs whole,
and it is exactly how VADER itself tokenizes, so the tokens are the words VADER scores (and it
is about seven times faster than the rule-based English tokenizer, which matters at thousands
of captions a second). Captions in any language and script pass through without error; VADER's
lexicon is English, so other languages mostly score neutral, which the ``language`` feature
lets the model learn.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import emoji
import numpy as np
import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from influence.signals.emotions import DEFAULT_LEXICON, EMOTION_COLUMNS, emotion_features
from influence.signals.hashtags import hashtag_count
from influence.text import (
    URL_RE,
    detect_language,
    extract_mentions,
)

#: Numeric columns of :func:`content_features`, then the categorical ``language``.
NUMERIC_FEATURES: tuple[str, ...] = (
    "caption_length",
    "word_count",
    "hashtag_count",
    "mention_count",
    "emoji_count",
    "url_count",
    "question",
    "exclamation",
    "uppercase_ratio",
    "sentiment_compound",
    "sentiment_pos",
    "sentiment_neg",
    "cta",
    *EMOTION_COLUMNS,
)
CONTENT_COLUMNS: tuple[str, ...] = (*NUMERIC_FEATURES, "language")

#: Call-to-action phrases by language (matched case-, accent- and width-insensitively, as
#: whole words). Curated from common Instagram marketing captions.
CTA_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "link in bio",
        "link in my bio",
        "link in profile",
        "click the link",
        "tap the link",
        "swipe up",
        "comment below",
        "let me know in the comments",
        "tell me in the comments",
        "drop a comment",
        "tag a friend",
        "tag your friends",
        "tag someone",
        "tag a friend who",
        "share this",
        "save this post",
        "save for later",
        "double tap",
        "follow me",
        "follow us",
        "follow for more",
        "dm me",
        "dm us",
        "giveaway",
        "enter to win",
        "to win",
        "shop now",
        "buy now",
        "order now",
        "sign up",
        "subscribe",
        "use code",
        "discount code",
        "promo code",
        "limited time",
        "don't miss",
        "turn on notifications",
        "check out",
        "available now",
        "pre-order",
        "preorder",
    ),
    "es": (
        "link en la bio",
        "link en bio",
        "enlace en la bio",
        "enlace en bio",
        "etiqueta a un amigo",
        "etiqueta a tus amigos",
        "menciona a un amigo",
        "comenta",
        "déjame en los comentarios",
        "sorteo",
        "síguenos",
        "sígueme",
        "compra ahora",
        "comparte",
        "desliza hacia arriba",
        "usa el código",
    ),
    "pt": (
        "link na bio",
        "link no perfil",
        "marque um amigo",
        "marca um amigo",
        "marque seus amigos",
        "comente",
        "sorteio",
        "siga",
        "me siga",
        "compre agora",
        "compartilhe",
        "arrasta pra cima",
        "use o cupom",
    ),
    "fr": (
        "lien en bio",
        "lien dans la bio",
        "lien dans ma bio",
        "identifie un ami",
        "identifie tes amis",
        "tague un ami",
        "commente",
        "concours",
        "abonne-toi",
        "abonnez-vous",
        "partage",
        "achetez maintenant",
    ),
    "de": (
        "link in der bio",
        "link im profil",
        "markiere einen freund",
        "markiere deine freunde",
        "kommentiere",
        "gewinnspiel",
        "folge mir",
        "folgt uns",
        "jetzt kaufen",
        "jetzt bestellen",
        "teile",
    ),
    "it": (
        "link in bio",
        "tagga un amico",
        "tagga i tuoi amici",
        "commenta",
        "concorso",
        "seguimi",
        "seguici",
        "acquista ora",
        "condividi",
    ),
    "id": ("link di bio", "tag teman", "tag temanmu", "ikuti", "beli sekarang"),
    "tr": ("linki biyografide", "arkadaşını etiketle", "çekiliş", "takip et", "hemen al"),
    "ru": (
        "ссылка в био",
        "ссылка в профиле",
        "ссылка в шапке",
        "отметь друга",
        "отметьте друзей",
        "розыгрыш",
        "конкурс",
        "подписывайся",
        "подписывайтесь",
        "пиши в комментариях",
    ),
}
#: Hashtags (without '#') that are calls to action on their own (matched as whole words).
CTA_HASHTAGS: frozenset[str] = frozenset(
    {
        "linkinbio",
        "linkinprofile",
        "giveaway",
        "giveaways",
        "contest",
        "sorteo",
        "sorteio",
        "concours",
        "gewinnspiel",
        "concorso",
        "tagafriend",
        "tagyourfriends",
        "shopnow",
        "swipeup",
        "discountcode",
        "promocode",
        "follow4follow",
        "followforfollow",
        "like4like",
        "likeforlike",
    }
)

_QUESTION = frozenset("?¿？؟\u037e")
_EXCLAIM = frozenset("!¡！")
_WORD_RE = re.compile(r"\w+")
_MARKS_RE = re.compile(r"[@#＃]\w+")
# combining diacritics of Latin, Greek and Cyrillic (not the vowel signs of Indic scripts,
# which are letters of their words)
_DIACRITICS_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """``text`` for matching: Unicode-compatibility-normalised, case-folded, without accents
    (``"ＬＩＮＫ in Bío"`` → ``"link in bio"``)."""
    text = unicodedata.normalize("NFKD", text).casefold()
    return text if text.isascii() else _DIACRITICS_RE.sub("", text)


_TOKEN_RE = re.compile(r"\w+")


class PhraseSet:
    """Whole-word phrase matching on folded text (see :func:`fold`).

    Text and phrases are both cut into ``\\w+`` words, so "Scunthorpe" never contains a
    shorter word, punctuation and any run of whitespace between words do not matter
    ("self-harm" matches "self harm"), and a hashtag that *is* a phrase matches ("#casino").
    Matches are leftmost-longest and do not overlap. A dictionary walk over the words keyed by
    each phrase's first word is several times faster than one regex alternation of all phrases.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases: dict[tuple[str, ...], str] = {}
        for phrase in phrases:
            folded = fold(phrase)
            words = tuple(_TOKEN_RE.findall(folded))
            if words:
                self.phrases.setdefault(words, " ".join(folded.split()))
        lengths: dict[str, set[int]] = {}
        for words in self.phrases:
            lengths.setdefault(words[0], set()).add(len(words))
        self._lengths = {w: sorted(ls, reverse=True) for w, ls in lengths.items()}

    def __len__(self) -> int:
        return len(self.phrases)

    def spans(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """``(start, end, phrase)`` of each match in the folded ``words``."""
        out: list[tuple[int, int, str]] = []
        if self._lengths.keys().isdisjoint(words):  # the usual case, checked at C speed
            return out
        i, n = 0, len(words)
        while i < n:
            for size in self._lengths.get(words[i], ()):
                key = tuple(words[i : i + size])
                if len(key) == size and key in self.phrases:
                    out.append((i, i + size, self.phrases[key]))
                    i += size
                    break
            else:
                i += 1
        return out

    def findall(self, folded_text: str) -> list[str]:
        """The phrases found in ``folded_text`` (already folded), in order, with repeats."""
        return [p for _, _, p in self.spans(_TOKEN_RE.findall(folded_text))]


_CTA = PhraseSet([*(p for phrases in CTA_PHRASES.values() for p in phrases), *CTA_HASHTAGS])


class FastSentimentAnalyzer(SentimentIntensityAnalyzer):  # type: ignore[misc]
    """VADER with identical scores, minus its quadratic cost on long captions.

    VADER lower-cases the *whole* word list in every negation and idiom check of every
    sentiment word; both checks look at most three words back and two ahead, so they get that
    window instead (indices shifted; the callers guarantee ``i`` is past the window start).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)

    def polarity_scores(self, text: str) -> dict[str, float]:
        """VADER's scores of ``text`` (identical to ``SentimentIntensityAnalyzer``)."""
        if not (text.isascii() or self._emoji_chars.isdisjoint(text)):
            return dict(super().polarity_scores(text))
        # No emoji to spell out: VADER would rebuild the same text one character at a time
        # (up to 40 % of its time on a long caption). The rest is VADER's method verbatim.
        sentitext = SentiText(text.strip())
        sentiments: list[float] = []
        words_and_emoticons = sentitext.words_and_emoticons
        for i, item in enumerate(words_and_emoticons):
            valence = 0
            if item.lower() in BOOSTER_DICT:
                sentiments.append(valence)
                continue
            if (
                i < len(words_and_emoticons) - 1
                and item.lower() == "kind"
                and words_and_emoticons[i + 1].lower() == "of"
            ):
                sentiments.append(valence)
                continue
            sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return dict(self.score_valence(sentiments, text.strip()))

    @staticmethod
    def _negation_check(valence: float, words_and_emoticons: list[str], start_i: int, i: int) -> float:
        lo = max(0, i - 3)
        return float(
            SentimentIntensityAnalyzer._negation_check(
                valence, words_and_emoticons[lo : i + 3], start_i, i - lo
            )
        )

    @staticmethod
    def _special_idioms_check(valence: float, words_and_emoticons: list[str], i: int) -> float:
        lo = max(0, i - 3)
        return float(
            SentimentIntensityAnalyzer._special_idioms_check(valence, words_and_emoticons[lo : i + 3], i - lo)
        )


@functools.cache
def sentiment_analyzer() -> FastSentimentAnalyzer:
    """The process-wide VADER analyzer (its lexicon loads once)."""
    return FastSentimentAnalyzer()


def _emoji_regex() -> re.Pattern[str]:
    """One emoji (with its skin tone, variation selectors and ZWJ continuations), a flag or a
    keycap: counts exactly like ``emoji.emoji_count`` but several times faster."""
    points = sorted({ord(k[0]) for k in emoji.EMOJI_DATA if not k[0].isascii()})
    ranges: list[tuple[int, int]] = []
    for cp in points:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    base = (
        "["
        + "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
        )
        + "]"
    )
    mods = "[\ufe0f\ufe0e\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]*"
    return re.compile(
        f"[0-9#*]\ufe0f?\u20e3|[\U0001f1e6-\U0001f1ff]{{2}}|{base}{mods}(?:\u200d{base}{mods})*"
    )


_EMOJI_RE = _emoji_regex()


def count_emoji(text: str) -> int:
    """Number of emoji in ``text`` (a skin-tone, ZWJ or flag sequence counts once)."""
    return 0 if text.isascii() else len(_EMOJI_RE.findall(text))


def _set_extensions() -> None:
    for name, default in (
        ("sentiment", None),
        ("emoji_count", 0),
        ("cta", None),
        ("raw", None),
        ("folded", None),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


class WhitespaceTokenizer:
    """spaCy's rule-free tokenizer (whitespace only) that also keeps the raw text on the doc:
    ``Doc.text`` is rebuilt from the tokens on every access, which costs more than VADER."""

    def __init__(self, nlp: Language) -> None:
        self.inner = Tokenizer(nlp.vocab)

    def __call__(self, text: str) -> Doc:
        doc: Doc = self.inner(text)
        doc._.raw = text
        return doc


def _text(doc: Doc) -> str:
    raw = doc._.raw
    if raw is None:
        raw = doc._.raw = doc.text
    return str(raw)


def _folded(doc: Doc) -> str:
    if doc._.folded is None:
        doc._.folded = fold(_text(doc))
    return str(doc._.folded)


_NEUTRAL = {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}


@Language.component("influence_vader")
def vader_component(doc: Doc) -> Doc:
    """``doc._.sentiment``: VADER's ``compound`` (-1..1), ``pos``, ``neg`` and ``neu`` scores."""
    text = _text(doc)
    doc._.sentiment = sentiment_analyzer().polarity_scores(text) if text.strip() else dict(_NEUTRAL)
    return doc


@Language.component("influence_emoji")
def emoji_component(doc: Doc) -> Doc:
    """``doc._.emoji_count``: emoji in the text (a skin-tone or ZWJ sequence counts once)."""
    doc._.emoji_count = count_emoji(_text(doc))
    return doc


@Language.component("influence_cta")
def cta_component(doc: Doc) -> Doc:
    """``doc._.cta``: the call-to-action phrases and hashtags found (folded), in order."""
    # CTA hashtags ("#linkinbio") are one-word phrases: as words they only occur as hashtags
    doc._.cta = _CTA.findall(_folded(doc))
    return doc


def build_nlp() -> Language:
    """A spaCy pipeline: ``spacy.blank("en")`` with a whitespace tokenizer and the components
    ``influence_emoji``, ``influence_cta`` and ``influence_vader`` (see the module doc)."""
    _set_extensions()
    nlp = spacy.blank("en")
    nlp.tokenizer = WhitespaceTokenizer(nlp)  # no rules: split on whitespace, like VADER
    for name in ("influence_emoji", "influence_cta", "influence_vader"):
        nlp.add_pipe(name)
    return nlp


@functools.cache
def default_nlp() -> Language:
    """The pipeline of :func:`build_nlp`, built once per process."""
    return build_nlp()


def _annotations(texts: list[str], nlp: Language | None) -> Iterable[tuple[int, list[str], dict[str, float]]]:
    """``(emoji_count, cta phrases, sentiment)`` per text.

    Without ``nlp`` the pipeline's three components run as plain functions on the text: the
    results are the same, and building a spaCy ``Doc`` (lexemes, token array, extensions) for
    every caption cost three times as much as the components themselves.
    """
    if nlp is not None:
        for doc in nlp.pipe(texts, batch_size=512):
            yield doc._.emoji_count, doc._.cta, doc._.sentiment
        return
    vader = sentiment_analyzer()
    for text in texts:
        if not text:
            yield 0, [], _NEUTRAL
            continue
        sentiment = vader.polarity_scores(text) if text.strip() else dict(_NEUTRAL)
        yield count_emoji(text), _CTA.findall(fold(text)), sentiment


def content_features(
    captions: Sequence[str | None],
    hashtags: Sequence[Sequence[str]] | None = None,
    nlp: Language | None = None,
    languages: Sequence[str | None] | None = None,
    emotion_lexicon: str = DEFAULT_LEXICON,
) -> pd.DataFrame:
    """One row of content features per caption (same order, index 0..n-1).

    Columns (all numeric except ``language``): ``caption_length`` (characters),
    ``word_count`` (words other than hashtags, mentions and URLs), ``hashtag_count``
    (distinct hashtags in the caption and in ``hashtags``), ``mention_count``,
    ``emoji_count``, ``url_count``, ``question`` and ``exclamation`` (1 when the caption has a
    question / exclamation mark, in any script), ``uppercase_ratio`` (upper-case share of the
    letters), ``sentiment_compound`` / ``sentiment_pos`` / ``sentiment_neg`` (VADER),
    ``cta`` (number of call-to-action phrases and hashtags), ``emo_<emotion>`` and
    ``emo_arousal`` (:func:`influence.signals.emotions.emotion_features` with the lexicon
    ``emotion_lexicon``) and ``language`` (ISO 639-1 code,
    a pandas categorical; missing when too short or unclear). A missing caption gives zeros
    and no language. ``hashtags``, when given, has one list per caption (gallery-dl's ``tags``).

    ``nlp`` is a pipeline from :func:`build_nlp` to run the captions through; by default its
    components run without one (same results, faster). ``languages``, when given, has the
    captions' languages already known (``Post.language`` in the graph, detected by the loader
    with the same function): they fill the ``language`` column instead of detecting again.
    """
    n = len(captions)
    if hashtags is not None and len(hashtags) != n:
        raise ValueError(f"hashtags has {len(hashtags)} entries for {n} captions")
    if languages is not None and len(languages) != n:
        raise ValueError(f"languages has {len(languages)} entries for {n} captions")
    texts = [c if isinstance(c, str) else "" for c in captions]
    cols: dict[str, np.ndarray[Any, Any]] = {name: np.zeros(n) for name in NUMERIC_FEATURES}
    languages_out: list[str | None] = [None] * n
    for i, (emojis, cta, sentiment) in enumerate(_annotations(texts, nlp)):
        text = texts[i]
        if not text:
            if hashtags is not None:
                cols["hashtag_count"][i] = hashtag_count("", hashtags[i])
            continue
        cols["caption_length"][i] = len(text)
        # a URL always has "://" or "www." (the regex ignores case): skip the scan otherwise
        urls = URL_RE.findall(text) if "://" in text or "www." in text.lower() else []
        body = URL_RE.sub(" ", text) if urls else text
        cols["url_count"][i] = len(urls)
        cols["word_count"][i] = len(_WORD_RE.findall(_MARKS_RE.sub(" ", body)))
        cols["hashtag_count"][i] = hashtag_count(text, hashtags[i] if hashtags is not None else None)
        cols["mention_count"][i] = len(extract_mentions(text)) if "@" in text else 0
        cols["emoji_count"][i] = emojis
        chars = set(text)
        cols["question"][i] = 1.0 if chars & _QUESTION else 0.0
        cols["exclamation"][i] = 1.0 if chars & _EXCLAIM else 0.0
        letters = sum(map(str.isalpha, body))
        cols["uppercase_ratio"][i] = sum(map(str.isupper, body)) / letters if letters else 0.0
        cols["sentiment_compound"][i] = sentiment["compound"]
        cols["sentiment_pos"][i] = sentiment["pos"]
        cols["sentiment_neg"][i] = sentiment["neg"]
        cols["cta"][i] = len(cta)
        if languages is None:
            languages_out[i] = detect_language(text)
        else:
            given = languages[i]
            languages_out[i] = given if isinstance(given, str) and given else None
    cols.update(emotion_features(texts, emotion_lexicon))
    frame = pd.DataFrame(cols)
    for name in (
        "caption_length",
        "word_count",
        "hashtag_count",
        "mention_count",
        "emoji_count",
        "url_count",
        "cta",
    ):
        frame[name] = frame[name].astype("int64")
    frame["language"] = pd.Categorical(languages_out)
    return frame[list(CONTENT_COLUMNS)]


def timing_features(posted_at: pd.Series) -> pd.DataFrame:
    """``hour`` (0–23) and ``weekday`` (0 = Monday) of each publication time, in UTC; NaN
    where the time is missing or unparseable. Naive times are taken as UTC."""
    when = pd.to_datetime(posted_at, utc=True, errors="coerce")
    return pd.DataFrame(
        {"hour": when.dt.hour.astype(float), "weekday": when.dt.day_of_week.astype(float)},
        index=posted_at.index,
    )
