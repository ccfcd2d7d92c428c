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
  spaCy rule matchers over tokens and lemmas (:mod:`influence.models.safety_rules`): harmful
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

import functools
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
from influence.models.safety_rules import KINDS as SPEECH_KINDS
from influence.models.safety_rules import find_harm
from influence.models.tomlfile import read_over_default

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
_WORD_RE = re.compile(r"\w+")
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
    #: kinds of harmful speech the rule matchers look for (:data:`influence.models.safety_rules.KINDS`)
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
        if self._groups._lengths.keys().isdisjoint(
            _WORD_RE.findall(folded)
        ):  # the usual case: no group named
            return []
        pairs: list[str] = []
        for sentence in _SENTENCE_RE.split(folded):
            words = _WORD_RE.findall(sentence)
            groups = self._groups.spans(words)
            if not groups:
                continue
            taken = {j for a, b, _ in groups for j in range(a, b)}
            hostile = [p for a, b, p in self._hostile.spans(words) if not taken.intersection(range(a, b))]
            if hostile:
                pairs.append(f"{groups[0][2]}+{hostile[0]}")
        return _unique(pairs)

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


@functools.cache
def hate_session() -> Any:
    """hatesonar's ONNX model in onnxruntime (the reference :func:`hate_probability` matches), with its text normaliser told to use the C.UTF-8 locale: as
    shipped it asks for en_US.UTF-8, which most servers and containers lack (onnxruntime then
    refuses to load it)."""
    import onnx
    import onnxruntime
    from hatesonar.api import DEFAULT_MODEL_FILE

    model = onnx.load(str(DEFAULT_MODEL_FILE))
    for node in model.graph.node:
        if node.op_type == "StringNormalizer" and not any(a.name == "locale" for a in node.attribute):
            node.attribute.append(onnx.helper.make_attribute("locale", "C.UTF-8"))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    return onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


@functools.cache
def _hate_weights() -> tuple[dict[str, int], Any, Any, Any]:
    """hatesonar's model as arrays read from its ONNX graph: vocabulary (token → column), idf,
    coefficients (classes × columns) and intercepts."""
    import numpy as np
    import onnx
    from hatesonar.api import DEFAULT_MODEL_FILE
    from onnx import numpy_helper

    model = onnx.load(str(DEFAULT_MODEL_FILE))
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    attrs = {
        (n.op_type, a.name): onnx.helper.get_attribute_value(a) for n in model.graph.node for a in n.attribute
    }
    vocab = {
        t.decode("utf-8"): int(i)
        for t, i in zip(
            attrs[("TfIdfVectorizer", "pool_strings")],
            attrs[("TfIdfVectorizer", "ngram_indexes")],
            strict=True,
        )
    }
    idf = np.asarray(inits["idfcst"], dtype=np.float64)
    intercepts = np.asarray(attrs[("LinearClassifier", "intercepts")], dtype=np.float64)
    coef = np.asarray(attrs[("LinearClassifier", "coefficients")], dtype=np.float64).reshape(
        len(intercepts), -1
    )
    return vocab, idf, coef, intercepts


_HATE_TOKEN_RE = re.compile(r"[a-zA-Z0-9_]+")  # the model's own tokenizer pattern


def hate_probability(texts: Sequence[str]) -> list[float]:
    """hatesonar's probability (0–1) of the ``hate_speech`` class for each text (0 for an empty one).

    Source: Davidson et al. 2017 (ICWSM) labels of 24,783 tweets as hate speech, offensive or
    neither; a TF-IDF logistic regression (package ``hatesonar``, MIT). The graph shipped as
    ONNX is evaluated here with numpy — lower-case, tokens ``[a-zA-Z0-9_]+``, term counts × idf,
    L2 norm, linear, softmax — which gives onnxruntime's numbers (a test checks it) about ten
    times faster, without its string kernels' locale requirement.
    """
    import numpy as np

    out = [0.0] * len(texts)
    idx = [i for i, t in enumerate(texts) if t.strip()]
    if not idx:
        return out
    vocab, idf, coef, intercepts = _hate_weights()
    for i in idx:
        counts: dict[int, int] = {}
        for token in _HATE_TOKEN_RE.findall(texts[i].lower()):
            col = vocab.get(token)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        if counts:
            cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
            x = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * idf[cols]
            norm = float(np.sqrt(x @ x))
            x = x / norm if norm > 0 else x
            scores = coef[:, cols] @ x + intercepts
        else:
            scores = intercepts.copy()
        scores = np.exp(scores - scores.max())
        out[i] = float(scores[0] / scores.sum())
    return out


