"""Plain words for people: names of communities and hashtag topics, brand-safety flags.

Output for people only (the HTML report, the network picture, tables). JSON and CSV keep the
raw values: Louvain ids and flag codes such as ``negative_sentiment:-0.90``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

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
