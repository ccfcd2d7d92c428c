"""Features of posts for the virality predictor, read from Neo4j in batches.

Reading (``read_*``) runs the ``cypher/features_*.cypher`` read queries in batches of ids and
returns plain DataFrames. Assembling (:func:`assemble`) turns those frames into the numeric
feature matrix, the same way for training (:func:`training_frame`) and for scoring posts in
the graph or draft posts that are not (``influence.models.predict``).

Feature groups (every missing value is NaN; XGBoost routes NaN down a learned branch, so a
graph where analytics has not run yet still trains and scores):

* content — from :mod:`influence.models.content` (caption length, counts, sentiment, …) and
  timing (hour, weekday) from its ``timing_features``;
* media — one-hot post type, carousel size, image quality when the file is on disk;
* author — log followers / following / posts, verified, PageRank, community size, FastRP
  embedding (``emb_0`` …), and the author's median engagement over *earlier* posts;
* hashtags — count, and mean / max of use count (only earlier posts when training),
  PageRank and community spread;
* early mode only — engagement and velocity observed in the first ``early_hours``.

``User.engagementRate`` is deliberately not a feature: analytics computes it over all of an
author's posts, including the ones the model is tested on, which would leak the answer.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from neo4j import READ_ACCESS, Driver

from influence import cypher, db
from influence.errors import ModelError
from influence.models import velocity as velocity_mod
from influence.models.criteria import Criteria
from influence.models.labels import label_posts
from influence.models.train import add_author_history

BATCH = 5000
MODES = ("pre", "early")
TARGETS = ("velocity", "engagement")
POST_TYPES = ("image", "video", "carousel", "reel", "story", "text")
MAX_LANGUAGES = 12
MAX_EMBEDDING = 64
Progress = Callable[[str], None]

POST_COLUMNS = ["id", "author", "postedAt", "caption", "type", "carouselSize", "language", "mediaPath",
                "likes", "comments", "views", "shares", "hashtags", "mentions"]
AUTHOR_COLUMNS = ["id", "followers", "following", "postsCount", "verified", "pagerank", "communitySize",
                  "embedding", "embeddingVersion"]
HASHTAG_COLUMNS = ["name", "uses", "pagerank", "communitySpread"]
OBSERVATION_COLUMNS = ["post", "at", "likes", "comments", "views", "shares"]
HISTORY_COLUMNS = ["author", "post", "postedAt", "likes", "comments", "views", "shares"]


@dataclass
class FeatureSpec:
    """What the feature matrix looks like; saved with the model so scoring rebuilds it exactly."""

    mode: str = "pre"
    early_hours: float = 2.0
    weights: dict[str, float] = field(default_factory=lambda: {"likes": 1.0, "comments": 1.0})
    languages: list[str] = field(default_factory=list)
    embedding_dim: int = 0
    embedding_version: Any = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureSpec:
        """Inverse of :meth:`as_dict` (unknown keys ignored)."""
        known = {k: data[k] for k in ("mode", "early_hours", "weights", "languages", "embedding_dim",
                                      "embedding_version") if k in data}
        return cls(**known)


# ----------------------------------------------------------------------------- reading


def _read(driver: Driver, query: str, params: Mapping[str, Any], database: str | None) -> list[dict[str, Any]]:
    # Analytics properties are optional; the "property key does not exist" notifications that
    # would cause are switched off for every driver by `db.connect`.
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        def work(tx: Any) -> list[dict[str, Any]]:
            result = tx.run(query, dict(params))
            keys = list(result.keys())
            return [dict(zip(keys, row, strict=True)) for row in result.values()]

        return session.execute_read(work)


def _read_batched(driver: Driver, name: str, key: str, values: Iterable[Any], columns: list[str],
                  database: str | None) -> pd.DataFrame:
    query = cypher.load(name)
    rows: list[dict[str, Any]] = []
    for chunk in db.batched(list(dict.fromkeys(v for v in values if v is not None)), BATCH):
        rows.extend(_read(driver, query, {key: chunk}, database))
    return pd.DataFrame(rows, columns=columns)


def read_post_ids(driver: Driver, database: str | None = None) -> list[str]:
    """Ids of every post with a publication time, oldest first."""
    return [r["id"] for r in _read(driver, cypher.load("features_post_ids"), {}, database)]


def read_posts(driver: Driver, ids: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Raw post rows (see ``features_posts.cypher``) for ``ids``; unknown ids are absent."""
    return _read_batched(driver, "features_posts", "ids", ids, POST_COLUMNS, database)


