"""Training the virality predictor on the graph: read → label → featurise → train → save.

The one module of :mod:`influence.models` that talks to Neo4j while training. The steps it
chains are pure functions elsewhere: :mod:`~influence.models.graphread` (reads),
:mod:`~influence.models.labels` and :mod:`~influence.models.velocity` (labels),
:mod:`~influence.models.features` and :mod:`~influence.models.history` (features),
:mod:`~influence.models.train` (the three situations, their splits and baselines),
:mod:`~influence.models.store` (the model folder) and the model card.

**Which target.** ``target="auto"`` (the default) labels velocity — engagement per hour over
the criteria's window — wherever the observations allow it; when most dated posts have no
velocity label (each post seen once, long after posting: a crawl, a Kaggle table, one
gallery-dl run) it labels the *settled engagement* instead: the engagement at the latest
observation of posts at least ``settled_after_hours`` old then. :class:`TrainingData` says which
target was used, why, and how many posts each criteria key excluded.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver

from influence.errors import ModelError
from influence.models import features as feat
from influence.models import graphread
from influence.models import velocity as velocity_mod
from influence.models.criteria import SHIPPED, Criteria, describe, load_criteria, shipped_criteria
from influence.models.labels import label_posts

TARGETS = ("auto", "velocity", "engagement")
#: ``auto`` keeps velocity when at least this share of the dated posts gets a velocity label.
VELOCITY_SHARE = 0.5
#: With fewer labelled posts than this share of the dated ones, training names a shipped
#: criteria file that would label at least twice as many (if one does).
SMALL_LABEL_SHARE = 0.25
MAX_SCOPES = 20
Progress = Callable[[str], None]


@dataclass
class TrainingData:
    """What :func:`training_frame` returns.

    ``frame`` (index: post id) holds the features and ``posted_at`` (epoch s), ``author``,
    ``target`` (``log1p`` of the labelled value), ``viral`` (0/1 within the scope),
    ``viral_overall`` (0/1 over all posts), ``followers``, ``engagement_log`` (``log1p`` weighted
    engagement at the latest observation), ``relative_target`` (``engagement_log`` minus the
    author's earlier median) and ``scope_key``.
    """

    frame: pd.DataFrame
    features: list[str]
    spec: feat.FeatureSpec
    counts: dict[str, int]
    target: str = "velocity"
    target_reason: str = ""
    exclusions: dict[str, int] = field(default_factory=dict)
    settled_after_hours: float | None = None


def _regions(keys: pd.Series, min_posts: int) -> list[str]:
    """The scope groups big enough to be judged on their own (at most :data:`MAX_SCOPES`)."""
    counts = keys.dropna().astype(str).value_counts()
    return [str(k) for k in counts.index[:MAX_SCOPES] if counts[k] >= min_posts]


def _labels_input(posts: pd.DataFrame, authors: pd.DataFrame, scope_key: pd.Series) -> pd.DataFrame:
    followers = (
        authors.drop_duplicates("id").set_index("id")["followers"]
        if not authors.empty
        else pd.Series(dtype=float)
    )
    return pd.DataFrame(
        {
            "post": posts["id"],
            "author": posts["author"],
            "posted_at": pd.to_datetime(posts["postedAt"], unit="s", utc=True),
            "author_followers": pd.to_numeric(posts["author"].map(followers), errors="coerce"),
            "scope_key": scope_key,
        }
    )


def _exclusions(
    values: pd.DataFrame,
    labels: pd.DataFrame,
    criteria: Criteria,
    min_age: float,
    max_first: float,
    age_key: str,
) -> dict[str, int]:
    """How many dated posts each rule kept out of the labels (in the order the rules apply)."""
    v = values.set_index("post")
    lab = labels.set_index("post")
    no_obs = v["velocity"].isna()
    too_young = ~no_obs & (v["last_age_hours"].fillna(-math.inf) < min_age)
    late = (
        ~no_obs
        & ~too_young
        & (v.get("first_age_hours", pd.Series(0.0, index=v.index)).fillna(math.inf) > max_first)
    )
    rest = ~(no_obs | too_young | late)
    no_base = rest & lab["is_viral"].reindex(v.index).isna()
    out = {
        "no observation": int(no_obs.sum()),
        f"younger than {age_key} ({min_age:g} h)": int(too_young.sum()),
    }
    if math.isfinite(max_first):
        out[f"first seen after max_first_observation_hours ({max_first:g} h)"] = int(late.sum())
    if criteria.baseline == "author_median":
        out[f"author has fewer than min_author_posts ({criteria.min_author_posts}) other labelled posts"] = (
            int(no_base.sum())
        )
    elif criteria.baseline == "per_follower":
        out["author's follower count unknown"] = int(no_base.sum())
    return out


def _label(
    posts: pd.DataFrame,
    observations: pd.DataFrame,
    criteria: Criteria,
    scope_key: pd.Series,
    authors: pd.DataFrame,
    target: str,
    settled_hours: float,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Labels under one target: (labels within the scope, labels over all posts, exclusions)."""
    obs = observations.assign(at=pd.to_datetime(observations["at"], unit="s", utc=True))
    post_times = pd.DataFrame(
        {"post": posts["id"], "posted_at": pd.to_datetime(posts["postedAt"], unit="s", utc=True)}
    )
    if target == "velocity":
        values = velocity_mod.post_velocity(obs, post_times, criteria.window_hours, criteria.weights)
        crit = criteria
        min_age, max_first, key = (
            criteria.min_age_hours,
            criteria.max_first_observation_hours,
            "min_age_hours",
        )
    else:
        latest = velocity_mod.latest_engagement(obs, post_times, criteria.weights)
        values = latest.rename(columns={"engagement": "velocity"})
        values["first_age_hours"] = 0.0
        crit = replace(criteria, min_age_hours=settled_hours, max_first_observation_hours=math.inf)
        min_age, max_first, key = settled_hours, math.inf, "settled_after_hours"
    info = _labels_input(posts, authors, scope_key)
    scoped = label_posts(values, info, crit)
    overall = (
        scoped if criteria.scope == "global" else label_posts(values, info, replace(crit, scope="global"))
    )
    return scoped, overall, _exclusions(values, scoped, criteria, min_age, max_first, key)


def _choose_target(
    target: str,
    posts: pd.DataFrame,
    observations: pd.DataFrame,
    criteria: Criteria,
    scope_key: pd.Series,
    authors: pd.DataFrame,
    say: Progress,
) -> tuple[str, str, float, tuple[Any, ...]]:
    post_times = pd.DataFrame(
        {
            "post": posts["id"],
            "posted_at": pd.to_datetime(posts["postedAt"], unit="s", utc=True),
            "author": posts["author"],
        }
    )
    obs = observations.assign(at=pd.to_datetime(observations["at"], unit="s", utc=True))
    if criteria.settled_after_hours is not None:
        settled, how = (
            criteria.settled_after_hours,
            f"{criteria.settled_after_hours:g} h (from the criteria file)",
        )
    else:
        settled, how = velocity_mod.settled_age_hours(obs, post_times, criteria.weights)
    dated = len(posts)
    if target == "velocity":
        return (
            "velocity",
            "asked for with --target velocity",
            settled,
            _label(posts, observations, criteria, scope_key, authors, "velocity", settled),
        )
    if target == "engagement":
        return (
            "engagement",
            f"asked for with --target engagement; settled after {how}",
            settled,
            _label(posts, observations, criteria, scope_key, authors, "engagement", settled),
        )
    by_velocity = _label(posts, observations, criteria, scope_key, authors, "velocity", settled)
    n_velocity = int(by_velocity[0]["is_viral"].notna().sum())
    if n_velocity >= VELOCITY_SHARE * dated:
        return (
            "velocity",
            (f"{n_velocity:,} of {dated:,} dated posts ({n_velocity / dated:.0%}) have a measured velocity"),
            settled,
            by_velocity,
        )
    by_engagement = _label(posts, observations, criteria, scope_key, authors, "engagement", settled)
    n_engagement = int(by_engagement[0]["is_viral"].notna().sum())
    if n_engagement <= n_velocity:
        return (
            "velocity",
            (
                f"only {n_velocity:,} of {dated:,} dated posts have a measured velocity, but settled "
                f"engagement would label no more ({n_engagement:,})"
            ),
            settled,
            by_velocity,
        )
    say(
        f"only {n_velocity:,} of {dated:,} dated posts have a measured velocity (most were first seen long after "
        f"posting): labelling their settled engagement instead"
    )
    return (
        "engagement",
        (
            f"only {n_velocity:,} of {dated:,} dated posts ({n_velocity / max(dated, 1):.0%}) have a "
            f"measured velocity — most were first seen long after posting — so the label is the "
            f"engagement a post had once it settled, after {how}"
        ),
        settled,
        by_engagement,
    )


def suggest_shipped(
    posts: pd.DataFrame, observations: pd.DataFrame, authors: pd.DataFrame, current: Criteria
) -> tuple[str, int] | None:
    """The shipped criteria file (:data:`~influence.models.criteria.SHIPPED`) that labels the
    most of these posts, and how many, when that is more than none; the current file is skipped."""
    best: tuple[str, int] | None = None
    for name, path in shipped_criteria().items():
        if current.source == str(path):
            continue
        other = load_criteria(path)
        keys = feat.scope_keys(posts, authors, other.scope)
        _, _, _, (scoped, _, _) = _choose_target(
            "engagement", posts, observations, other, keys, authors, lambda _m: None
        )
        n = int(scoped["is_viral"].notna().sum())
        if n and (best is None or n > best[1]):
            best = (name, n)
    return best


def _suggestion(found: tuple[str, int] | None) -> str:
    if found is None:
        return ""
    name, n = found
    fits, flags = SHIPPED[name]
    return (
        f" The shipped criteria {name!r}, made for {fits}, would label {n:,} of these posts: "
        f"`influence train --criteria {name} {flags}` (`influence criteria list` shows them all)."
    )


def training_frame(
    driver: Driver,
    criteria: Criteria,
    mode: str = "pre",
    early_hours: float = 2.0,
    database: str | None = None,
    progress: Progress | None = None,
    target: str = "auto",
    emotion_lexicon: str = "empath",
) -> TrainingData:
    """Read every dated post, its observations, author and hashtags; label and featurise.

    ``target``: ``auto`` (see the module doc), ``velocity`` (the criteria's engagement per hour
    over the window) or ``engagement`` (the settled engagement). Raises :class:`ModelError`
    when the graph has no labelled posts, naming the criteria keys that excluded them.
    """
    if mode not in feat.MODES:
        raise ModelError(f"mode must be one of {', '.join(feat.MODES)}, not {mode!r}")
    if target not in TARGETS:
        raise ModelError(f"target must be one of {', '.join(TARGETS)}, not {target!r}")
    say = progress or (lambda _m: None)
    ids = graphread.read_post_ids(driver, database)
    if not ids:
        raise ModelError("the graph has no posts with a publication time — load some with `influence load`")
    say(f"reading features of {len(ids):,} posts")
    posts = graphread.read_posts(driver, ids, database)
    observations = graphread.read_observations(driver, ids, database)
    authors = graphread.read_authors(driver, posts["author"].dropna().unique().tolist(), database)
    names = sorted({t for tags in posts["hashtags"] for t in (tags or [])})
    tags = graphread.read_hashtags(driver, names, database)
    say(f"{len(observations):,} observations, {len(authors):,} authors, {len(tags):,} hashtags")

    scope_key = feat.scope_keys(posts, authors, criteria.scope)
    used_target, reason, settled, (scoped, overall, exclusions) = _choose_target(
        target, posts, observations, criteria, scope_key, authors, say
    )
    labelled = scoped[scoped["is_viral"].notna()].set_index("post")
    if labelled.empty:
        why = "; ".join(f"{k}: {v:,}" for k, v in exclusions.items() if v)
        raise ModelError(
            f"no post could be labelled under the criteria ({criteria.source}); of {len(ids):,} dated posts — {why}. "
            "Load more data or relax those keys in the criteria file (`influence criteria show`)."
            + _suggestion(suggest_shipped(posts, observations, authors, criteria))
        )
    if len(labelled) < SMALL_LABEL_SHARE * len(ids):
        found = suggest_shipped(posts, observations, authors, criteria)
        if found is not None and found[1] >= 2 * len(labelled):
            why = "; ".join(f"{k}: {v:,}" for k, v in exclusions.items() if v)
            say(
                f"only {len(labelled):,} of {len(ids):,} dated posts could be labelled ({why})."
                + _suggestion(found)
            )
    all_posts = posts.assign(scope_key=scope_key.to_numpy())
    posts = all_posts[all_posts["id"].isin(labelled.index)].reset_index(drop=True)
    if mode == "early":
        posts = _with_early_observation(posts, observations, early_hours)
        if posts.empty:
            raise ModelError(
                f"no labelled post was observed both within its first {early_hours:g} hours and later — early "
                "mode needs time series that start soon after posting"
            )

    langs = posts["language"].dropna().value_counts()
    emb_dims = [len(v) for v in authors["embedding"] if isinstance(v, list)] if not authors.empty else []
    versions = [v for v in authors.get("embeddingVersion", pd.Series(dtype=object)).dropna().unique()]
    spec = feat.FeatureSpec(
        mode=mode,
        early_hours=float(early_hours),
        weights=dict(criteria.weights),
        languages=[str(c) for c in langs.index[: feat.MAX_LANGUAGES] if langs[c] >= 5],
        embedding_dim=min(max(emb_dims, default=0), feat.MAX_EMBEDDING),
        embedding_version=versions[0] if len(versions) == 1 else (sorted(map(str, versions)) or None),
        scope=criteria.scope,
        regions=_regions(posts["scope_key"], criteria.min_scope_posts),
        emotion_lexicon=emotion_lexicon,
    )
    say("computing features")
    # the author's history counts every earlier post in the graph, labelled or not
    x, errors = feat.assemble(
        posts, authors, tags, spec, observations=observations, history=all_posts, prior_hashtag_uses=True
    )
    if errors:
        keep = [i for i in range(len(posts)) if i not in errors]
        posts, x = posts.iloc[keep].reset_index(drop=True), x.iloc[keep].reset_index(drop=True)
    feats = feat.feature_names(x)
    emotions = [f for f in feats if f.startswith("emo_")]
    if emotions and not np.nan_to_num(x[emotions].to_numpy(dtype=float)).any():
        # no caption has a word of the (English) lexicon: columns of zeros cannot be split on, yet
        # they would take slots in XGBoost's column sampling and so change the model
        feats = [f for f in feats if f not in emotions]
        say(f"no caption carries an emotion word of the {emotion_lexicon} lexicon: emotion features left out")
    frame = x.copy()
    frame["id"] = posts["id"].to_numpy()
    frame["posted_at"] = pd.to_numeric(posts["postedAt"]).to_numpy(dtype=float)
    frame["author"] = posts["author"].fillna("").to_numpy()
    lab = labelled.reindex(posts["id"])
    over = overall.set_index("post")["is_viral"].reindex(posts["id"])
    frame["viral"] = lab["is_viral"].astype(float).to_numpy()
    frame["viral_overall"] = over.astype(float).to_numpy()
    frame["target"] = np.log1p(lab["velocity"].to_numpy(dtype=float))
    frame["engagement_log"] = np.log1p(feat.weighted_engagement(posts, criteria.weights)).to_numpy(
        dtype=float
    )
    frame["relative_target"] = frame["engagement_log"] - frame["author_past_median"]
    frame["scope_key"] = posts["scope_key"].to_numpy()
    if mode == "early":
        frame = _growth_labels(frame, criteria)
    counts = {
        "posts": len(ids),
        "observations": len(observations),
        "labelled": int(len(labelled)),
        "used": len(frame),
        "viral": int(np.nansum(frame["viral"])),
        "media_errors": len(errors),
    }
    return TrainingData(
        frame=frame.set_index("id"),
        features=feats,
        spec=spec,
        counts=counts,
        target=used_target,
        target_reason=reason,
        exclusions=exclusions,
        settled_after_hours=settled,
    )


def _growth_labels(frame: pd.DataFrame, criteria: Criteria) -> pd.DataFrame:
    """Early mode labels the *growth after the first observation*: what the model cannot see yet.

    ``target`` becomes log(engagement at the latest observation ÷ engagement seen in the first
    hours) (``log1p`` both), ``relative_target`` the same (the author's level cancels), and
    ``viral`` the top ``top_percent`` % of that growth (10 % when the criteria use a z-score).
    Labelling the final engagement instead rewards a model for repeating what it already saw
    (engagement so far ranks final engagement at ρ ≈ 0.95 on the crawl). ``early_vs_usual_log``
    — engagement so far against the author's usual — is the one-line rule to beat."""
    out = frame.copy()
    early = out["early_engagement_log"].to_numpy(dtype=float)
    growth = out["engagement_log"].to_numpy(dtype=float) - early
    out["target"] = growth
    out["relative_target"] = growth
    top = float(criteria.threshold_value) if criteria.threshold == "top_percent" else 10.0
    ok = np.isfinite(growth)
    cut = np.quantile(growth[ok], 1 - top / 100.0) if ok.any() else np.inf
    viral = np.where(ok, (growth >= cut) & (growth > 0), np.nan).astype(float)
    out["viral"] = viral
    out["viral_overall"] = viral
    out["early_vs_usual_log"] = early - out["author_past_median"].to_numpy(dtype=float)
    return out


def _with_early_observation(posts: pd.DataFrame, observations: pd.DataFrame, hours: float) -> pd.DataFrame:
    """The posts observed within ``hours`` of posting *and* again later: a post whose only
    observations fall inside the early window would be labelled with what the model sees."""
    if observations.empty:
        return posts.iloc[0:0]
    obs = observations.merge(posts[["id", "postedAt"]].rename(columns={"id": "post"}), on="post")
    age = (pd.to_numeric(obs["at"]) - pd.to_numeric(obs["postedAt"])) / 3600.0
    early = set(obs.loc[age <= hours, "post"])
    later = set(obs.loc[age > hours, "post"])
    return posts[posts["id"].isin(early & later)].reset_index(drop=True)


@dataclass
class TrainReport:
    """What :func:`train_from_graph` did: where the model is, which target, how it scored."""

    model_dir: Path
    card: Path
    evaluation: dict[str, dict[str, dict[str, dict[str, Any]]]]
    splits: dict[str, dict[str, dict[str, Any]]]
    counts: dict[str, int]
    target: str
    target_reason: str
    exclusions: dict[str, int]
    #: situation -> plain verdict (:mod:`influence.models.verdicts`)
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: situation -> Brier vs base rate and reliability bins on held-out authors
    calibration: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def train_from_graph(
    driver: Driver,
    criteria: Criteria,
    out_dir: Path,
    *,
    mode: str = "pre",
    early_hours: float = 2.0,
    target: str = "auto",
    database: str | None = None,
    progress: Progress | None = None,
    emotion_lexicon: str = "empath",
) -> TrainReport:
    """Read features from Neo4j, label them with ``criteria``, train and evaluate the three
    situations, and write the model folder (boosters, ``model.json``, model card) to ``out_dir``.

    Raises :class:`ModelError` (too little data, nothing labelled) or
    :class:`~influence.errors.ConfigError` (bad criteria).
    """
    from influence.models import store, train
    from influence.models.card import write_model_card

    say = progress or (lambda _m: None)
    data = training_frame(
        driver,
        criteria,
        mode=mode,
        early_hours=early_hours,
        database=database,
        progress=progress,
        target=target,
        emotion_lexicon=emotion_lexicon,
    )
    dated = data.counts["posts"]
    say(f"target: {data.target} — {data.target_reason}")
    say(
        f"labelled {data.counts['labelled']:,} of {dated:,} dated posts ({data.counts['labelled'] / max(dated, 1):.0%})"
        + "".join(f"; {k}: {v:,}" for k, v in data.exclusions.items() if v)
    )
    baselines = (
        {"early_engagement": "early_engagement_log", "early_vs_usual": "early_vs_usual_log"}
        if mode == "early"
        else None
    )
    result = train.train_models(
        data.frame,
        data.features,
        progress=progress,
        extra_baselines=baselines,
        relative_known=data.target == "engagement" and mode != "early",
    )
    time_split = result.splits.get("known_author", result.splits.get("new_author", {})).get("time", {})
    test_from = time_split.get("test_from")
    meta = store.ModelMeta(
        mode=mode,
        target=data.target,
        target_reason=data.target_reason,
        settled_after_hours=data.settled_after_hours,
        spec=data.spec.as_dict(),
        criteria=describe(criteria),
        data_fingerprint=store.fingerprint(data.frame, [*data.features, "posted_at", "viral", "target"]),
        counts=data.counts,
        exclusions=data.exclusions,
        split={
            **time_split,
            "test_from_iso": datetime.fromtimestamp(test_from, UTC).isoformat(timespec="seconds")
            if test_from is not None and math.isfinite(test_from)
            else None,
        },
        splits=result.splits,
        evaluation=result.evaluation,
        best_rounds=result.best_rounds,
        importance=result.importance,
        scope=criteria.scope,
        params={
            "classifier": train.CLASSIFIER_PARAMS,
            "regressor": train.REGRESSOR_PARAMS,
            "ranker": train.RANKER_PARAMS,
        },
        verdicts=result.verdicts,
        calibration={k: dict(v) for k, v in result.calibration.items()},
        warnings=list(result.warnings),
    )
    out_dir = Path(out_dir)
    store.save(out_dir, result.models, meta)
    saved = store.load(out_dir)
    card = write_model_card(out_dir, saved.meta, result.test)
    return TrainReport(
        model_dir=out_dir,
        card=card,
        evaluation=result.evaluation,
        splits=result.splits,
        counts=data.counts,
        target=data.target,
        target_reason=data.target_reason,
        exclusions=data.exclusions,
        verdicts=saved.meta.verdicts,
        calibration=saved.meta.calibration,
        warnings=list(result.warnings),
    )
