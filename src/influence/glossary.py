"""The glossary: every word the CLI, the HTML report and the model card show people for a key.

Metric names and their plain explanations, the baselines and situations of the predictor,
column headers, the model card's plot titles, names of communities and hashtag topics, and
brand-safety flags in words. Output for people only: JSON and CSV keep the raw keys and values
(``roc_auc``, Louvain ids, flag codes such as ``negative_sentiment:-0.90``). Ground floor: imports
nothing of the project. The predictor's feature names are in :mod:`influence.models.catalogue`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

# ------------------------------------------------------------------------------ the predictor's figures
#: Metric key → its name, the same in the CLI table, the model card and the HTML report.
METRICS: dict[str, str] = {
    "roc_auc": "ROC-AUC",
    "pr_auc": "PR-AUC",
    "spearman": "Spearman ρ",
    "mae": "MAE (log)",
    "pairwise": "Pairwise within author",
    "brier": "Brier score",
    "ece": "Calibration error",
    "n": "Posts tested",
    "positives": "Viral among them",
    "pairs": "Pairs",
}
#: Metric key → what it means, in one plain sentence.
METRIC_HELP: dict[str, str] = {
    "roc_auc": "How well the score ranks viral posts above the others: 0.5 is a coin flip, 1 is perfect.",
    "pr_auc": "How well viral posts are found among many ordinary ones (higher is better; "
    "a random guess scores the share of viral posts).",
    "spearman": "How well the predicted engagement puts posts in the right order (1 = perfect order).",
    "mae": "Average error of the predicted engagement, on a log scale (lower is better).",
    "pairwise": "Of two posts by the same author, how often the one that did better is ranked first "
    "(0.5 is a coin flip).",
    "brier": "Average squared error of the probability (lower is better).",
    "ece": "How far the probabilities are from what really happened (lower is better).",
    "n": "Posts held out from training (the newest posts, or every post of the held-out authors).",
    "positives": "Of those, posts that went viral.",
    "pairs": "Pairs of posts by one author compared.",
}
#: Method key (the model and the baselines it is judged against) → its name.
METHODS: dict[str, str] = {
    "model": "Our model",
    "followers": "Follower count alone",
    "author_median": "Author's usual (median) engagement",
    "early_engagement": "Engagement in the first hours",
    "early_vs_usual": "Engagement so far ÷ the author's usual",
    "chance": "Chance",
}
#: Method key → how a verdict sentence names it ("Ranks … better than <phrase>").
METHOD_PHRASES: dict[str, str] = {
    "author_median": "each account's usual (median) engagement",
    "followers": "follower count",
    "early_engagement": "engagement so far",
    "early_vs_usual": "engagement so far ÷ the account's usual",
    "chance": "chance",
}
#: Situation key → its name (used inside sentences: lower case).
SITUATIONS: dict[str, str] = {
    "known_author": "known author",
    "new_author": "new author",
    "own_drafts": "author's own drafts",
}
#: Model-card plot (file stem) → its title.
PLOT_TITLES: dict[str, str] = {
    "roc": "ROC curve: how well each method ranks viral posts first",
    "pr": "Precision–recall: how many of the picked posts really went viral",
    "calibration": "Calibration: predicted chance against what really happened",
    "importance": "What the model looks at most",
    "reliability": "Reliability on held-out authors: the chance the model said against how many went viral",
}


def _top_n(key: str) -> str | None:
    return key.rsplit("_", 1)[1] if key.startswith("precision_at_") else None


def metric_name(key: str) -> str:
    """A metric key in words: ``brier`` → "Brier score", ``precision_at_41`` → "Precision in the
    top 41"; unknown keys with spaces for underscores."""
    n = _top_n(key)
    if n is not None:
        return f"Precision in the top {n}"
    return METRICS.get(key, key.replace("_", " "))


def metric_help(key: str) -> str:
    """What a metric means, in one plain sentence ("" when unknown)."""
    n = _top_n(key)
    if n is not None:
        return f"Of the {n} posts scored highest, the share that really went viral."
    return METRIC_HELP.get(key, "")