def read_authors(driver: Driver, ids: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Author rows (see ``features_authors.cypher``) for the user ``ids`` in the graph."""
    return _read_batched(driver, "features_authors", "ids", ids, AUTHOR_COLUMNS, database)


def read_hashtags(driver: Driver, names: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Hashtag rows (see ``features_hashtags.cypher``) for the ``names`` in the graph."""
    return _read_batched(driver, "features_hashtags", "names", names, HASHTAG_COLUMNS, database)


def read_observations(driver: Driver, ids: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Observation rows (post, at in epoch seconds, counts) of the posts ``ids``."""
    return _read_batched(driver, "features_observations", "ids", ids, OBSERVATION_COLUMNS, database)


def read_author_history(driver: Driver, ids: Iterable[str], database: str | None = None) -> pd.DataFrame:
    """Every dated post of the authors ``ids`` with its latest counts (one row per post)."""
    # one record per author with parallel lists: far fewer records to decode than one per post
    packed = _read_batched(driver, "features_author_history", "ids", ids,
                           ["author", "posts", "postedAt", "likes", "comments", "views", "shares"], database)
    if packed.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    lengths = packed["posts"].map(len).to_numpy()
    out = pd.DataFrame({"author": np.repeat(packed["author"].to_numpy(), lengths),
                        "post": np.concatenate(packed["posts"].to_numpy())})
    out["postedAt"] = np.concatenate(packed["postedAt"].to_numpy()).astype(float)
    for metric in ("likes", "comments", "views", "shares"):
        values = np.concatenate(packed[metric].to_numpy()).astype(float)
        out[metric] = np.where(values < 0, np.nan, values)  # -1 stands for a missing count
    return out[HISTORY_COLUMNS]


# ---------------------------------------------------------------------------- assembling


def weighted_engagement(frame: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Weighted engagement of each row; NaN when the row has none of the weighted counts."""
    total = velocity_mod.engagement(frame, weights)
    present = pd.Series(False, index=frame.index)
    for metric, weight in weights.items():
        if weight and metric in frame.columns:
            present |= pd.to_numeric(frame[metric], errors="coerce").notna()
    return total.where(present)


def _log1p(values: Any) -> np.ndarray:
    x = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    out: np.ndarray = np.log1p(np.where(x < 0, np.nan, x))
    return out


def _content_block(posts: pd.DataFrame) -> pd.DataFrame:
    """Caption and timing features from :mod:`influence.models.content`, one row per post."""
    try:
        content = importlib.import_module("influence.models.content")
    except ModuleNotFoundError as e:  # not installed in this checkout yet: no content features
        if e.name != "influence.models.content":
            raise
        return pd.DataFrame(index=posts.index)

    captions = [c if isinstance(c, str) else "" for c in posts["caption"].tolist()]
    tags = [h if isinstance(h, list) else [] for h in posts["hashtags"].tolist()]
    # the post's language is already known (and the content block's copy is dropped below):
    # detecting it again took a third of the content features' time
    block = content.content_features(captions, hashtags=tags, languages=posts["language"].tolist())
    timing = content.timing_features(pd.Series(pd.to_datetime(pd.to_numeric(posts["postedAt"]), unit="s", utc=True)))
    out = pd.concat([block.reset_index(drop=True), timing.reset_index(drop=True)], axis=1)
    out.index = posts.index
    return out.select_dtypes(include=["number", "bool"]).astype(float)


def _image_block(posts: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, str]]:
    """Image quality columns for posts whose media file exists; errors by row position."""
    try:
        image = importlib.import_module("influence.models.image")
    except ModuleNotFoundError as e:
        if e.name != "influence.models.image":
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
    cols = ["tag_uses_mean", "tag_uses_max", "tag_pagerank_mean", "tag_pagerank_max",
            "tag_spread_mean", "tag_spread_max"]
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
        tag_uses_mean=("uses_log", "mean"), tag_uses_max=("uses_log", "max"),
        tag_pagerank_mean=("pagerank", "mean"), tag_pagerank_max=("pagerank", "max"),
        tag_spread_mean=("communitySpread", "mean"), tag_spread_max=("communitySpread", "max"),
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

    info = {name: (math.log1p(max(num(u), 0.0)) if num(u) == num(u) else math.nan, num(pr), num(sp))
            for name, u, pr, sp in zip(tags["name"], tags["uses"], tags["pagerank"], tags["communitySpread"],
                                       strict=True)}
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
    a = authors.drop_duplicates("id").set_index("id") if not authors.empty else pd.DataFrame(columns=AUTHOR_COLUMNS).set_index("id")
    joined = a.reindex(posts["author"].astype(object).where(posts["author"].notna(), None).tolist())
    followers = pd.to_numeric(joined["followers"], errors="coerce").to_numpy(dtype=float)
    if "author_followers" in posts.columns:  # a draft's author not in the graph
        given = pd.to_numeric(posts["author_followers"], errors="coerce").to_numpy(dtype=float)
        followers = np.where(np.isnan(followers), given, followers)
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
    return out


def early_block(posts: pd.DataFrame, observations: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    """Engagement seen in the first ``early_hours`` after posting (latest observation then)."""
    out = pd.DataFrame(index=posts.index, columns=["early_engagement_log", "early_velocity_log",
                                                   "early_age_hours", "early_observations"], dtype=float)
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


def author_past_median(posts: pd.DataFrame, history: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """For posts being scored: the author's median log1p engagement over posts published
    strictly before each post (so never the post itself), and how many there were."""
    med = np.full(len(posts), np.nan)
    cnt = np.zeros(len(posts))
    if not history.empty:
        h = pd.DataFrame({
            "author": history["author"].to_numpy(),
            "t": pd.to_numeric(history["postedAt"], errors="coerce").to_numpy(dtype=float),
            "eng": np.log1p(weighted_engagement(history, weights)).to_numpy(dtype=float),
        }).dropna(subset=["t", "eng"]).sort_values(["author", "t"], kind="mergesort")
        t_post = pd.to_numeric(posts["postedAt"], errors="coerce").to_numpy(dtype=float)
        wanted = pd.Series(np.arange(len(posts))).groupby(posts["author"].to_numpy()).indices
        for author, g in h.groupby("author", sort=False):
            rows = wanted.get(author)
            if rows is None:
                continue
            times = g["t"].to_numpy()
            prefix = g["eng"].expanding().median().to_numpy()
            t = t_post[rows]
            k = np.where(np.isnan(t), len(times), np.searchsorted(times, np.nan_to_num(t), side="left"))
            has = k > 0
            med[rows[has]] = prefix[k[has] - 1]
            cnt[rows] = k
    return pd.DataFrame({"author_past_median": med, "author_past_posts": cnt}, index=posts.index)


def assemble(
    posts: pd.DataFrame,
    authors: pd.DataFrame,
    hashtags: pd.DataFrame,
    spec: FeatureSpec,
    *,
    observations: pd.DataFrame | None = None,
    prior_hashtag_uses: bool = False,
) -> tuple[pd.DataFrame, dict[int, str]]:
    """The feature matrix for ``posts`` (rows in the same order) and per-row errors.

    ``posts`` has the columns of ``features_posts.cypher`` (drafts: built by the caller), plus
    optional ``author_followers``. Columns not listed in a model's features are ignored by the
    caller; :func:`feature_names` gives the canonical order.
    """
    posts = posts.reset_index(drop=True)
    parts = [
        _content_block(posts),
        _media_block(posts, spec),
        _author_block(posts, authors, spec),
        _hashtag_block(posts, hashtags, prior_hashtag_uses),
    ]
    img, errors = _image_block(posts)
    parts.append(img)
    if spec.mode == "early":
        parts.append(early_block(posts, observations if observations is not None else
                                 pd.DataFrame(columns=OBSERVATION_COLUMNS), spec))
    frame = pd.concat(parts, axis=1)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return frame, errors


NOT_FEATURES = ("followers",)


def feature_names(frame: pd.DataFrame) -> list[str]:
    """Feature columns of an assembled frame (everything but the baseline-only columns)."""
    return [c for c in frame.columns if c not in NOT_FEATURES]


# ----------------------------------------------------------------------------- training


@dataclass
class TrainingData:
    """What :func:`training_frame` returns."""

    frame: pd.DataFrame  # index: post id; features + posted_at, author, target, viral, followers, engagement_log
    features: list[str]
    spec: FeatureSpec
    counts: dict[str, int]


def _labels_input(posts: pd.DataFrame, authors: pd.DataFrame, criteria: Criteria) -> pd.DataFrame:
    followers = authors.drop_duplicates("id").set_index("id")["followers"] if not authors.empty else pd.Series(dtype=float)
    frame = pd.DataFrame({
        "post": posts["id"], "author": posts["author"],
        "posted_at": pd.to_datetime(posts["postedAt"], unit="s", utc=True),
        "author_followers": pd.to_numeric(posts["author"].map(followers), errors="coerce"),
    })
    if criteria.scope == "language":
        frame["scope_key"] = posts["language"]
    elif criteria.scope != "global":
        raise ModelError(
            f"scope {criteria.scope!r} is not supported for training yet — use scope = \"global\" or "
            "\"language\" in the criteria file"
        )
    return frame


def training_frame(
    driver: Driver,
    criteria: Criteria,
    mode: str = "pre",
    early_hours: float = 2.0,
    database: str | None = None,
    progress: Progress | None = None,
    target: str = "velocity",
) -> TrainingData:
    """Read every dated post, its observations, author and hashtags; label and featurise.

    ``target`` is what the label and the regressor measure: ``velocity`` (the criteria's
    engagement per hour over the window) or ``engagement`` (the weighted engagement at the
    observation the velocity uses, without dividing by the age — for data seen once, long
    after posting, when engagement has saturated and dividing by an age of months or years
    would only measure the age). Raises :class:`ModelError` when the graph has no labelled posts.
    """
    if mode not in MODES:
        raise ModelError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    say = progress or (lambda _m: None)
    ids = read_post_ids(driver, database)
    if not ids:
        raise ModelError("the graph has no posts with a publication time — load some with `influence load`")
    say(f"reading features of {len(ids):,} posts")
    posts = read_posts(driver, ids, database)
    observations = read_observations(driver, ids, database)
    authors = read_authors(driver, posts["author"].dropna().unique().tolist(), database)
    names = sorted({t for tags in posts["hashtags"] for t in (tags or [])})
    tags = read_hashtags(driver, names, database)
    say(f"{len(observations):,} observations, {len(authors):,} authors, {len(tags):,} hashtags")

    obs = observations.assign(at=pd.to_datetime(observations["at"], unit="s", utc=True))
    vel = velocity_mod.post_velocity(
        obs, pd.DataFrame({"post": posts["id"], "posted_at": pd.to_datetime(posts["postedAt"], unit="s", utc=True)}),
        criteria.window_hours, criteria.weights,
    )
    if target not in TARGETS:
        raise ModelError(f"target must be one of {', '.join(TARGETS)}, not {target!r}")
    if target == "engagement":
        vel = vel.assign(velocity=vel["engagement"])
    labels = label_posts(vel, _labels_input(posts, authors, criteria), criteria)
    labelled = labels[labels["is_viral"].notna()].set_index("post")
    if labelled.empty:
        raise ModelError(
            "no post could be labelled under the criteria (too young, no observations, or authors with too "
            f"few posts for baseline {criteria.baseline!r}) — load more data or relax the criteria file"
        )
    # the author's history counts every earlier post in the graph, labelled or not
    history = add_author_history(pd.DataFrame({
        "author": posts["author"], "posted_at": pd.to_numeric(posts["postedAt"]).astype(float),
        "engagement_log": np.log1p(weighted_engagement(posts, criteria.weights)).to_numpy(dtype=float),
    }))
    posts = posts.assign(author_past_median=history["author_past_median"].to_numpy(),
                         author_past_posts=history["author_past_posts"].to_numpy())
    posts = posts[posts["id"].isin(labelled.index)].reset_index(drop=True)
    if mode == "early":
        posts = _with_early_observation(posts, observations, early_hours)
        if posts.empty:
            raise ModelError(
                f"no labelled post has an observation within its first {early_hours:g} hours — early mode "
                "needs time series that start soon after posting"
            )

    langs = posts["language"].dropna().value_counts()
    emb_dims = [len(v) for v in authors["embedding"] if isinstance(v, list)] if not authors.empty else []
    versions = [v for v in authors.get("embeddingVersion", pd.Series(dtype=object)).dropna().unique()]
    spec = FeatureSpec(
        mode=mode, early_hours=float(early_hours), weights=dict(criteria.weights),
        languages=[str(c) for c in langs.index[:MAX_LANGUAGES] if langs[c] >= 5],
        embedding_dim=min(max(emb_dims, default=0), MAX_EMBEDDING),
        embedding_version=versions[0] if len(versions) == 1 else (sorted(map(str, versions)) or None),
    )
    say("computing features")
    x, errors = assemble(posts, authors, tags, spec, observations=observations, prior_hashtag_uses=True)
    if errors:
        keep = [i for i in range(len(posts)) if i not in errors]
        posts, x = posts.iloc[keep].reset_index(drop=True), x.iloc[keep].reset_index(drop=True)
    feats = feature_names(x)
    frame = x.copy()
    frame["id"] = posts["id"].to_numpy()
    frame["posted_at"] = pd.to_numeric(posts["postedAt"]).to_numpy(dtype=float)
    frame["author"] = posts["author"].fillna("").to_numpy()
    lab = labelled.reindex(posts["id"])
    frame["viral"] = lab["is_viral"].astype(float).to_numpy()
    frame["target"] = np.log1p(lab["velocity"].to_numpy(dtype=float))
    frame["author_past_median"] = posts["author_past_median"].to_numpy(dtype=float)
    frame["author_past_posts"] = posts["author_past_posts"].to_numpy(dtype=float)
    frame["engagement_log"] = np.log1p(weighted_engagement(posts, criteria.weights)).to_numpy(dtype=float)
    counts = {
        "posts": len(ids), "observations": len(observations), "labelled": int(len(labelled)),
        "used": len(frame), "viral": int(np.nansum(frame["viral"])), "media_errors": len(errors),
    }
    return TrainingData(frame=frame.set_index("id"), features=feats, spec=spec, counts=counts)


def _with_early_observation(posts: pd.DataFrame, observations: pd.DataFrame, hours: float) -> pd.DataFrame:
    """The posts that have at least one observation within ``hours`` of posting."""
    if observations.empty:
        return posts.iloc[0:0]
    obs = observations.merge(posts[["id", "postedAt"]].rename(columns={"id": "post"}), on="post")
    age = (pd.to_numeric(obs["at"]) - pd.to_numeric(obs["postedAt"])) / 3600.0
    seen = set(obs.loc[(age <= hours) & (age >= -math.inf), "post"])
    return posts[posts["id"].isin(seen)].reset_index(drop=True)
