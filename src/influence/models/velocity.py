"""Engagement velocity of posts from their observations (pure, vectorised pandas).

Velocity is the weighted engagement a post had gathered at its latest observation inside the
window (``posted_at + window_hours``), divided by the hours since posting at that observation.
Rules, in order:

- counts that are missing (NaN) count as 0; a metric the observations lack counts as 0;
- the observation used is the latest one no later than the end of the window;
- a post observed only after its window (for example a crawl that saw each post once, long
  after publication) uses its *earliest* observation and the age at that observation, which is
  the closest thing to the window the data has (the velocity is then a lifetime average);
- the age is floored at :data:`MIN_AGE_HOURS` so an observation seconds after posting (or a
  clock that puts it before posting) does not divide by zero;
- a post without observations or without ``posted_at`` gets velocity NaN.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from influence.errors import ConfigError

#: The engagement counts an observation may carry, in the order the criteria list them.
METRICS: tuple[str, ...] = ("views", "likes", "comments", "shares")
#: Ages below this (hours) are raised to it before dividing.
MIN_AGE_HOURS = 0.25

VELOCITY_COLUMNS = [
    "post",
    "velocity",
    "engagement",
    "age_hours",
    "n_observations",
    "last_age_hours",
    "first_age_hours",
]


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """``weights`` as a plain dict, or :class:`ConfigError` naming a bad metric or weight."""
    out: dict[str, float] = {}
    for metric, weight in weights.items():
        if metric not in METRICS:
            raise ConfigError(f"unknown metric {metric!r} in weights; allowed: {', '.join(METRICS)}")
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not np.isfinite(weight)
            or weight < 0
        ):
            raise ConfigError(f"weight of {metric!r} must be a number >= 0, got {weight!r}")
        out[metric] = float(weight)
    if not any(out.values()):
        raise ConfigError(f"at least one weight must be > 0 (metrics: {', '.join(METRICS)})")
    return out


def _utc(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True, errors="coerce")


def engagement(frame: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Σ weights[m] · frame[m] per row, with missing counts (and missing columns) as 0."""
    total = np.zeros(len(frame))
    for metric, weight in check_weights(weights).items():
        if weight and metric in frame.columns:
            total += weight * np.nan_to_num(
                pd.to_numeric(frame[metric], errors="coerce").to_numpy(dtype=float)
            )
    return pd.Series(total, index=frame.index)


