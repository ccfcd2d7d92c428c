"""Viral labels from velocities and the client's criteria (pure, vectorised pandas).

``score = velocity / baseline_value`` where the baseline value is 1 (``absolute``), the
author's follower count (``per_follower``) or the median velocity of the author's *other*
labelled posts (``author_median``, leave-one-out). The threshold (top p %, or z >= k on the
log of the score) is applied within the scope group of each post; a post whose group is
unknown or smaller than ``min_scope_posts`` is compared with all posts. A post gets no label
(``is_viral`` is ``<NA>``) when it is too young (watched for less than ``min_age_hours``), was
first observed too late (more than ``max_first_observation_hours`` after posting: its velocity
would be a lifetime average that mostly measures its age — the analytics' ``isViral`` likewise
only flags posts measured inside their window), has no velocity, or has no usable baseline (no
followers, too few other posts). Late posts take no part in the authors' medians either.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from influence.errors import ConfigError
from influence.models.criteria import Criteria

LABEL_COLUMNS = ["post", "velocity", "baseline_value", "score", "is_viral"]
#: A median baseline of zero (an author whose other posts got no engagement) is raised to this.
MIN_BASELINE = 1e-6


def leave_one_out_median(groups: pd.Series, values: pd.Series, min_others: int = 1) -> pd.Series:
    """For each row, the median of ``values`` over the *other* rows of its group.

    NaN values take no part (and get NaN); rows whose group has fewer than ``min_others``
    other non-NaN values get NaN. Vectorised: O(n log n) for the sort.
    """
    out = pd.Series(np.nan, index=values.index, dtype=float)
    ok = values.notna() & groups.notna()
    if not ok.any():
        return out
    frame = pd.DataFrame({"g": groups[ok], "v": values[ok].astype(float)})
    frame = frame.sort_values(["g", "v"], kind="mergesort")
    v = frame["v"].to_numpy()
    size = frame.groupby("g", sort=False)["v"].transform("size").to_numpy()
    k = frame.groupby("g", sort=False).cumcount().to_numpy()  # position in the sorted group
    start = np.arange(len(frame)) - k
    m = size - 1  # how many other values
    lo = (m - 1) // 2
    hi = m // 2
    valid = m >= max(min_others, 1)
    # index j of the list without row k maps to j (j < k) or j + 1 in the sorted group
    lo_i = np.where(valid, start + np.where(lo < k, lo, lo + 1), 0)
    hi_i = np.where(valid, start + np.where(hi < k, hi, hi + 1), 0)
    med = np.where(valid, (v[lo_i] + v[hi_i]) / 2.0, np.nan)
    out.loc[frame.index] = med
    return out


def _log_scores(score: pd.Series) -> pd.Series:
    positive = score[score > 0]
    floor = positive.min() if len(positive) else 1.0
    return np.log(score.clip(lower=floor))


def _threshold(score: pd.Series, group: pd.Series, criteria: Criteria) -> pd.Series:
    """Viral (bool) for every row of ``score`` (all non-NaN), within ``group``."""
    if criteria.threshold == "top_percent":
        n = score.groupby(group).transform("size")
        rank = score.groupby(group).rank(method="min", ascending=False)
        return rank <= np.ceil(n * criteria.threshold_value / 100.0)
    logs = _log_scores(score)
    mean = logs.groupby(group).transform("mean")
    std = logs.groupby(group).transform("std").fillna(0.0)
    z = (logs - mean) / std.where(std > 0)
    return z.fillna(-math.inf) >= criteria.threshold_value


def label_posts(velocity: pd.DataFrame, posts: pd.DataFrame, criteria: Criteria) -> pd.DataFrame:
    """Label each post of ``velocity`` viral or not under ``criteria``.

    ``velocity`` is :func:`influence.models.velocity.post_velocity`'s frame (``post,
    velocity`` and ideally ``last_age_hours`` and ``first_age_hours``; without them ``age_hours``
    stands for both ages).
    ``posts`` has ``post, author, posted_at, author_followers`` and, when the scope is not
    global, ``scope_key`` (the country, language or community of the post). Returns ``post,
    velocity, baseline_value, score, is_viral`` in ``velocity``'s order; ``is_viral`` is a
    nullable boolean, ``<NA>`` for posts not labelled.
    """
    for name, frame, needed in (
        ("velocity", velocity, ("post", "velocity")),
        ("posts", posts, ("post", "author")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ConfigError(f"{name} frame lacks column(s) {', '.join(missing)}")
    if criteria.baseline == "per_follower" and "author_followers" not in posts.columns:
        raise ConfigError("baseline 'per_follower' needs the column author_followers in the posts frame")
    if criteria.scope != "global" and "scope_key" not in posts.columns:
        raise ConfigError(f"scope {criteria.scope!r} needs the column scope_key in the posts frame")

    extra = [c for c in ("author", "author_followers", "scope_key") if c in posts.columns]
    info = posts[["post", *extra]].drop_duplicates("post", keep="first")
    age_col = (
        "last_age_hours"
        if "last_age_hours" in velocity.columns
        else "age_hours"
        if "age_hours" in velocity.columns
        else None
    )
    first_col = (
        "first_age_hours"
        if "first_age_hours" in velocity.columns
        else "age_hours"
        if "age_hours" in velocity.columns
        else None
    )
    cols = list(dict.fromkeys(["post", "velocity", *(c for c in (age_col, first_col) if c)]))
    df = velocity[cols].merge(info, on="post", how="left")
    df["velocity"] = pd.to_numeric(df["velocity"], errors="coerce").astype(float)

    eligible = df["velocity"].notna()
    if age_col is not None:
        eligible &= pd.to_numeric(df[age_col], errors="coerce").fillna(-math.inf) >= criteria.min_age_hours
    if first_col is not None and math.isfinite(criteria.max_first_observation_hours):
        first_seen = pd.to_numeric(df[first_col], errors="coerce").fillna(math.inf)
        eligible &= first_seen <= criteria.max_first_observation_hours

    if criteria.baseline == "absolute":
        base = pd.Series(1.0, index=df.index)
    elif criteria.baseline == "per_follower":
        followers = pd.to_numeric(df["author_followers"], errors="coerce").astype(float)
        base = followers.where(followers > 0)
    else:
        med = leave_one_out_median(
            df["author"].where(eligible), df["velocity"].where(eligible), criteria.min_author_posts
        )
        base = med.clip(lower=MIN_BASELINE)
    score = df["velocity"] / base
    labelled = eligible & score.notna() & np.isfinite(score)

    is_viral = pd.Series(pd.NA, index=df.index, dtype="boolean")
    if labelled.any():
        s = score[labelled]
        if criteria.scope == "global":
            group = pd.Series("*", index=s.index)
        else:
            key = df.loc[labelled, "scope_key"]
            group = key.astype("string").fillna("*")
            sizes = group.groupby(group).transform("size")
            group = group.where(sizes >= criteria.min_scope_posts, "*")
            # posts in too-small or unknown groups are compared with every labelled post
            global_flags = _threshold(s, pd.Series("*", index=s.index), criteria)
        flags = _threshold(s, group, criteria)
        if criteria.scope != "global":
            flags = flags.where(group != "*", global_flags)
        is_viral.loc[labelled] = flags.to_numpy(bool)

    return pd.DataFrame(
        {
            "post": df["post"],
            "velocity": df["velocity"],
            "baseline_value": base.astype(float),
            "score": score.where(eligible).astype(float),
            "is_viral": is_viral,
        }
    )[LABEL_COLUMNS]
