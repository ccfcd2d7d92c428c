"""Brand safety: two text models, an optional image model and the client's policy file.

Checks (each flag names its check, what it fired on and its score; :class:`SafetyFlag`):

* ``offensive_language`` — ``alt-profanity-check`` (a linear SVM on character and word
  n-grams trained on toxic comments; weights inside the PyPI package, MIT).
* ``hate_speech`` — ``hatesonar`` 0.1 (TF-IDF + logistic regression trained on Davidson et al.
  2017, "Automated Hate Speech Detection and the Problem of Offensive Language", ICWSM; its ONNX
  weights ship inside the PyPI package, MIT). The probability of the ``hate_speech`` class, for
  English captions (and those whose language is unknown).
* ``hate_pattern`` — a sentence that names an identity group (``identity_groups``) and calls it
  something dehumanising or hostile (``dehumanising_terms``): hate without slurs, which the
  hate-speech model misses. English; the score is the number of such sentences.
* ``threat``, ``dehumanisation``, ``incitement``, ``harassment`` (check ``speech_rules``) —
  spaCy rule matchers over tokens and lemmas (:mod:`influence.safety.rules`): harmful
  speech written without slurs or swear words ("I know where you live", "they are vermin and
  should be driven out", "burn their shops down", "kill yourself"), in English, and Spanish and
  Portuguese for each kind; the matched phrase is the flag's match, the score the number of
  distinct phrases. The policy's ``speech_kinds`` picks the kinds.
* ``<category>`` — the policy's term lists (violence, hate, self_harm, drugs, weapons, adult,
  and the client's own), per language; the score is the number of distinct terms found.
* ``explicit_image`` — NudeNet 3.4 (a YOLOv8n detector of exposed body parts; ONNX weights in
  the wheel, no download) when installed (``pip install 'influence-graph[nudity]'``; AGPL-3.0)
  and the media file is on disk; the score is the highest detection of an explicit class.
* ``negative_sentiment``, ``blocked_term``, ``blocked_hashtag`` — as before.

The policy (``policy_default.toml`` documents every key) sets a threshold per category. A post
that raises any flag is unsafe.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from influence.errors import ConfigError
from influence.safety.rules import KINDS as SPEECH_KINDS
from influence.signals.caption import PhraseSet, fold
from influence.text import normalise_hashtag, unique
from influence.tomlfile import read_over_default

DEFAULT_FILE = "policy_default.toml"
_KEYS = (
    "offensive_threshold",
    "min_sentiment",
    "blocked_terms",
    "blocked_hashtags",
    "allowed_phrases",
    "categories",
    "extend_categories",
    "thresholds",
    "explicit_image_classes",
    "identity_groups",
    "dehumanising_terms",
    "speech_kinds",
)
#: Checks with a model probability (0–1) as their score, and their default thresholds.
MODEL_CHECKS: dict[str, float] = {"offensive_language": 0.8, "hate_speech": 0.7, "explicit_image": 0.5}
#: NudeNet classes that count as explicit by default (the covered and face classes do not).
EXPLICIT_CLASSES = (
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "BUTTOCKS_EXPOSED",
    "ANUS_EXPOSED",
)
#: Key of a category's term list that applies to captions in every language.
ANY_LANGUAGE = "any"
_CATEGORY_RE = re.compile(r"[A-Za-z0-9_]+")
WORD_RE = re.compile(r"\w+")
_SENTENCE_RE = re.compile(r"[.!?;:\n]+")


@dataclass(frozen=True)
class Policy:
    """A validated brand-safety policy (see ``policy_default.toml`` for each field)."""

    offensive_threshold: float = 0.8
    min_sentiment: float = -0.8
    blocked_terms: tuple[str, ...] = ()
    blocked_hashtags: tuple[str, ...] = ()
    allowed_phrases: tuple[str, ...] = ()
    categories: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = field(default="default", compare=False)
    #: category → language (ISO 639-1, or ``any``) → terms; ``categories`` holds their union
    category_languages: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    #: check or category → threshold (model checks: probability; term categories: distinct terms)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    explicit_image_classes: tuple[str, ...] = EXPLICIT_CLASSES
    identity_groups: tuple[str, ...] = ()
    dehumanising_terms: tuple[str, ...] = ()
    #: kinds of harmful speech the rule matchers look for (:data:`influence.safety.rules.KINDS`)
    speech_kinds: tuple[str, ...] = tuple(SPEECH_KINDS)

    def threshold(self, check: str) -> float:
        """The threshold of ``check`` (a model check or a category)."""
        if check in self.thresholds:
            return float(self.thresholds[check])
        if check == "offensive_language":
            return self.offensive_threshold
        return MODEL_CHECKS.get(check, 1.0)

    @cached_property
    def _terms(self) -> PhraseSet:
        return PhraseSet(self.blocked_terms)

    @cached_property
    def _allowed(self) -> PhraseSet:
        return PhraseSet(self.allowed_phrases)

    @cached_property
    def _categories(self) -> dict[str, PhraseSet]:
        return {name: PhraseSet(terms) for name, terms in self.categories.items()}

    @cached_property
    def _groups(self) -> PhraseSet:
        return PhraseSet(self.identity_groups)

    @cached_property
    def _hostile(self) -> PhraseSet:
        return PhraseSet(self.dehumanising_terms)

    def hate_pairs(self, text: str) -> list[str]:
        """``group+term`` for each sentence of ``text`` that names an identity group and calls it
        something dehumanising or hostile (the policy's two lists; whole words, folded)."""
        if not self.identity_groups or not self.dehumanising_terms:
            return []
        folded = fold(text)
        if self._groups._lengths.keys().isdisjoint(WORD_RE.findall(folded)):  # the usual case: no group named
            return []
        pairs: list[str] = []
        for sentence in _SENTENCE_RE.split(folded):
            words = WORD_RE.findall(sentence)
            groups = self._groups.spans(words)
            if not groups:
                continue
            taken = {j for a, b, _ in groups for j in range(a, b)}
            hostile = [p for a, b, p in self._hostile.spans(words) if not taken.intersection(range(a, b))]
            if hostile:
                pairs.append(f"{groups[0][2]}+{hostile[0]}")
        return unique(pairs)

    @cached_property
    def _by_language(self) -> dict[str, dict[str, PhraseSet]]:
        return {
            name: {lang: PhraseSet(terms) for lang, terms in langs.items()}
            for name, langs in self.category_languages.items()
        }

    def category_sets(self, language: str | None) -> dict[str, PhraseSet]:
        """Each category's phrases for a caption in ``language``: its own language's list, the
        English and ``any`` lists; every list when the language is unknown."""
        if language is None or not self.category_languages:
            return self._categories
        keep = {language, "en", ANY_LANGUAGE}
        out: dict[str, PhraseSet] = {}
        for name, langs in self.category_languages.items():
            terms = [t for lang, terms in langs.items() if lang in keep for t in terms]
            out[name] = self._cached_set(tuple(terms))
        return out

    @cached_property
    def _set_cache(self) -> dict[tuple[str, ...], PhraseSet]:
        return {}

    def _cached_set(self, terms: tuple[str, ...]) -> PhraseSet:
        cache = self._set_cache
        if terms not in cache:
            cache[terms] = PhraseSet(terms)
        return cache[terms]

    @cached_property
    def _blocked_tags(self) -> frozenset[str]:
        return frozenset(fold(t) for t in self.blocked_hashtags)


@dataclass(frozen=True)
class SafetyFlag:
    """Why a post is unsafe: the ``check`` that fired, its ``category``, what it fired on
    (``matches``: words, or image region classes), its ``score`` and the policy's ``threshold``."""

    check: str
    category: str
    matches: tuple[str, ...]
    score: float
    threshold: float

    def as_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON output)."""
        return {
            "check": self.check,
            "category": self.category,
            "matches": list(self.matches),
            "score": round(self.score, 4),
            "threshold": self.threshold,
        }


@dataclass
class SafetyResult:
    """The verdict on one post: ``safe`` when ``flags`` is empty; ``details`` say why."""

    safe: bool
    flags: list[str]
    offensive_probability: float
    sentiment: float
    hate_probability: float = 0.0
    details: list[SafetyFlag] = field(default_factory=list)
    #: checks that could not run on this post, with the reason (for example no image model)
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON output)."""
        return {
            "safe": self.safe,
            "flags": list(self.flags),
            "offensive_probability": self.offensive_probability,
            "hate_probability": self.hate_probability,
            "sentiment": self.sentiment,
            "details": [d.as_dict() for d in self.details],
            "skipped": list(self.skipped),
        }


