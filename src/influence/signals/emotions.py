"""Emotions of captions: eight categories of Plutchik's wheel plus an arousal score.

Content that evokes high-arousal emotions (awe, anger, anxiety) is shared more, and sadness
(low arousal) less (Berger & Milkman 2012, "What makes online content viral?", J. Marketing
Research 49(2)). This module counts the emotion words of a caption with a lexicon that ships
inside a PyPI package:

* ``empath`` (the default) — the emotion categories of Empath (Fast, Chen & Bernstein 2016,
  CHI; package ``empath``, MIT licence): joy, anger, fear, sadness, surprise, disgust, trust,
  anticipation, each widened with Empath's closest categories (joy + cheerfulness + optimism;
  anger + rage; fear + nervousness + horror). A company may use it.
* ``nrc`` (opt-in: ``pip install 'influence-graph[nrc]'``) — the NRC Word-Emotion Association
  Lexicon (Mohammad & Turney 2013) as the ``nrclex`` package ships it. **Its terms of use allow
  research only**; a commercial use needs a licence from the National Research Council Canada.

Arousal is derived from the emotion words, not from rated norms: each emotion sits high or low
on the arousal axis of Russell's circumplex (1980) — anger, fear and surprise high, anticipation
and joy moderately high, disgust neutral, trust and sadness low — and a caption's arousal is
the mean of its emotion words' positions (-1 … 1, 0 without emotion words). Rated arousal norms
(Warriner et al. 2013, NRC VAD) are not shipped in a PyPI package under a licence a company may
use, so they are not used.

Matching: whole words of the case-folded caption; a word also matches after one common English
ending is removed (``-s``, ``-es``, ``-ed``, ``-ing``, ``-ly``), so "terrified"/"terrify" and
"thrills"/"thrill" meet. Both lexicons are English: other languages mostly score zero.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from influence.errors import ConfigError

#: The eight emotions, in column order.
EMOTIONS: tuple[str, ...] = (
    "joy",
    "anger",
    "fear",
    "sadness",
    "surprise",
    "disgust",
    "trust",
    "anticipation",
)
#: Feature columns: ``emo_<emotion>`` (share of the caption's words, 0–1) and ``emo_arousal`` (-1 … 1).
EMOTION_COLUMNS: tuple[str, ...] = (*(f"emo_{e}" for e in EMOTIONS), "emo_arousal")
LEXICONS = ("empath", "nrc")
DEFAULT_LEXICON = "empath"
#: Position of each emotion on the arousal axis of Russell's circumplex (-1 calm … 1 excited).
AROUSAL: dict[str, float] = {
    "anger": 1.0,
    "fear": 1.0,
    "surprise": 1.0,
    "anticipation": 0.5,
    "joy": 0.5,
    "disgust": 0.0,
    "trust": -0.5,
    "sadness": -1.0,
}
LICENCES: dict[str, str] = {
    "empath": "Empath (Fast et al. 2016), MIT licence",
    "nrc": "NRC Word-Emotion Association Lexicon (Mohammad & Turney 2013), research use only",
}
#: Empath categories merged into each emotion.
_EMPATH: dict[str, tuple[str, ...]] = {
    "joy": ("joy", "cheerfulness", "optimism"),
    "anger": ("anger", "rage"),
    "fear": ("fear", "nervousness", "horror"),
    "sadness": ("sadness",),
    "surprise": ("surprise",),
    "disgust": ("disgust",),
    "trust": ("trust",),
    "anticipation": ("anticipation",),
}
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ENDINGS = ("ing", "ed", "es", "ly", "s")


def _package_file(package: str, *parts: str, install: str) -> Path:
    spec = importlib.util.find_spec(package)  # without importing it (empath imports requests)
    if spec is None or spec.origin is None:
        raise ConfigError(f"the {package!r} emotion lexicon is not installed — {install}")
    return Path(spec.origin).parent.joinpath(*parts)


@functools.cache
def lexicon(name: str = DEFAULT_LEXICON) -> Mapping[str, frozenset[str]]:
    """word → the emotions it carries, for the lexicon ``name`` (:data:`LEXICONS`).

    Raises :class:`ConfigError` for an unknown name or a lexicon whose package is missing.
    """
    if name not in LEXICONS:
        raise ConfigError(f"unknown emotion lexicon {name!r}; choose one of {', '.join(LEXICONS)}")
    words: dict[str, set[str]] = {}
    if name == "empath":
        path = _package_file(
            "empath", "data", "categories.tsv", install="pip install empath (a dependency of influence-graph)"
        )
        cats: dict[str, list[str]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            cats[parts[0]] = parts[1:]
        for emotion, sources in _EMPATH.items():
            for source in sources:
                for word in cats.get(source, []):
                    words.setdefault(word.casefold(), set()).add(emotion)
    else:
        path = _package_file(
            "nrclex", "data", "nrc_en.json", install="pip install 'influence-graph[nrc]' (research use only)"
        )
        for word, affects in json.loads(path.read_text(encoding="utf-8")).items():
            found = {a for a in affects if a in EMOTIONS}
            if found:
                words.setdefault(word.casefold(), set()).update(found)
    return {w: frozenset(e) for w, e in words.items()}


def _lookup(word: str, lex: Mapping[str, frozenset[str]]) -> frozenset[str] | None:
    hit = lex.get(word)
    if hit is not None:
        return hit
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            hit = lex.get(stem) or lex.get(stem + "e")
            if hit is not None:
                return hit
    return None


def emotion_words(text: str, name: str = DEFAULT_LEXICON) -> dict[str, list[str]]:
    """The words of ``text`` that carry each emotion (emotion → words in order; only emotions found)."""
    lex = lexicon(name)
    out: dict[str, list[str]] = {}
    for word in _WORD_RE.findall(text.casefold()):
        for emotion in sorted(_lookup(word, lex) or ()):
            out.setdefault(emotion, []).append(word)
    return out


def emotion_features(texts: Sequence[str], name: str = DEFAULT_LEXICON) -> dict[str, np.ndarray]:
    """:data:`EMOTION_COLUMNS` for each text: ``emo_<emotion>`` is the share (0–1) of the text's
    words that carry the emotion; ``emo_arousal`` the mean arousal (:data:`AROUSAL`) of its
    emotion words (-1 … 1; 0 without any)."""
    lex = lexicon(name)
    n = len(texts)
    cols = {c: np.zeros(n) for c in EMOTION_COLUMNS}
    cache: dict[str, frozenset[str] | None] = {}
    for i, text in enumerate(texts):
        if not text:
            continue
        words = _WORD_RE.findall(text.casefold())
        if not words:
            continue
        counts = dict.fromkeys(EMOTIONS, 0)
        arousal: list[float] = []
        for word in words:
            if word not in cache:
                cache[word] = _lookup(word, lex)
            hit = cache[word]
            if hit:
                for emotion in hit:
                    counts[emotion] += 1
                arousal.append(sum(AROUSAL[e] for e in hit) / len(hit))
        for emotion, count in counts.items():
            cols[f"emo_{emotion}"][i] = count / len(words)
        cols["emo_arousal"][i] = sum(arousal) / len(arousal) if arousal else 0.0
    return cols