@functools.cache
def _offensive_weights() -> tuple[Any, dict[str, float]]:
    """alt-profanity-check's word analyzer and each word's mean SVM weight (positive: offensive)."""
    from profanity_check import profanity_check as pc

    coefs = [c.estimator.coef_[0] for c in pc.model.calibrated_classifiers_]
    mean = sum(coefs) / len(coefs)
    return pc.vectorizer.build_analyzer(), {w: float(mean[i]) for w, i in pc.vectorizer.vocabulary_.items()}


def model_words(check: str, text: str, top: int = 3) -> tuple[str, ...]:
    """The words of ``text`` that push a linear text model (``offensive_language`` or
    ``hate_speech``) towards its flag most: positive weight, largest first, at most ``top``."""
    if check == "offensive_language":
        analyzer, weights = _offensive_weights()
        tokens = analyzer(text)
        scored = {t: weights[t] for t in tokens if weights.get(t, 0.0) > 0}
    else:
        vocab, idf, coef, _ = _hate_weights()
        direction = coef[0] - coef[1:].mean(axis=0)
        tokens = _HATE_TOKEN_RE.findall(text.lower())
        scored = {t: float(direction[vocab[t]] * idf[vocab[t]]) for t in tokens if t in vocab}
        scored = {t: w for t, w in scored.items() if w > 0}
    return tuple(sorted(scored, key=lambda t: -scored[t])[:top])


def explicit_detections(path: Path) -> list[dict[str, Any]]:
    """NudeNet's detections in the image at ``path``: ``{"class", "score", "box"}`` each.

    Raises :class:`ModuleNotFoundError` when NudeNet is not installed (an optional extra).
    """
    return [dict(d) for d in _nude_detector().detect(str(path))]


@functools.cache
def _nude_detector() -> Any:
    from nudenet import NudeDetector

    return NudeDetector()


def explicit_flag(detections: Sequence[Mapping[str, Any]], policy: Policy) -> SafetyFlag | None:
    """The ``explicit_image`` flag for NudeNet's ``detections`` under ``policy`` (None: below threshold)."""
    threshold = policy.threshold("explicit_image")
    hits = [
        (str(d["class"]), float(d["score"]))
        for d in detections
        if d.get("class") in policy.explicit_image_classes and float(d.get("score", 0.0)) >= threshold
    ]
    if not hits:
        return None
    classes = tuple(dict.fromkeys(c for c, _ in sorted(hits, key=lambda h: -h[1])))
    return SafetyFlag("explicit_image", "adult", classes, max(s for _, s in hits), threshold)


