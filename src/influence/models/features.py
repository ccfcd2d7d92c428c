"""Features of posts for the virality predictor (pure: frames in, frames out).

:func:`assemble` turns the raw frames that :mod:`influence.models.graphread` reads (posts,
authors, hashtags, observations) into the numeric feature matrix, the same way for training
(:mod:`influence.models.pipeline`) and for scoring posts in the graph or draft posts that are
not (:mod:`influence.models.predict`).

Feature groups (every missing value is NaN; XGBoost routes NaN down a learned branch, so a
graph where analytics has not run yet still trains and scores; plain names for people are in
:mod:`influence.models.catalogue`):

* content — from :mod:`influence.signals.caption` (caption length, counts, sentiment, the
  eight emotions and arousal of :mod:`influence.signals.emotions`, …) and timing (hour, weekday) from its ``timing_features``;
* media — one-hot post type, carousel size, image quality when the file is on disk;
* author's public counts — log followers / following / posts, verified (a draft carries them
  as ``author_followers``, ``author_following``, ``author_posts``, ``author_verified``);
* author's place in the graph — PageRank, community size, FastRP embedding (``emb_0`` …);
* author history — from :mod:`influence.models.history` (earlier posts only);
* hashtags — count, and mean / max of use count (only earlier posts when training),
  PageRank and community spread;
* early mode only — engagement and velocity observed in the first ``early_hours``.

``User.engagementRate`` is deliberately not a feature: analytics computes it over all of an
author's posts, including the ones the model is tested on, which would leak the answer.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from influence.models import velocity as velocity_mod
from influence.models.graphread import AUTHOR_COLUMNS, OBSERVATION_COLUMNS

MODES = ("pre", "early")
POST_TYPES = ("image", "video", "carousel", "reel", "story", "text")
MAX_LANGUAGES = 12
MAX_EMBEDDING = 64
#: Draft columns that describe an author who is not in the graph, and the graph property each stands for.
DRAFT_AUTHOR_COLUMNS = {
    "author_followers": "followers",
    "author_following": "following",
    "author_posts": "postsCount",
    "author_verified": "verified",
}


@dataclass
class FeatureSpec:
    """What the feature matrix looks like; saved with the model so scoring rebuilds it exactly."""

    mode: str = "pre"
    early_hours: float = 2.0
    weights: dict[str, float] = field(default_factory=lambda: {"likes": 1.0, "comments": 1.0})
    languages: list[str] = field(default_factory=list)
    embedding_dim: int = 0
    embedding_version: Any = None
    scope: str = "global"
    #: scope groups with a one-hot ``region_<key>`` feature (the criteria's scope, when not global)
    regions: list[str] = field(default_factory=list)
    #: emotion lexicon of the ``emo_*`` features (:data:`influence.signals.emotions.LEXICONS`)
    emotion_lexicon: str = "empath"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureSpec:
        """Inverse of :meth:`as_dict` (unknown keys ignored)."""
        known = {
            k: data[k]
            for k in (
                "mode",
                "early_hours",
                "weights",
                "languages",
                "embedding_dim",
                "embedding_version",
                "scope",
                "regions",
                "emotion_lexicon",
            )
            if k in data
        }
        return cls(**known)


# ---------------------------------------------------------------------------- assembling


def scope_keys(posts: pd.DataFrame, authors: pd.DataFrame, scope: str) -> pd.Series:
    """The group a post is judged in: its language, its country (the location's, else the
    author's) or its author's Louvain community; ``<NA>`` when unknown. ``posts`` may carry a
    ``region`` column (a draft's own, or ``predict --region``) that wins over the rest."""
    if scope == "global":
        return pd.Series(pd.NA, index=posts.index, dtype="string")
    given = (
        posts["region"].astype("string")
        if "region" in posts.columns
        else pd.Series(pd.NA, index=posts.index, dtype="string")
    )
    return given.fillna(_derived_scope_keys(posts, authors, scope))


def _derived_scope_keys(posts: pd.DataFrame, authors: pd.DataFrame, scope: str) -> pd.Series:
    if scope == "language":
        return posts["language"].astype("string")
    a = (
        authors.drop_duplicates("id").set_index("id")
        if not authors.empty
        else pd.DataFrame(columns=AUTHOR_COLUMNS).set_index("id")
    )
    if scope == "country":
        own = (
            posts["country"].astype("string")
            if "country" in posts.columns
            else pd.Series(pd.NA, index=posts.index)
        )
        by_author = posts["author"].map(a["country"]).astype("string")
        return own.fillna(by_author).str.upper()
    community = posts["author"].map(a["community"])
    return community.map(lambda c: None if c is None or c != c else str(int(c))).astype("string")


def weighted_engagement(frame: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Weighted engagement of each row (:func:`influence.models.velocity.engagement`); NaN when
    the row has none of the weighted counts."""
    present = np.zeros(len(frame), dtype=bool)
    for metric, weight in weights.items():
        if weight and metric in frame.columns:
            present |= pd.to_numeric(frame[metric], errors="coerce").notna().to_numpy()
    return velocity_mod.engagement(frame, weights).where(present)


def _log1p(values: Any) -> np.ndarray:
    x = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    out: np.ndarray = np.log1p(np.where(x < 0, np.nan, x))
    return out


def _content_block(posts: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    """Caption and timing features from :mod:`influence.signals.caption`, one row per post."""
    try:
        content = importlib.import_module("influence.signals.caption")
    except ModuleNotFoundError as e:  # not installed in this checkout yet: no content features
        if e.name != "influence.signals.caption":
            raise
        return pd.DataFrame(index=posts.index)

    captions = [c if isinstance(c, str) else "" for c in posts["caption"].tolist()]
    tags = [h if isinstance(h, list) else [] for h in posts["hashtags"].tolist()]
    # the post's language is already known (and the content block's copy is dropped below):
    # detecting it again took a third of the content features' time
    block = content.content_features(
        captions, hashtags=tags, languages=posts["language"].tolist(), emotion_lexicon=spec.emotion_lexicon
    )
    timing = content.timing_features(
        pd.Series(pd.to_datetime(pd.to_numeric(posts["postedAt"]), unit="s", utc=True))
    )
    out = pd.concat([block.reset_index(drop=True), timing.reset_index(drop=True)], axis=1)
    out.index = posts.index
    return out.select_dtypes(include=["number", "bool"]).astype(float)


def _image_block(posts: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, str]]:
    """Image quality columns for posts whose media file exists; errors by row position."""
    try:
        image = importlib.import_module("influence.signals.image")
    except ModuleNotFoundError as e:
        if e.name != "influence.signals.image":
            raise
        return pd.DataFrame(index=posts.index), {}

    rows: list[dict[str, float]] = []
    errors: dict[int, str] = {}
    for pos, path in enumerate(posts["mediaPath"].tolist()):
        if not isinstance(path, str) or not path:
            rows.append({})
            continue
        try:
            quality = image.image_quality(Path(path))
        except Exception as e:  # noqa: BLE001 - a broken file is that row's error, never a crash
            errors[pos] = f"media file {path} cannot be used: {e}"
            rows.append({})
            continue
        rows.append({f"img_{k}": float(v) for k, v in (quality or {}).items() if _is_number(v)})
    return pd.DataFrame(rows, index=posts.index).astype(float), errors


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _hashtag_block(posts: pd.DataFrame, tags: pd.DataFrame, prior_uses: bool) -> pd.DataFrame:
    """Per-post aggregates of its hashtags' features.

    ``prior_uses`` counts, for each post, only the uses by posts published strictly earlier
    (training: the graph's totals include the future); otherwise the graph's totals are used.
    """
    cols = [
        "tag_uses_mean",
        "tag_uses_max",
        "tag_pagerank_mean",
        "tag_pagerank_max",
        "tag_spread_mean",
        "tag_spread_max",
    ]
    if not prior_uses:
        return _hashtag_totals(posts, tags, cols)
    ex = posts[["postedAt", "hashtags"]].copy()
    ex["_row"] = np.arange(len(ex))
    ex = ex.explode("hashtags").dropna(subset=["hashtags"]).rename(columns={"hashtags": "name"})
    out = pd.DataFrame(np.nan, index=posts.index, columns=cols)
    if ex.empty:
        return out
    ex = ex.merge(tags, on="name", how="left")
    ex["uses"] = ex.groupby("name")["postedAt"].rank(method="min") - 1
    ex["uses_log"] = _log1p(ex["uses"])
    for c in ("pagerank", "communitySpread"):
        ex[c] = pd.to_numeric(ex[c], errors="coerce").astype(float)
    agg = ex.groupby("_row").agg(
        tag_uses_mean=("uses_log", "mean"),
        tag_uses_max=("uses_log", "max"),
        tag_pagerank_mean=("pagerank", "mean"),
        tag_pagerank_max=("pagerank", "max"),
        tag_spread_mean=("communitySpread", "mean"),
        tag_spread_max=("communitySpread", "max"),
    )
    for c in cols:
        vals = np.full(len(posts), np.nan)
        vals[agg.index.to_numpy(dtype=int)] = agg[c].to_numpy(dtype=float)
        out[c] = vals
    return out


def _hashtag_totals(posts: pd.DataFrame, tags: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """:func:`_hashtag_block` with the graph's total uses, in plain Python: scoring calls it on a
    handful of rows, where pandas' per-call overhead would dominate."""

    def num(v: Any) -> float:
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else math.nan

    info = {
        name: (math.log1p(max(num(u), 0.0)) if num(u) == num(u) else math.nan, num(pr), num(sp))
        for name, u, pr, sp in zip(
            tags["name"], tags["uses"], tags["pagerank"], tags["communitySpread"], strict=True
        )
    }
    out = np.full((len(posts), 6), np.nan)
    for i, names in enumerate(posts["hashtags"].tolist()):
        found = [info[n] for n in (names or []) if n in info]
        if not found:
            continue
        for j in range(3):
            vals = [f[j] for f in found if f[j] == f[j]]
            if vals:
                out[i, 2 * j] = sum(vals) / len(vals)
                out[i, 2 * j + 1] = max(vals)
    return pd.DataFrame(out, index=posts.index, columns=cols)


def _author_block(posts: pd.DataFrame, authors: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    authors = authors.reindex(columns=list(dict.fromkeys([*AUTHOR_COLUMNS, *authors.columns])))
    a = authors.drop_duplicates("id").set_index("id")
    joined = a.reindex(posts["author"].astype(object).where(posts["author"].notna(), None).tolist())
    joined.index = posts.index
    for column, prop in DRAFT_AUTHOR_COLUMNS.items():  # a draft's author not in the graph
        if column in posts.columns and prop in joined.columns:
            known = joined[prop].tolist()
            given = posts[column].tolist()
            if prop == "verified":
                merged: list[Any] = [
                    k if isinstance(k, bool) else (g if isinstance(g, bool) else None)
                    for k, g in zip(known, given, strict=True)
                ]
            else:
                merged = [
                    k if _is_number(k) and k == k else (g if _is_number(g) else None)
                    for k, g in zip(known, given, strict=True)
                ]
            joined[prop] = pd.Series(merged, index=joined.index, dtype=object)
    followers = pd.to_numeric(joined["followers"], errors="coerce").to_numpy(dtype=float)
    out = pd.DataFrame(index=posts.index)
    out["author_followers_log"] = np.log1p(np.where(followers < 0, np.nan, followers))
    out["author_following_log"] = _log1p(joined["following"].to_numpy())
    out["author_posts_log"] = _log1p(joined["postsCount"].to_numpy())
    verified = joined["verified"].map(lambda v: float(v) if isinstance(v, bool) else np.nan)
    out["author_verified"] = verified.to_numpy(dtype=float)
    out["author_pagerank"] = pd.to_numeric(joined["pagerank"], errors="coerce").to_numpy(dtype=float)
    out["author_community_size_log"] = _log1p(joined["communitySize"].to_numpy())
    emb = np.full((len(posts), spec.embedding_dim), np.nan)
    for i, vec in enumerate(joined["embedding"].tolist()):
        if isinstance(vec, list | tuple) and vec:
            n = min(len(vec), spec.embedding_dim)
            emb[i, :n] = np.asarray(vec[:n], dtype=float)
    for j in range(spec.embedding_dim):
        out[f"emb_{j}"] = emb[:, j]
    out["followers"] = followers  # raw, for the baseline (not a feature)
    return out


def _media_block(posts: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    out = pd.DataFrame(index=posts.index)
    kind = posts["type"].astype(object).map(lambda t: str(t).lower() if isinstance(t, str) else None)
    for t in POST_TYPES:
        out[f"type_{t}"] = (kind == t).astype(float)
    out["carousel_size"] = pd.to_numeric(posts["carouselSize"], errors="coerce").to_numpy(dtype=float)
    lang = posts["language"].astype(object)
    for code in spec.languages:
        out[f"lang_{code}"] = (lang == code).astype(float)
    out["lang_other"] = (lang.notna() & ~lang.isin(spec.languages)).astype(float)
    if spec.regions:  # the post's group in the criteria's scope (language, country or community)
        key = (
            posts["scope_key"].astype(object)
            if "scope_key" in posts.columns
            else pd.Series(None, index=posts.index)
        )
        for region in spec.regions:
            out[f"region_{region}"] = (key == region).astype(float)
    return out


def early_block(posts: pd.DataFrame, observations: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    """Engagement seen in the first ``early_hours`` after posting (latest observation then)."""
    out = pd.DataFrame(
        index=posts.index,
        columns=["early_engagement_log", "early_velocity_log", "early_age_hours", "early_observations"],
        dtype=float,
    )
    out["early_observations"] = 0.0
    if observations.empty:
        return out
    obs = observations.merge(posts[["id", "postedAt"]].rename(columns={"id": "post"}), on="post")
    obs["age"] = (pd.to_numeric(obs["at"]) - pd.to_numeric(obs["postedAt"])) / 3600.0
    obs = obs[(obs["age"] <= spec.early_hours) & obs["age"].notna()]
    if obs.empty:
        return out
    obs["eng"] = velocity_mod.engagement(obs, spec.weights).to_numpy()
    last = obs.sort_values(["post", "age"]).groupby("post").tail(1).set_index("post")
    count = obs.groupby("post").size()
    ids = posts["id"]
    eng = last["eng"].reindex(ids).to_numpy(dtype=float)
    age = last["age"].reindex(ids).to_numpy(dtype=float)
    out["early_engagement_log"] = np.log1p(eng)
    out["early_velocity_log"] = np.log1p(eng / np.maximum(age, velocity_mod.MIN_AGE_HOURS))
    out["early_age_hours"] = age
    out["early_observations"] = count.reindex(ids).fillna(0).to_numpy(dtype=float)
    return out


def history_input(raw: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """The frame :func:`influence.models.history.author_context` reads, from raw post rows
    (``features_posts`` columns, or :func:`influence.models.graphread.read_author_history`'s,
    or validated drafts): author, postedAt, engagement_log, n_hashtags, caption_length, type,
    hour, hashtags."""
    t = pd.to_numeric(raw["postedAt"], errors="coerce").astype(float)
    tags = [list(h) if isinstance(h, list | tuple | np.ndarray) else [] for h in raw["hashtags"].tolist()]
    if "caption_length" in raw.columns:
        cap = pd.to_numeric(raw["caption_length"], errors="coerce").to_numpy(dtype=float)
    else:
        cap = np.array(
            [len(c) if isinstance(c, str) else np.nan for c in raw["caption"].tolist()], dtype=float
        )
    return pd.DataFrame(
        {
            "author": raw["author"].to_numpy(dtype=object),
            "postedAt": t.to_numpy(),
            "engagement_log": np.log1p(weighted_engagement(raw, weights)).to_numpy(dtype=float),
            "n_hashtags": np.array([len(x) for x in tags], dtype=float),
            "caption_length": cap,
            "type": raw["type"].to_numpy(dtype=object),
            "hour": ((t % 86400) // 3600).to_numpy(),
            "hashtags": tags,
        },
        index=raw.index,
    )


def author_history_block(
    posts: pd.DataFrame, history: pd.DataFrame, weights: Mapping[str, float]
) -> pd.DataFrame:
    """:func:`influence.models.history.author_context` of raw ``posts`` against raw ``history``
    rows (both as :func:`history_input` takes them): the author's earlier median and habits."""
    from influence.models.history import author_context

    return author_context(history_input(posts, weights), history_input(history, weights))


def assemble(
    posts: pd.DataFrame,
    authors: pd.DataFrame,
    hashtags: pd.DataFrame,
    spec: FeatureSpec,
    *,
    observations: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    prior_hashtag_uses: bool = False,
) -> tuple[pd.DataFrame, dict[int, str]]:
    """The feature matrix for ``posts`` (rows in the same order) and per-row errors.

    ``posts`` has the columns of ``features_posts.cypher`` (drafts: built by the caller), plus
    the optional draft columns of :data:`DRAFT_AUTHOR_COLUMNS`. ``history`` holds the authors'
    posts (``features_posts`` or ``read_author_history`` rows); without it the author-history
    columns are absent. Columns not listed in a model's features are ignored by the caller;
    :func:`feature_names` gives the canonical order.
    """
    posts = posts.reset_index(drop=True)
    parts = [
        _content_block(posts, spec),
        _media_block(posts, spec),
        _author_block(posts, authors, spec),
        _hashtag_block(posts, hashtags, prior_hashtag_uses),
    ]
    if history is not None:
        parts.append(author_history_block(posts, history, spec.weights))
    img, errors = _image_block(posts)
    parts.append(img)
    if spec.mode == "early":
        parts.append(
            early_block(
                posts,
                observations if observations is not None else pd.DataFrame(columns=OBSERVATION_COLUMNS),
                spec,
            )
        )
    frame = pd.concat(parts, axis=1)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return frame, errors


NOT_FEATURES = ("followers",)


def feature_names(frame: pd.DataFrame) -> list[str]:
    """Feature columns of an assembled frame (everything but the baseline-only columns)."""
    return [c for c in frame.columns if c not in NOT_FEATURES]
