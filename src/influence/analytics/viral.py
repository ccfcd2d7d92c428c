"""Viral content now: post velocity against the author's baseline, and rising hashtags.

- ``Post.velocity``: weighted engagement per hour over the first ``window`` hours after posting,
  computed by :func:`influence.models.velocity.post_velocity` from the post's ``Observation``s;
  a post without observations but with counts and ``lastObservedAt`` counts as observed once,
  at that time, with those counts.
- Baseline = the author's other posts measured the same way (``v`` = velocity, ``L`` = log1p(v)):
  a post observed inside its window is compared with the author's other in-window posts, a
  post first seen after its window (a lifetime average) with the author's other such posts.
  ``Post.viralRatio`` = v / median(v of the author's posts);
  ``Post.viralZ`` = (L − mean L) / std L within the author (null with fewer than 2 posts);
  ``Post.viralScore`` = robust z: (L − median L) / max(1.4826 · MAD(L), 0.25) within the author —
  one viral post barely moves the median and MAD, while it inflates the mean and std; the
  0.25 floor keeps perfectly regular authors from turning small wiggles into huge scores.
  Authors with fewer than ``min_author_posts`` comparable posts are compared with all
  comparable posts instead: the same robust z of log velocity per follower
  (log1p(v) − log1p(followers)) over the whole graph.
- ``Post.isViral`` = viralScore ≥ threshold (default 3) for posts whose velocity was measured
  inside the window ("viral now"); posts first seen after their window keep a score but are
  never flagged, because a lifetime average depends mostly on the post's age.
- Rising hashtags: uses in the last ``period`` of posting time (ending at the newest post)
  against the period before: ``Hashtag.recentUses``, ``previousUses`` and
  ``growth`` = (recent + 1) / (previous + 1).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver

from influence import cypher, db
from influence.analytics.base import AnalyzeOptions, StepResult, Stopwatch
from influence.models.velocity import METRICS, post_velocity

#: Columns of :func:`viral_scores`.
SCORE_COLUMNS = ["post", "velocity", "ratio", "z", "score", "isViral", "basis", "in_window"]
#: Floor of the robust scale (log1p units) in the viral score.
MIN_SCALE = 0.25
MAD_TO_SIGMA = 1.4826


def _robust(values: pd.Series) -> tuple[float, float]:
    med = float(values.median())
    mad = float((values - med).abs().median())
    return med, max(MAD_TO_SIGMA * mad, MIN_SCALE)


def viral_scores(velocity: pd.DataFrame, min_author_posts: int = 3, threshold: float = 3.0) -> pd.DataFrame:
    """Author-baseline scores (pure).

    ``velocity`` has ``post, author, velocity`` and optionally ``in_window`` (the velocity was
    measured inside the window, not as a lifetime average of a post first seen later) and
    ``followers`` (the author's). Posts are compared only with posts of the same kind
    (``in_window``), since an early per-hour rate is far above a lifetime average. Returns
    ``post, velocity, ratio, z, score, isViral, basis, in_window`` for posts with a finite
    velocity: ``basis`` is ``"author"`` (scored against the author's own posts; ``ratio`` =
    velocity / their median) or ``"followers"`` (too few comparable posts: scored against all
    posts per follower; ``ratio`` = velocity / the usual velocity of an account of that size).
    """
    v = velocity[np.isfinite(velocity["velocity"].astype(float))].copy()
    if v.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    if "in_window" not in v.columns:
        v["in_window"] = True
    if "followers" not in v.columns:
        v["followers"] = np.nan
    v["velocity"] = v["velocity"].astype(float).clip(lower=0.0)
    v["L"] = np.log1p(v["velocity"])
    keys = [v["author"], v["in_window"]]
    by = v.groupby(keys)["L"]
    v["n"] = by.transform("count")
    median_v = v.groupby(keys)["velocity"].transform("median")
    v["ratio"] = np.where(median_v > 0, v["velocity"] / median_v.where(median_v > 0), np.nan)
    std = by.transform("std")
    v["z"] = ((v["L"] - by.transform("mean")) / std).where(std > 0)
    med_l = by.transform("median")
    mad = (v["L"] - med_l).abs().groupby(keys).transform("median")
    own = (v["L"] - med_l) / np.maximum(MAD_TO_SIGMA * mad, MIN_SCALE)
    # fallback for authors with too few comparable posts: velocity per follower against all
    # posts of the same kind (bigger accounts get more engagement, so raw velocity would not do)
    followers = pd.to_numeric(v["followers"], errors="coerce")
    per_follower = v["L"] - np.log1p(followers.fillna(followers.median() if followers.notna().any() else 0.0))
    global_score = pd.Series(np.nan, index=v.index)
    expected = pd.Series(np.nan, index=v.index)  # the usual velocity of an account of this size
    for _, idx in v.groupby("in_window").groups.items():
        g_med, g_scale = _robust(per_follower.loc[idx])
        global_score.loc[idx] = (per_follower.loc[idx] - g_med) / g_scale
        expected.loc[idx] = np.expm1(g_med + (v.loc[idx, "L"] - per_follower.loc[idx]))
    own_baseline = v["n"] >= min_author_posts
    v["score"] = np.where(own_baseline, own, global_score)
    v["basis"] = np.where(own_baseline, "author", "followers")
    # the ratio shown next to a flag must be the comparison that flagged it: against the
    # author's median, or (too few comparable posts) against the usual for its follower count
    v["ratio"] = np.where(
        own_baseline, v["ratio"], np.where(expected > 0, v["velocity"] / expected.where(expected > 0), np.nan)
    )
    # "viral now": only a rate measured inside the window can flag a post; a lifetime average
    # of an old post keeps its score for reference but depends too much on the post's age
    v["isViral"] = (v["score"] >= threshold) & v["in_window"].astype(bool)
    v["in_window"] = v["in_window"].astype(bool)
    return v[SCORE_COLUMNS].reset_index(drop=True)


def _frame(records: list[Any], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([dict(r) for r in records], columns=columns)


def _num(x: Any) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


def viral(driver: Driver, options: AnalyzeOptions, database: str | None = None) -> StepResult:
    """Write ``Post.velocity``, ``viralRatio``, ``viralZ``, ``viralScore``, ``isViral``; rising hashtags."""
    watch = Stopwatch()
    with watch.time("compute"):
        posts = _frame(
            db.read(driver, cypher.load("analyze_read_posts"), database=database),
            ["post", "author", "followers", "postedAt", "lastObservedAt", *METRICS],
        )
        obs = _frame(
            db.read(driver, cypher.load("analyze_read_observations"), database=database),
            ["post", "at", *METRICS],
        )
        observed = set(obs["post"])
        # A post seen once (no Observation nodes) still has its latest counts at lastObservedAt.
        single = posts[~posts["post"].isin(observed) & posts["lastObservedAt"].notna()]
        single = single.rename(columns={"lastObservedAt": "at"})[["post", "at", *METRICS]]
        obs = pd.concat([obs, single], ignore_index=True) if not single.empty else obs
        obs["at"] = pd.to_datetime(obs["at"], unit="ms", utc=True)
        frame = posts[["post", "author"]].copy()
        frame["posted_at"] = pd.to_datetime(posts["postedAt"], unit="ms", utc=True)
        vel = post_velocity(obs, frame, options.velocity_window_hours, options.velocity_weights)
        vel = vel.merge(posts[["post", "author", "followers"]], on="post", how="left")
        vel["in_window"] = vel["age_hours"] <= options.velocity_window_hours
        scores = viral_scores(
            vel[["post", "author", "velocity", "in_window", "followers"]],
            options.min_author_posts,
            options.viral_threshold,
        )
        rows = [
            {
                "post": r.post,
                "velocity": _num(r.velocity),
                "ratio": _num(r.ratio),
                "z": _num(r.z),
                "score": _num(r.score),
                "isViral": bool(r.isViral),
                "basis": str(r.basis),
                "inWindow": bool(r.in_window),
                "threshold": float(options.viral_threshold),
                "windowHours": float(options.velocity_window_hours),
            }
            for r in scores.itertuples(index=False)
        ]
    with watch.time("write"):
        db.write_batches(driver, cypher.load("analyze_write_viral"), rows, database=database)
    rising = _rising(driver, frame["posted_at"], options, watch, database)
    return StepResult(
        "viral",
        compute_ms=watch.ms["compute"],
        write_ms=watch.ms["write"],
        details={
            "posts": len(rows),
            "viral": int(scores["isViral"].sum()) if len(scores) else 0,
            "rising": len([r for r in rising if r["growth"] > 1.0 and r["recent"] > 0]),
            "top_rising": [r["name"] for r in rising[:5]],
        },
    )


def _rising(
    driver: Driver, posted_at: pd.Series, options: AnalyzeOptions, watch: Stopwatch, database: str | None
) -> list[dict[str, Any]]:
    with watch.time("write"):
        db.write(driver, cypher.load("analyze_clear_hashtag_growth"), database=database)
    times = posted_at.dropna()
    if times.empty:
        return []
    with watch.time("compute"):
        end = times.max().to_pydatetime()
        period = timedelta(days=options.rising_period_days)
        records = db.read(
            driver,
            cypher.load("analyze_read_hashtag_periods"),
            {"from": end - 2 * period, "split": end - period, "to": end},
            database=database,
        )
        rows = [
            {
                "name": r["name"],
                "recent": int(r["recent"]),
                "previous": int(r["previous"]),
                "growth": (int(r["recent"]) + 1) / (int(r["previous"]) + 1),
            }
            for r in records
        ]
        rows.sort(key=lambda r: (-r["growth"], -r["recent"], r["name"]))
    with watch.time("write"):
        db.write_batches(driver, cypher.load("analyze_write_hashtag_growth"), rows, database=database)
    return rows
