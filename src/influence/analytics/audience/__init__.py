"""The audience behind each account: overlap, a campaign reach planner, audience quality.

An account's **audience** is the set of users who follow it (``FOLLOWS``), liked or commented on
its posts (``LIKED``, ``COMMENTED``) or mention it in their posts (``MENTIONS``); ``source``
narrows it to followers or to engagers.

- :func:`overlap`: pairwise Jaccard |A ∩ B| / |A ∪ B| of the audiences of a set of accounts, by
  GDS Node Similarity over the projected account → member graph, with the shared counts and a
  matrix.
- :func:`plan`: greedy maximum coverage — pick the account that adds the most members not yet
  reached, K times (Nemhauser, Wolsey & Fisher 1978: within 1 − 1/e of the best K). With a cost
  per account and a budget, the cost-effective greedy (gain ÷ cost) against the best single
  affordable account (Khuller, Moss & Naor 1999). With ``engagement`` each member counts as the
  chance that at least one picked account engages them (1 − Π(1 − engagement rate)), which is
  still submodular. Compared with the top K by followers on the same objective.
- :func:`quality`: a 0–100 audience quality score from the signals loaded data carries (see
  :data:`SIGNALS`), each shown.

**Coverage.** Every figure counts the audience members the graph knows, which is rarely the whole
audience: a crawl of profiles carries no follower lists, a follower dump stops early. Each
account's coverage is the followers the graph knows (``FOLLOWS`` edges into it) against the
follower count on its profile (:func:`coverage`). Overlap, the planner and quality state it; an
account with fewer than :data:`MIN_KNOWN_FOLLOWERS` (1) followers, likers or commenters known —
an audience made only of accounts that mention it — is refused by :func:`overlap` and left
out by :func:`plan`, and :func:`quality` marks it ``thin``: its figures would describe a handful of
accounts that mention it — other creators talking about it, not its audience.
The floor counts people, not a share: a share of an audience, or an overlap, estimated from a
sample depends on how many members were seen, while the share seen of a big account is always
tiny (a follower dump of a 440,000-follower account stops after a few hundred). Below
:data:`WARN_COVERAGE` (10 %) of the followers known every figure carries a warning, since counts
of people reached (the planner's) cover only the known part. ``source="engagers"`` compares likers,
commenters and mentioners only: no follower floor applies, and the words say so.
"""

from influence.analytics.audience.members import (
    MIN_KNOWN_FOLLOWERS,
    SOURCES,
    WARN_COVERAGE,
    Source,
    audiences,
    coverage,
    coverage_warnings,
    coverage_words,
    floor_words,
    is_thin,
    jaccard,
)
from influence.analytics.audience.overlap import Overlap, overlap
from influence.analytics.audience.planner import Pick, Plan, greedy_coverage, plan
from influence.analytics.audience.quality import (
    MANY_FOLLOWING_MEDIAN_FACTOR,
    MIN_AUDIENCE,
    SIGNALS,
    following_threshold,
    quality,
    score_signals,
)

__all__ = [
    "MANY_FOLLOWING_MEDIAN_FACTOR",
    "MIN_AUDIENCE",
    "MIN_KNOWN_FOLLOWERS",
    "SIGNALS",
    "SOURCES",
    "WARN_COVERAGE",
    "Overlap",
    "Pick",
    "Plan",
    "Source",
    "audiences",
    "coverage",
    "coverage_warnings",
    "coverage_words",
    "floor_words",
    "following_threshold",
    "greedy_coverage",
    "is_thin",
    "jaccard",
    "overlap",
    "plan",
    "quality",
    "score_signals",
]