def _image_check(path: Any, policy: Policy) -> tuple[SafetyFlag | None, str | None]:
    if not isinstance(path, str | Path) or not str(path) or not Path(path).is_file():
        return None, None
    try:
        detections = explicit_detections(Path(path))
    except ModuleNotFoundError:
        return None, "explicit_image: NudeNet is not installed (pip install 'influence-graph[nudity]')"
    except Exception as e:  # noqa: BLE001 - an unreadable image is that post's note, never a crash
        return None, f"explicit_image: cannot read {path}: {e}"
    return explicit_flag(detections, policy), None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def check_safety(
    captions: Sequence[str | None],
    hashtags: Sequence[Sequence[str]] | None,
    policy: Policy,
    sentiments: Sequence[float] | None = None,
    *,
    languages: Sequence[str | None] | None = None,
    media: Sequence[Any] | None = None,
) -> list[SafetyResult]:
    """The brand-safety verdict for each post (same order as ``captions``).

    ``hashtags`` (optional, one list per post) adds hashtags that are not in the caption.
    ``sentiments`` (optional) are VADER compound scores already computed, for example by
    :func:`influence.models.content.content_features`; otherwise they are computed here.
    ``languages`` (optional, ISO 639-1 per post) picks each category's term lists (its own
    language's, English and ``any``); without it every list applies. ``media`` (optional, a
    file path or None per post) runs the image check where the file exists.
    Flags, in this order: ``offensive_language:<p>``, ``hate_speech:<p>``,
    ``negative_sentiment:<s>``, ``blocked_hashtag:<tag>``, ``blocked_term:<term>``,
    ``<category>:<term>``, ``<kind>:<phrase>`` (threat, dehumanisation, incitement, harassment:
    the caption's words as written), ``hate_pattern:<group>+<term>``, ``explicit_image:<class>``; ``details`` has one :class:`SafetyFlag`
    per check that fired.
    """
    n = len(captions)
    for name, seq in (
        ("hashtags", hashtags),
        ("sentiments", sentiments),
        ("languages", languages),
        ("media", media),
    ):
        if seq is not None and len(seq) != n:
            raise ValueError(f"{name} has {len(seq)} entries for {n} captions")
    texts = [c if isinstance(c, str) else "" for c in captions]
    probs = offensive_probability(texts)
    off_threshold = policy.threshold("offensive_language")
    hate_threshold = policy.threshold("hate_speech")
    # hatesonar learnt English tweets: on other languages it only adds false alarms
    english = [t if languages is None or languages[i] in (None, "en") else "" for i, t in enumerate(texts)]
    hates = hate_probability(english) if hate_threshold <= 1.0 else [0.0] * n
    folded = [fold(t) for t in texts]
    speech = (
        find_harm(texts, [_WORD_RE.findall(f) for f in folded])
        if policy.speech_kinds
        else [[] for _ in texts]
    )
    results: list[SafetyResult] = []
    for i, text in enumerate(texts):
        tags = caption_hashtags(text)
        if hashtags is not None:
            tags = _unique(tags + given_hashtags(hashtags[i]))
        folded_tags = [fold(t) for t in tags]
        sentiment = (
            float(sentiments[i])
            if sentiments is not None
            else float(sentiment_analyzer().polarity_scores(text)["compound"])
            if text.strip()
            else 0.0
        )
        flags: list[str] = []
        details: list[SafetyFlag] = []
        skipped: list[str] = []
        if probs[i] >= off_threshold:
            flags.append(f"offensive_language:{probs[i]:.2f}")
            details.append(
                SafetyFlag(
                    "offensive_language",
                    "offensive_language",
                    model_words("offensive_language", text),
                    probs[i],
                    off_threshold,
                )
            )
        if hates[i] >= hate_threshold:
            flags.append(f"hate_speech:{hates[i]:.2f}")
            details.append(
                SafetyFlag("hate_speech", "hate", model_words("hate_speech", text), hates[i], hate_threshold)
            )
        if sentiment < policy.min_sentiment:
            flags.append(f"negative_sentiment:{sentiment:.2f}")
            details.append(
                SafetyFlag("negative_sentiment", "negative_sentiment", (), sentiment, policy.min_sentiment)
            )
        blocked_tags = [t for t in folded_tags if t in policy._blocked_tags]
        flags += [f"blocked_hashtag:{t}" for t in blocked_tags]
        if blocked_tags:
            details.append(
                SafetyFlag("blocked_hashtag", "blocked_hashtag", tuple(blocked_tags), len(blocked_tags), 1)
            )
        scan = folded[i]
        extra = [t for t in folded_tags if f"#{t}" not in scan]
        if extra:
            scan += " " + " ".join(f"#{t}" for t in extra)
        words = _WORD_RE.findall(scan)
        terms = _unique([p for _, _, p in policy._terms.spans(words)])
        if terms and len(terms) >= policy.threshold("blocked_term"):
            flags += [f"blocked_term:{m}" for m in terms]
            details.append(
                SafetyFlag(
                    "policy_terms", "blocked_term", tuple(terms), len(terms), policy.threshold("blocked_term")
                )
            )
        if policy.categories:
            benign = {j for a, b, _ in policy._allowed.spans(words) for j in range(a, b)}
            language = languages[i] if languages is not None and isinstance(languages[i], str) else None
            for name, phrases in policy.category_sets(language).items():
                hits = _unique(
                    [p for a, b, p in phrases.spans(words) if not benign.intersection(range(a, b))]
                )
                if hits and len(hits) >= policy.threshold(name):
                    flags += [f"{name}:{m}" for m in hits]
                    details.append(
                        SafetyFlag("policy_terms", name, tuple(hits), len(hits), policy.threshold(name))
                    )
        for kind in policy.speech_kinds:
            said = tuple(_unique([h.phrase for h in speech[i] if h.kind == kind]))
            if said and len(said) >= policy.threshold(kind):
                flags += [f"{kind}:{p}" for p in said]
                details.append(SafetyFlag("speech_rules", kind, said, len(said), policy.threshold(kind)))
        pairs = policy.hate_pairs(text)
        if pairs and len(pairs) >= policy.threshold("hate_pattern"):
            flags += [f"hate_pattern:{p}" for p in pairs]
            details.append(
                SafetyFlag("hate_pattern", "hate", tuple(pairs), len(pairs), policy.threshold("hate_pattern"))
            )
        if media is not None:
            image_flag, note = _image_check(media[i], policy)
            if image_flag is not None:
                flags += [f"explicit_image:{c}" for c in image_flag.matches]
                details.append(image_flag)
            if note:
                skipped.append(note)
        results.append(
            SafetyResult(
                safe=not flags,
                flags=_unique(flags),
                offensive_probability=probs[i],
                sentiment=sentiment,
                hate_probability=hates[i],
                details=details,
                skipped=skipped,
            )
        )
    return results
