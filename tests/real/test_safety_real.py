"""Brand safety on the real crawl's captions (read in place): the rule matchers for threats,
dehumanisation, incitement and harassment flag at most 1 % of them, each flag quotes the caption
(docs/brand-safety.md, "Brand safety: threats, dehumanisation, incitement and harassment without slurs")."""

from __future__ import annotations

from pathlib import Path

from influence.safety.evaluation import crawl_captions, crawl_flags
from influence.safety.policy import load_policy


def test_the_kinds_flag_at_most_one_percent_of_real_captions(real_data: Path) -> None:
    captions, unreadable = crawl_captions(
        sorted((real_data / "instagram-profilecrawl-2017" / "profiles").glob("*.json"))
    )
    assert len(captions) > 15_000 and not unreadable
    result = crawl_flags(captions, load_policy(None))
    flagged = result["flagged_rules"]
    assert len(flagged) / result["n"] <= 0.01, [(e["flags"], e["text"][:120]) for e in flagged]
    for entry in flagged:  # each flag quotes words of its own caption
        for flag in entry["flags"]:
            phrase = flag.split(":", 1)[1].strip("… ")
            assert phrase and " ".join(phrase.split()) in " ".join(entry["text"].split()), flag
    # every check of the default policy together (measured 1.47 % when the kinds were added)
    assert len(result["flagged_any"]) / result["n"] <= 0.02