def metrics_in_words(
    rows: Sequence[dict[str, Any]], columns: Sequence[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Evaluation rows (``situation``, ``method`` and metric keys) with their situations, methods
    and column names in words, for a table people read (``influence train``'s)."""

    def column(key: str) -> str:
        return metric_name(key) if key in METRICS or _top_n(key) else key

    out = []
    for row in rows:
        worded = dict(row)
        if "situation" in worded:
            worded["situation"] = SITUATIONS.get(worded["situation"], worded["situation"])
        if "method" in worded:
            worded["method"] = METHODS.get(worded["method"], worded["method"])
        out.append({column(k): v for k, v in worded.items()})
    return out, [column(c) for c in columns]


# ------------------------------------------------------------------------------ column headers
#: Column headers in words for tables people read (JSON and CSV keep the keys); metric keys
#: such as ``precision_at_41`` are spelled out by :func:`metric_name`.
HEADERS: dict[str, str] = {
    "pagerank": "PageRank",
    "articlerank": "ArticleRank",
    "eigenvector": "eigenvector centrality",
    "engagementRate": "engagement rate",
    "engagementRateTierZ": "engagement rate z within tier",
    "tierZ": "z within tier",
    "communitySpread": "communities reached",
    "recentUses": "recent uses",
    "postedAt": "posted",
    "viralRatio": "× usual",
    "inWindow": "in first hours",
    "viralZ": "viral z",
    "viralScore": "viral score",
    "isViral": "viral",
    "viral_probability": "viral probability",
    "viral_probability_overall": "viral probability overall",
    "times_usual": "× usual",
    "hashtagUses": "hashtag uses",
    "project_s": "project (s)",
    "compute_s": "compute (s)",
    "write_s": "write (s)",
    "total_s": "total (s)",
    "communitySize": "community size",
    "lastObservedAt": "last observed",
}


def header(column: str) -> str:
    """A column key in words: ``precision_at_41`` → "Precision in the top 41", ``engagementRate``
    → "engagement rate"; keys without a known wording are kept."""
    if _top_n(column) is not None:
        return metric_name(column)
    return HEADERS.get(column, column)


# ------------------------------------------------------------------------------ communities, flags
#: Hashtags and members used in a community's name.
NAME_HASHTAGS = 2
NAME_MEMBERS = 1


def community_name(
    community: Any,
    hashtags: Sequence[str] | None = None,
    members: Sequence[str] | None = None,
    n_hashtags: int = NAME_HASHTAGS,
    n_members: int = NAME_MEMBERS,
) -> str:
    """A name people can read for a Louvain community: its typical hashtags and its top member.

    ``hashtags`` are the community's typical hashtags (without ``#``; used often in it and
    mostly by it, see ``report_html_communities.cypher``), ``members`` its most
    influential accounts, best first. ``"#randonnee #explore · @thetravelnathan"``; with no
    hashtags its top two members (``"@NancyPelosi, @WhipHoyer"``); with neither
    ``"community 18117"``. The id stays a column of its own wherever the name is shown.
    """
    tags = [f"#{h}" for h in (hashtags or []) if h][:n_hashtags]
    people = [f"@{m}" for m in (members or []) if m]
    if tags:
        return " ".join(tags) + (f" · {people[0]}" if people and n_members else "")
    if people:
        return ", ".join(people[: max(n_members, 2)])
    return "no community" if community is None else f"community {community}"


def topic_name(topic: Any, hashtags: Sequence[str] | None = None, n_hashtags: int = 3) -> str:
    """A hashtag topic (``Hashtag.community``) named by its most used hashtags: ``"#vintage #ootd #fashion"``."""
    tags = [f"#{h}" for h in (hashtags or []) if h][:n_hashtags]
    if tags:
        return " ".join(tags)
    return "no topic" if topic is None else f"topic {topic}"


#: the rule matchers' kinds of harmful speech (influence.safety.rules.KINDS; a test keeps them equal)
_SPEECH_KINDS = {
    "threat": "threat of violence",
    "dehumanisation": "dehumanising speech",
    "incitement": "incitement to violence",
    "harassment": "harassment or self-harm encouragement",
}
_FLAG = re.compile(r"^\s*(?P<kind>[A-Za-z0-9_ -]+?)\s*:\s*(?P<detail>.*?)\s*$")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def flag_words(flag: Any) -> str:
    """A brand-safety flag from ``influence predict`` in plain words.

    The codes are those of :func:`influence.safety.checks.check_safety`:
    ``offensive_language:0.97`` → "offensive language (97% likely)";
    ``negative_sentiment:-0.90`` → "very negative tone (−0.90 on a scale from −1 to +1)";
    ``blocked_hashtag:tag`` → "blocked hashtag #tag"; ``blocked_term:word`` → "blocked word “word”";
    ``violence:shooting`` → "violence: “shooting”"; ``threat:I will make you bleed`` → "threat of
    violence: “I will make you bleed”" (likewise dehumanisation, incitement, harassment). Mappings (``{"category": …, "term": …}``)
    and unknown codes are worded the same way; anything else is returned as text.
    """
    if isinstance(flag, dict):
        kind = flag.get("category") or flag.get("flag") or flag.get("label") or flag.get("kind") or "flag"
        detail = flag.get("term") or flag.get("match") or flag.get("reason") or flag.get("detail")
        score = flag.get("score") if flag.get("score") is not None else flag.get("probability")
        text = str(detail) if detail is not None else (str(score) if score is not None else "")
        return flag_words(f"{kind}:{text}" if text else str(kind))
    text = "" if flag is None else str(flag)
    m = _FLAG.match(text)
    if not m:
        return " ".join(text.replace("_", " ").split()) or "not brand-safe"
    kind, detail = m.group("kind").strip().lower().replace(" ", "_"), m.group("detail")
    value = _number(detail)
    if kind == "offensive_language":
        return (
            f"offensive language ({value * 100:.0f}% likely)" if value is not None else "offensive language"
        )
    if kind == "negative_sentiment":
        if value is None:
            return "very negative tone"
        return f"very negative tone ({value:+.2f} on a scale from −1 to +1)".replace("-", "−")
    if kind == "blocked_hashtag":
        return f"blocked hashtag #{detail.lstrip('#')}"
    if kind == "blocked_term":
        return f"blocked word “{detail}”"
    if kind in _SPEECH_KINDS:
        return f"{_SPEECH_KINDS[kind]}: “{detail}”" if detail else _SPEECH_KINDS[kind]
    if kind == "hate_pattern" and "+" in detail:
        group, term = detail.split("+", 1)
        return f"hateful wording about a group (“{group}” … “{term}”)"
    name = kind.replace("_", " ")
    if value is not None and 0 <= value <= 1:
        return f"{name} ({value * 100:.0f}% likely)"
    return f"{name}: “{detail}”" if detail else name