def post_velocity(
    observations: pd.DataFrame,
    posts: pd.DataFrame,
    window_hours: float,
    weights: Mapping[str, float],
) -> pd.DataFrame:
    """Velocity per post (weighted engagement per hour over the first ``window_hours``).

    ``observations`` has columns ``post, at`` and any of ``likes, comments, views, shares``;
    ``posts`` has ``post, posted_at`` (``author`` and others are ignored). Datetimes may be
    naive (taken as UTC) or aware. Returns one row per distinct post of ``posts`` with
    ``post, velocity, engagement, age_hours, n_observations, last_age_hours, first_age_hours``:
    ``age_hours`` is the age at the observation used, ``n_observations`` counts all observations
    of the post, ``last_age_hours`` is its age at its latest observation (how long it has been
    watched, which the labels use to skip posts too young for the window) and
    ``first_age_hours`` its age when first seen (the labels skip posts first seen too late to
    measure their early speed). See the module doc for the rules.
    """
    if not window_hours > 0:
        raise ConfigError(f"window_hours must be > 0, got {window_hours!r}")
    for name, frame, needed in (
        ("observations", observations, ("post", "at")),
        ("posts", posts, ("post", "posted_at")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ConfigError(f"{name} frame lacks column(s) {', '.join(missing)}")
    weights = check_weights(weights)

    base = posts[["post", "posted_at"]].drop_duplicates("post", keep="first").reset_index(drop=True)
    base["posted_at"] = _utc(base["posted_at"])

    obs = observations[["post", "at", *[m for m in METRICS if m in observations.columns]]].copy()
    obs["at"] = _utc(obs["at"])
    obs = obs[obs["at"].notna()]
    n_obs = obs.groupby("post", sort=False).size().rename("n_observations")

    obs = obs.merge(base, on="post", how="inner")
    obs = obs[obs["posted_at"].notna()]
    obs["engagement"] = engagement(obs, weights).to_numpy()
    age = (obs["at"] - obs["posted_at"]).dt.total_seconds().to_numpy() / 3600.0
    obs["age_hours"] = age
    in_window = age <= window_hours
    # One sort picks the row per post: rows in the window sort after those outside it, the
    # latest in-window row last; outside the window the earliest row sorts last.
    at_ns = obs["at"].astype("int64").to_numpy()
    obs["_in"] = in_window
    obs["_key"] = np.where(in_window, at_ns, -at_ns)
    chosen = obs.sort_values(["post", "_in", "_key"], kind="mergesort").drop_duplicates("post", keep="last")
    last_age = obs.groupby("post", sort=False)["age_hours"].max().rename("last_age_hours")
    first_age = obs.groupby("post", sort=False)["age_hours"].min().rename("first_age_hours")

    chosen = chosen[["post", "engagement", "age_hours"]]
    chosen["velocity"] = chosen["engagement"] / np.maximum(chosen["age_hours"].to_numpy(), MIN_AGE_HOURS)

    out = base[["post"]].merge(chosen, on="post", how="left")
    out = out.merge(n_obs, left_on="post", right_index=True, how="left")
    out = out.merge(last_age, left_on="post", right_index=True, how="left")
    out = out.merge(first_age, left_on="post", right_index=True, how="left")
    out["n_observations"] = out["n_observations"].fillna(0).astype("int64")
    for col in ("velocity", "engagement", "age_hours", "last_age_hours", "first_age_hours"):
        out[col] = out[col].astype(float)
    return out[VELOCITY_COLUMNS]


#: Posts seen once: an age bin counts as settled when its median engagement is within this
#: (log) of the author's settled level — 0.2 is about 18 % below, less than the usual spread
#: between one author's posts.
SETTLED_GAP = 0.2
#: Posts seen once: the author's settled level is the median of posts older than this (hours).
SETTLED_REFERENCE_HOURS = 240.0
#: Used when the data has no post observed twice to estimate when engagement settles.
DEFAULT_SETTLED_HOURS = 72.0
#: Engagement growing by less than this per day (log scale) counts as settled.
SETTLED_DAILY_GROWTH = 0.02
_AGE_BINS_HOURS = (0.0, 12.0, 24.0, 48.0, 72.0, 96.0, 144.0, 240.0, 480.0, 960.0)


def latest_engagement(
    observations: pd.DataFrame, posts: pd.DataFrame, weights: Mapping[str, float]
) -> pd.DataFrame:
    """Weighted engagement of each post at its latest observation, and its age then.

    Same inputs as :func:`post_velocity`. Returns ``post, engagement, last_age_hours`` (NaN for
    posts without a dated observation), one row per distinct post of ``posts``.
    """
    base = posts[["post", "posted_at"]].drop_duplicates("post", keep="first").reset_index(drop=True)
    base["posted_at"] = _utc(base["posted_at"])
    obs = observations[["post", "at", *[m for m in METRICS if m in observations.columns]]].copy()
    obs["at"] = _utc(obs["at"])
    obs = (
        obs[obs["at"].notna()]
        .sort_values(["post", "at"], kind="mergesort")
        .drop_duplicates("post", keep="last")
    )
    obs["engagement"] = engagement(obs, weights).to_numpy()
    out = base.merge(obs[["post", "at", "engagement"]], on="post", how="left")
    out["last_age_hours"] = (out["at"] - out["posted_at"]).dt.total_seconds() / 3600.0
    return out[["post", "engagement", "last_age_hours"]].astype(
        {"engagement": float, "last_age_hours": float}
    )


def settled_age_hours(
    observations: pd.DataFrame, posts: pd.DataFrame, weights: Mapping[str, float]
) -> tuple[float, str]:
    """The age (hours) after which engagement stops growing, estimated from the data, and how.

    Every pair of consecutive observations of one post gives a daily growth rate
    ``log((1 + e2) / (1 + e1)) / days``; the rates are grouped by the age at the first of the
    two observations (pairs where a weighted count appears or disappears are left out). The
    settled age is the start of the first age bin whose mean daily growth is below :data:`SETTLED_DAILY_GROWTH` (2 %), and stays below it in every later bin
    that has data. Without posts observed twice (fewer than 30 pairs) the posts seen once tell
    it instead, when ``posts`` has an ``author`` column: each post's ``log1p`` engagement minus
    its author's median over posts older than 10 days, by age bin; the settled age is the start
    of the first bin from which every later bin's median is within :data:`SETTLED_GAP` of 0.
    Otherwise it is :data:`DEFAULT_SETTLED_HOURS`.
    """
    base = posts[["post", "posted_at"]].drop_duplicates("post").copy()
    base["posted_at"] = _utc(base["posted_at"])
    obs = observations[["post", "at", *[m for m in METRICS if m in observations.columns]]].copy()
    obs["at"] = _utc(obs["at"])
    obs = obs[obs["at"].notna()].merge(base, on="post", how="inner")
    obs = obs[obs["posted_at"].notna()]
    obs["eng"] = np.log1p(engagement(obs, weights).to_numpy())
    obs = obs.sort_values(["post", "at"], kind="mergesort")
    obs["age"] = (obs["at"] - obs["posted_at"]).dt.total_seconds() / 3600.0
    # which weighted counts an observation carries: a count present in one observation and
    # missing in the next (a scraper that stopped reporting comments) is not growth
    present = np.zeros(len(obs), dtype=np.int64)
    for bit, metric in enumerate(m for m in METRICS if weights.get(m, 0) and m in obs.columns):
        present |= obs[metric].notna().to_numpy().astype(np.int64) << bit
    obs["_present"] = present
    nxt = obs.groupby("post", sort=False)[["eng", "age", "_present"]].shift(-1)
    days = (nxt["age"] - obs["age"]) / 24.0
    ok = nxt["eng"].notna() & (days > 1 / 24.0) & (obs["age"] >= 0) & (nxt["_present"] == obs["_present"])
    if int(ok.sum()) < 30:
        return _settled_from_ages(obs, posts)
    rate = ((nxt["eng"] - obs["eng"]) / days)[ok]
    age = obs.loc[ok, "age"]
    bins = pd.cut(age, [*_AGE_BINS_HOURS, np.inf], right=False, labels=list(_AGE_BINS_HOURS))
    # the mean, not the median: display-rounded counts ("124k") leave most pairs unchanged
    med = rate.groupby(bins, observed=True).mean()
    counts = rate.groupby(bins, observed=True).size()
    med = med[counts >= 10]
    for start in med.index:
        if (med.loc[start:] < SETTLED_DAILY_GROWTH).all():
            return float(start), (
                f"{float(start):g} h (measured: {int(ok.sum()):,} pairs of observations; after "
                f"that age engagement grew by less than {SETTLED_DAILY_GROWTH:.0%} a day)"
            )
    return DEFAULT_SETTLED_HOURS, (
        f"{DEFAULT_SETTLED_HOURS:g} h (default: engagement was still growing at every "
        "age the observations cover)"
    )


def _settled_from_ages(obs: pd.DataFrame, posts: pd.DataFrame) -> tuple[float, str]:
    """:func:`settled_age_hours` for posts seen once (``obs`` has ``post, eng, age``)."""
    default = (
        DEFAULT_SETTLED_HOURS,
        f"{DEFAULT_SETTLED_HOURS:g} h (default: too few posts observed twice or of "
        "known author and age to measure when engagement settles)",
    )
    if "author" not in posts.columns or obs.empty:
        return default
    last = obs.drop_duplicates("post", keep="last").merge(
        posts[["post", "author"]].drop_duplicates("post"), on="post"
    )
    last = last[last["author"].notna() & (last["age"] >= 0)]
    level = last[last["age"] > SETTLED_REFERENCE_HOURS].groupby("author")["eng"].median()
    last = last.assign(rel=last["eng"] - last["author"].map(level)).dropna(subset=["rel"])
    if len(last) < 100:
        return default
    bins = pd.cut(last["age"], [*_AGE_BINS_HOURS, np.inf], right=False, labels=list(_AGE_BINS_HOURS))
    med = last.groupby(bins, observed=True)["rel"].median()
    med = med[last.groupby(bins, observed=True).size() >= 30]
    med = med[med.index.astype(float) < SETTLED_REFERENCE_HOURS]
    for start in med.index:
        if (med.loc[start:] >= -SETTLED_GAP).all():
            return float(start), (
                f"{float(start):g} h (measured on {len(last):,} posts seen once: from that age on, "
                f"their engagement is within {SETTLED_GAP:g} (log) of their author's older posts)"
            )
    return default
