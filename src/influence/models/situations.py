"""The predictor's three scoring situations (known author, new author, own drafts): which rows
each learns from, which features it may use, and the boosters it ships."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import xgboost as xgb

from influence.models.history import RELATIVE_FEATURES


@dataclass(frozen=True)
class Situation:
    """One scoring situation: which rows it learns from, which features, which target."""

    name: str
    title: str  # plain words for people
    #: frame column the regressor learns; ``relative_target`` is the log ratio to the author's usual
    target: str
    needs_history: bool  # rows (and posts scored) must have an author with earlier posts
    excluded: tuple[str, ...] = ()  # feature name prefixes it must not use
    #: the regressor's value is reported on the engagement scale (the author's usual added back)
    absolute: bool = True


#: Features a draft of an unknown author cannot carry (its place in the graph and its history).
GRAPH_AUTHOR_FEATURES = (
    "author_pagerank",
    "author_community_size_log",
    "emb_",
    "author_past_",
    *RELATIVE_FEATURES,
)

SITUATIONS: dict[str, Situation] = {
    # the known-author regressor learns a correction to the author's usual engagement (boosting
    # from the baseline a user would otherwise use); its value is the usual plus the correction
    "known_author": Situation(
        "known_author", "known author (in the graph, with earlier posts)", "relative_target", True
    ),
    "new_author": Situation(
        "new_author",
        "new author (not in the graph, or no earlier posts)",
        "target",
        False,
        GRAPH_AUTHOR_FEATURES,
    ),
    # ranks one author's drafts against each other: the author's level is left out on purpose
    # only what differs between one author's drafts: the author's counts, place in the graph and
    # history size are the same for every draft (and, across an author's past posts, the history
    # size only stands for the post's age, which a draft does not have)
    "own_drafts": Situation(
        "own_drafts",
        "an author's own drafts (engagement × the author's usual)",
        "relative_target",
        True,
        ("emb_", "author_"),
        absolute=False,
    ),
}


def situation_features(situation: Situation, features: Sequence[str]) -> list[str]:
    """The features of ``features`` that ``situation`` may use, in order."""
    return [f for f in features if not any(f.startswith(p) for p in situation.excluded)]


@dataclass
class SituationModel:
    """The boosters of one situation: ``classifier`` (viral within the scope), ``regressor``
    (the situation's target) and, when the criteria have a scope, ``overall`` (viral over all
    posts)."""

    name: str
    features: list[str]
    classifier: xgb.Booster
    regressor: xgb.Booster
    overall: xgb.Booster | None = None
    #: what the regressor predicts: ``target`` (log1p of the label value), ``relative_target``
    #: (log ratio to the author's usual engagement) or ``rank`` (own drafts: a within-author
    #: ranking score; :attr:`ratio` maps it to a log ratio to the author's usual)
    target: str = "target"
    #: Platt scaling of the classifier's probability (:func:`influence.models.evaluate.apply_platt`),
    #: fitted on authors held out of training
    calibration: dict[str, float] | None = None
    #: own drafts: ``{"slope", "intercept"}`` of log(engagement ÷ usual) on the ranking score
    ratio: dict[str, float] | None = None
