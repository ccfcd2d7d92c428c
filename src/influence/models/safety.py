"""Brand safety: an offensive-language model plus the client's policy file.

The model is ``alt-profanity-check`` (a linear SVM on character and word n-grams, trained on
toxic comments; its weights ship inside the PyPI package, no download). The policy
(``policy_default.toml`` documents every key) adds the client's blocked terms and hashtags,
curated category term lists (violence, hate, …), a minimum sentiment and the model's
threshold. A post that raises any flag is unsafe.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from influence.errors import ConfigError
from influence.loaders.text import normalise_hashtag
from influence.models.content import PhraseSet, caption_hashtags, fold, given_hashtags, sentiment_analyzer
from influence.models.tomlfile import read_over_default

DEFAULT_FILE = "policy_default.toml"
_KEYS = ("offensive_threshold", "min_sentiment", "blocked_terms", "blocked_hashtags", "allowed_phrases", "categories")
_CATEGORY_RE = re.compile(r"[A-Za-z0-9_]+")
_WORD_RE = re.compile(r"\w+")


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
    def _blocked_tags(self) -> frozenset[str]:
        return frozenset(fold(t) for t in self.blocked_hashtags)


@dataclass
class SafetyResult:
    """The verdict on one post: ``safe`` when ``flags`` is empty."""

    safe: bool
    flags: list[str]
    offensive_probability: float
    sentiment: float

    def as_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON output)."""
        return {
            "safe": self.safe, "flags": list(self.flags),
            "offensive_probability": self.offensive_probability, "sentiment": self.sentiment,
        }


def _strings(key: str, value: Any, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"policy key {key!r} in {source} must be a list of strings, got {value!r}")
    return tuple(v.strip() for v in value if v.strip())


def _probability(key: str, value: Any, source: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        raise ConfigError(f"policy key {key!r} in {source} must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def policy_from_mapping(data: Mapping[str, Any], source: str = "mapping") -> Policy:
    """Validated :class:`Policy` from a complete mapping shaped like the TOML file."""
    unknown = [k for k in data if k not in _KEYS]
    if unknown:
        raise ConfigError(
            f"unknown policy key(s) {', '.join(map(repr, unknown))} in {source}; allowed: {', '.join(_KEYS)}"
        )
    categories_raw = data.get("categories", {})
    if not isinstance(categories_raw, Mapping):
        raise ConfigError(f"policy key 'categories' in {source} must be a table of term lists")
    categories: dict[str, tuple[str, ...]] = {}
    for name, terms in categories_raw.items():
        if not _CATEGORY_RE.fullmatch(name):
            raise ConfigError(f"policy category name {name!r} in {source} must use only letters, digits and _")
        categories[name] = _strings(f"categories.{name}", terms, source)
    tags = []
    for tag in _strings("blocked_hashtags", data.get("blocked_hashtags", []), source):
        norm = normalise_hashtag(tag)
        if norm is None:
            raise ConfigError(f"policy key 'blocked_hashtags' in {source}: {tag!r} is not a hashtag (letters, digits, _)")
        tags.append(norm)
    return Policy(
        offensive_threshold=_probability("offensive_threshold", data.get("offensive_threshold", 0.8), source, 0.0, 1.01),
        min_sentiment=_probability("min_sentiment", data.get("min_sentiment", -0.8), source, -1.01, 1.0),
        blocked_terms=_strings("blocked_terms", data.get("blocked_terms", []), source),
        blocked_hashtags=tuple(tags),
        allowed_phrases=_strings("allowed_phrases", data.get("allowed_phrases", []), source),
        categories=categories,
        source=source,
    )


def load_policy(path: Path | None = None) -> Policy:
    """The policy in ``path`` (TOML) over the shipped default; ``None`` → the default.

    Keys left out take the default's value; a ``[categories]`` table replaces the default's.
    """
    data, source = read_over_default(DEFAULT_FILE, path, "policy")
    return policy_from_mapping(data, source=source)


def offensive_probability(texts: Sequence[str]) -> list[float]:
    """The offensive-language model's probability for each text (0 for an empty text)."""
    from profanity_check import predict_prob

    out = [0.0] * len(texts)
    idx = [i for i, t in enumerate(texts) if t.strip()]
    if idx:
        for i, p in zip(idx, predict_prob([texts[i] for i in idx]), strict=True):
            out[i] = float(p)
    return out


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def check_safety(
    captions: Sequence[str | None],
    hashtags: Sequence[Sequence[str]] | None,
    policy: Policy,
    sentiments: Sequence[float] | None = None,
) -> list[SafetyResult]:
    """The brand-safety verdict for each post (same order as ``captions``).

    ``hashtags`` (optional, one list per post) adds hashtags that are not in the caption.
    ``sentiments`` (optional) are VADER compound scores already computed, for example by
    :func:`influence.models.content.content_features`; otherwise they are computed here.
    Flags, in this order: ``offensive_language:<p>``, ``negative_sentiment:<s>``,
    ``blocked_hashtag:<tag>``, ``blocked_term:<term>``, ``<category>:<term>``.
    """
    n = len(captions)
    if hashtags is not None and len(hashtags) != n:
        raise ValueError(f"hashtags has {len(hashtags)} entries for {n} captions")
    if sentiments is not None and len(sentiments) != n:
        raise ValueError(f"sentiments has {len(sentiments)} entries for {n} captions")
    texts = [c if isinstance(c, str) else "" for c in captions]
    probs = offensive_probability(texts)
    results: list[SafetyResult] = []
    for i, text in enumerate(texts):
        tags = caption_hashtags(text)
        if hashtags is not None:
            tags = _unique(tags + given_hashtags(hashtags[i]))
        folded_tags = [fold(t) for t in tags]
        sentiment = (
            float(sentiments[i]) if sentiments is not None
            else float(sentiment_analyzer().polarity_scores(text)["compound"]) if text.strip() else 0.0
        )
        flags: list[str] = []
        if probs[i] >= policy.offensive_threshold:
            flags.append(f"offensive_language:{probs[i]:.2f}")
        if sentiment < policy.min_sentiment:
            flags.append(f"negative_sentiment:{sentiment:.2f}")
        flags += [f"blocked_hashtag:{t}" for t in folded_tags if t in policy._blocked_tags]
        scan = fold(text)
        extra = [t for t in folded_tags if f"#{t}" not in scan]
        if extra:
            scan += " " + " ".join(f"#{t}" for t in extra)
        words = _WORD_RE.findall(scan)
        flags += [f"blocked_term:{m}" for m in _unique([p for _, _, p in policy._terms.spans(words)])]
        if policy.categories:
            benign = {j for a, b, _ in policy._allowed.spans(words) for j in range(a, b)}
            for name, phrases in policy._categories.items():
                hits = [p for a, b, p in phrases.spans(words) if not benign.intersection(range(a, b))]
                flags += [f"{name}:{m}" for m in _unique(hits)]
        results.append(SafetyResult(safe=not flags, flags=_unique(flags), offensive_probability=probs[i], sentiment=sentiment))
    return results