def _strings(key: str, value: Any, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"policy key {key!r} in {source} must be a list of strings, got {value!r}")
    return tuple(v.strip() for v in value if v.strip())


def _probability(key: str, value: Any, source: str, low: float, high: float) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise ConfigError(
            f"policy key {key!r} in {source} must be a number from {low:g} to {high:g}, got {value!r}"
        )
    return float(value)


def policy_from_mapping(data: Mapping[str, Any], source: str = "mapping") -> Policy:
    """Validated :class:`Policy` from a complete mapping shaped like the TOML file."""
    unknown = [k for k in data if k not in _KEYS]
    if unknown:
        raise ConfigError(
            f"unknown policy key(s) {', '.join(map(repr, unknown))} in {source}; allowed: {', '.join(_KEYS)}"
        )
    by_language: dict[str, dict[str, tuple[str, ...]]] = {}
    for key in ("categories", "extend_categories"):
        raw = data.get(key, {})
        if not isinstance(raw, Mapping):
            raise ConfigError(f"policy key {key!r} in {source} must be a table of term lists")
        for name, terms in raw.items():
            if not _CATEGORY_RE.fullmatch(name):
                raise ConfigError(
                    f"policy category name {name!r} in {source} must use only letters, digits and _"
                )
            langs = by_language.setdefault(name, {})
            tables = terms if isinstance(terms, Mapping) else {ANY_LANGUAGE: terms}
            for lang, words in tables.items():
                if lang != ANY_LANGUAGE and not re.fullmatch(r"[a-z]{2,3}", lang):
                    raise ConfigError(
                        f"policy key '{key}.{name}.{lang}' in {source}: {lang!r} is not a language "
                        f"code (ISO 639-1 such as 'en', or '{ANY_LANGUAGE}')"
                    )
                langs[lang] = tuple(
                    dict.fromkeys([*langs.get(lang, ()), *_strings(f"{key}.{name}.{lang}", words, source)])
                )
    categories = {
        name: tuple(dict.fromkeys(t for terms in langs.values() for t in terms))
        for name, langs in by_language.items()
    }
    thresholds_raw = data.get("thresholds", {})
    if not isinstance(thresholds_raw, Mapping):
        raise ConfigError(f"policy key 'thresholds' in {source} must be a table of numbers")
    thresholds: dict[str, float] = {}
    for name, value in thresholds_raw.items():
        if name in MODEL_CHECKS:
            thresholds[name] = _probability(f"thresholds.{name}", value, source, 0.0, 1.01)
        elif name in categories or name in ("blocked_term", "hate_pattern", *SPEECH_KINDS):
            thresholds[name] = _probability(f"thresholds.{name}", value, source, 1.0, 1e6)
        else:
            raise ConfigError(
                f"policy key 'thresholds.{name}' in {source} names no check or category; use one of "
                f"{', '.join([*MODEL_CHECKS, *categories])}"
            )
    kinds = _strings("speech_kinds", data.get("speech_kinds", list(SPEECH_KINDS)), source)
    unknown_kinds = [k for k in kinds if k not in SPEECH_KINDS]
    if unknown_kinds:
        raise ConfigError(
            f"policy key 'speech_kinds' in {source}: unknown kind(s) {', '.join(map(repr, unknown_kinds))};"
            f" use some of {', '.join(SPEECH_KINDS)}"
        )
    classes = _strings(
        "explicit_image_classes", data.get("explicit_image_classes", list(EXPLICIT_CLASSES)), source
    )
    tags = []
    for tag in _strings("blocked_hashtags", data.get("blocked_hashtags", []), source):
        norm = normalise_hashtag(tag)
        if norm is None:
            raise ConfigError(
                f"policy key 'blocked_hashtags' in {source}: {tag!r} is not a hashtag (letters, digits, _)"
            )
        tags.append(norm)
    return Policy(
        offensive_threshold=_probability(
            "offensive_threshold", data.get("offensive_threshold", 0.8), source, 0.0, 1.01
        ),
        min_sentiment=_probability("min_sentiment", data.get("min_sentiment", -0.8), source, -1.01, 1.0),
        blocked_terms=_strings("blocked_terms", data.get("blocked_terms", []), source),
        blocked_hashtags=tuple(tags),
        allowed_phrases=_strings("allowed_phrases", data.get("allowed_phrases", []), source),
        categories=categories,
        source=source,
        category_languages=by_language,
        thresholds=thresholds,
        explicit_image_classes=classes,
        identity_groups=_strings("identity_groups", data.get("identity_groups", []), source),
        dehumanising_terms=_strings("dehumanising_terms", data.get("dehumanising_terms", []), source),
        speech_kinds=tuple(dict.fromkeys(kinds)),
    )


def load_policy(path: Path | None = None) -> Policy:
    """The policy in ``path`` (TOML) over the shipped default; ``None`` → the default.

    Keys left out take the default's value; a ``[categories]`` table replaces the default's.
    """
    data, source = read_over_default("influence.safety", DEFAULT_FILE, path, "policy")
    return policy_from_mapping(data, source=source)
