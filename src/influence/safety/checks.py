"""The brand-safety checks, one function per check: hate and offensive-language models, the nudity detector, and :func:`check_safety`, which runs a policy's checks over one post."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from influence.safety.policy import WORD_RE, Policy, SafetyFlag, SafetyResult
from influence.safety.rules import find_harm
from influence.signals.caption import fold, sentiment_analyzer
from influence.signals.hashtags import caption_hashtags, given_hashtags
from influence.text import unique


def offensive_probability(texts: Sequence[str]) -> list[float]:
    """The offensive-language model's probability for each text (0 for an empty text).

    alt-profanity-check's calibrated linear SVMs evaluated directly (each member's decision
    function, its sigmoid calibration, their mean — what ``predict_prob`` computes, to the bit; a
    test checks it) on one sparse matrix: sklearn's per-call input validation of its five members
    cost more than the arithmetic on a one-post prediction.
    """
    out = [0.0] * len(texts)
    idx = [i for i, t in enumerate(texts) if t.strip()]
    if idx:
        for i, p in zip(idx, _offensive_model([texts[i] for i in idx]), strict=True):
            out[i] = float(p)
    return out


def _offensive_model(texts: list[str]) -> Any:
    import numpy as np
    from profanity_check import profanity_check as pc
    from scipy.special import expit
    from sklearn.utils.extmath import safe_sparse_dot

    x = pc.vectorizer.transform(texts)
    members = pc.model.calibrated_classifiers_
    total = np.zeros(x.shape[0])
    for member in members:
        svm = member.estimator
        decision = (safe_sparse_dot(x, svm.coef_.T, dense_output=True) + svm.intercept_).reshape(-1)
        calibrator = member.calibrators[0]
        total += expit(-(calibrator.a_ * decision + calibrator.b_))
    return total / len(members)


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
    from scipy.sparse import csr_matrix

    out = [0.0] * len(texts)
    idx = [i for i, t in enumerate(texts) if t.strip()]
    if not idx:
        return out
    vocab, idf, coef, intercepts = _hate_weights()
    # one sparse term-count matrix for every text, then one product (not one per text)
    indptr: list[int] = [0]
    columns: list[int] = []
    counts: list[int] = []
    for i in idx:
        row: dict[int, int] = {}
        for token in _HATE_TOKEN_RE.findall(texts[i].lower()):
            col = vocab.get(token)
            if col is not None:
                row[col] = row.get(col, 0) + 1
        columns.extend(row)
        counts.extend(row.values())
        indptr.append(len(columns))
    x = csr_matrix(
        (np.asarray(counts, dtype=np.float64) * idf[np.asarray(columns, dtype=np.int64)], columns, indptr),
        shape=(len(idx), len(idf)),
    )
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).reshape(-1))
    x = csr_matrix(x.multiply(1.0 / np.where(norms > 0, norms, 1.0)[:, None]))
    scores = np.asarray(x @ coef.T) + intercepts
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    for i, p in zip(idx, scores[:, 0] / scores.sum(axis=1), strict=True):
        out[i] = float(p)
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


class _Found:
    """Flags and details of one post, in the order the checks run."""

    def __init__(self) -> None:
        self.flags: list[str] = []
        self.details: list[SafetyFlag] = []

    def add(self, flags: list[str], detail: SafetyFlag) -> None:
        self.flags += flags
        self.details.append(detail)


def _model_checks(
    found: _Found, text: str, offensive: float, hate: float, sentiment: float, policy: Policy
) -> None:
    """The offensive-language and hate-speech models and the sentiment floor."""
    off_threshold = policy.threshold("offensive_language")
    if offensive >= off_threshold:
        words = model_words("offensive_language", text)
        found.add(
            [f"offensive_language:{offensive:.2f}"],
            SafetyFlag("offensive_language", "offensive_language", words, offensive, off_threshold),
        )
    hate_threshold = policy.threshold("hate_speech")
    if hate >= hate_threshold:
        words = model_words("hate_speech", text)
        found.add([f"hate_speech:{hate:.2f}"], SafetyFlag("hate_speech", "hate", words, hate, hate_threshold))
    if sentiment < policy.min_sentiment:
        found.add(
            [f"negative_sentiment:{sentiment:.2f}"],
            SafetyFlag("negative_sentiment", "negative_sentiment", (), sentiment, policy.min_sentiment),
        )


def _term_checks(
    found: _Found, folded: str, folded_tags: list[str], language: str | None, policy: Policy
) -> None:
    """Blocked hashtags, blocked terms and the category term lists on the folded caption and tags."""
    blocked_tags = [t for t in folded_tags if t in policy._blocked_tags]
    if blocked_tags:
        found.add(
            [f"blocked_hashtag:{t}" for t in blocked_tags],
            SafetyFlag("blocked_hashtag", "blocked_hashtag", tuple(blocked_tags), len(blocked_tags), 1),
        )
    extra = [t for t in folded_tags if f"#{t}" not in folded]
    words = WORD_RE.findall(folded + " " + " ".join(f"#{t}" for t in extra) if extra else folded)
    terms = unique([p for _, _, p in policy._terms.spans(words)])
    if terms and len(terms) >= policy.threshold("blocked_term"):
        found.add(
            [f"blocked_term:{m}" for m in terms],
            SafetyFlag(
                "policy_terms", "blocked_term", tuple(terms), len(terms), policy.threshold("blocked_term")
            ),
        )
    if not policy.categories:
        return
    benign: set[int] | None = None
    for name, phrases in policy.category_sets(language).items():
        spans = phrases.spans(words)
        if not spans:  # the usual case
            continue
        if benign is None:
            benign = {j for a, b, _ in policy._allowed.spans(words) for j in range(a, b)}
        hits = unique([p for a, b, p in spans if not benign.intersection(range(a, b))])
        if hits and len(hits) >= policy.threshold(name):
            found.add(
                [f"{name}:{m}" for m in hits],
                SafetyFlag("policy_terms", name, tuple(hits), len(hits), policy.threshold(name)),
            )


def _speech_checks(found: _Found, text: str, speech: list[Any], policy: Policy) -> None:
    """The speech rules (threat, dehumanisation, …) and the hate pattern (group + term)."""
    for kind in policy.speech_kinds if speech else ():
        said = tuple(unique([h.phrase for h in speech if h.kind == kind]))
        if said and len(said) >= policy.threshold(kind):
            found.add(
                [f"{kind}:{p}" for p in said],
                SafetyFlag("speech_rules", kind, said, len(said), policy.threshold(kind)),
            )
    pairs = policy.hate_pairs(text)
    if pairs and len(pairs) >= policy.threshold("hate_pattern"):
        found.add(
            [f"hate_pattern:{p}" for p in pairs],
            SafetyFlag("hate_pattern", "hate", tuple(pairs), len(pairs), policy.threshold("hate_pattern")),
        )


def _check_lengths(n: int, **sequences: Sequence[Any] | None) -> None:
    for name, seq in sequences.items():
        if seq is not None and len(seq) != n:
            raise ValueError(f"{name} has {len(seq)} entries for {n} captions")


def _sentiments(texts: list[str], given: Sequence[float] | None) -> list[float]:
    if given is not None:
        return [float(s) for s in given]
    vader = sentiment_analyzer()
    return [float(vader.polarity_scores(t)["compound"]) if t.strip() else 0.0 for t in texts]


def _post_tags(text: str, given: Sequence[str] | None) -> list[str]:
    tags = caption_hashtags(text)
    return unique(tags + given_hashtags(given)) if given is not None else tags


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
    :func:`influence.signals.caption.content_features`; otherwise they are computed here.
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
    _check_lengths(n, hashtags=hashtags, sentiments=sentiments, languages=languages, media=media)
    texts = [c if isinstance(c, str) else "" for c in captions]
    # the models run once on the whole batch (one sparse matrix each), not once per post
    probs = offensive_probability(texts)
    # hatesonar learnt English tweets: on other languages it only adds false alarms
    english = [t if languages is None or languages[i] in (None, "en") else "" for i, t in enumerate(texts)]
    hates = hate_probability(english) if policy.threshold("hate_speech") <= 1.0 else [0.0] * n
    folded = [fold(t) for t in texts]
    speech = (
        find_harm(texts, [WORD_RE.findall(f) for f in folded]) if policy.speech_kinds else [[] for _ in texts]
    )
    moods = _sentiments(texts, sentiments)
    results: list[SafetyResult] = []
    for i, text in enumerate(texts):
        found = _Found()
        _model_checks(found, text, probs[i], hates[i], moods[i], policy)
        folded_tags = [fold(t) for t in _post_tags(text, hashtags[i] if hashtags is not None else None)]
        language = languages[i] if languages is not None and isinstance(languages[i], str) else None
        _term_checks(found, folded[i], folded_tags, language, policy)
        _speech_checks(found, text, speech[i], policy)
        skipped: list[str] = []
        if media is not None:
            image_flag, note = _image_check(media[i], policy)
            if image_flag is not None:
                found.add([f"explicit_image:{c}" for c in image_flag.matches], image_flag)
            if note:
                skipped.append(note)
        results.append(
            SafetyResult(
                safe=not found.flags,
                flags=unique(found.flags),
                offensive_probability=probs[i],
                sentiment=moods[i],
                hate_probability=hates[i],
                details=found.details,
                skipped=skipped,
            )
        )
    return results
