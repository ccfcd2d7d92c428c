"""Viral content now: post velocity against the author's baseline, and rising hashtags.

- ``Post.velocity``: weighted engagement per hour over the first ``window`` hours after posting,
  computed by :func:`influence.models.velocity.post_velocity` from the post's ``Observation``s;
  a post without observations but with counts and ``lastObservedAt`` counts as observed once,
  at that time, with those counts.
- Baseline = the author's other posts (``v`` = velocity, ``L`` = log1p(v)):
  ``Post.viralRatio`` = v / median(v of the author's posts);
  ``Post.viralZ`` = (L − mean L) / std L within the author (null with fewer than 2 posts);
  ``Post.viralScore`` = robust z: (L − median L) / max(1.4826 · MAD(L), 0.25) within the author —
  one viral post barely moves the median and MAD, while it inflates the mean and std; the
  0.25 floor keeps perfectly regular authors from turning small wiggles into huge scores.
  Authors with fewer than ``min_author_posts`` posts with a velocity are compared with all
  posts instead (the same robust z over the whole graph).
- ``Post.isViral`` = viralScore ≥ threshold (default 3).
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

#: Floor of the robust scale (log1p units) in the viral score.
MIN_SCALE = 0.25
MAD_TO_SIGMA = 1.4826


def _robust(values: pd.Series) -> tuple[float, float]:
    med = float(values.median())
    mad = float((values - med).abs().median())
    return med, max(MAD_TO_SIGMA * mad, MIN_SCALE)


def viral_scores(velocity: pd.DataFrame, min_author_posts: int = 3, threshold: float = 3.0) -> pd.DataFrame:
    """Author-baseline scores (pure). ``velocity`` has ``post, author, velocity``.

    Returns ``post, velocity, ratio, z, score, isViral`` for posts with a finite velocity.
    """
    v = velocity[np.isfinite(velocity["velocity"].astype(float))].copy()
    if v.empty:
        return pd.DataFrame(columns=["post", "velocity", "ratio", "z", "score", "isViral"])
    v["velocity"] = v["velocity"].astype(float).clip(lower=0.0)
    v["L"] = np.log1p(v["velocity"])
    by = v.groupby("author")["L"]
    v["n"] = by.transform("count")
    median_v = v.groupby("author")["velocity"].transform("median")
    v["ratio"] = np.where(median_v > 0, v["velocity"] / median_v.where(median_v > 0), np.nan)
    std = by.transform("std")
    v["z"] = ((v["L"] - by.transform("mean")) / std).where(std > 0)
    med_l = by.transform("median")
    mad = (v["L"] - med_l).abs().groupby(v["author"]).transform("median")
    scale = np.maximum(MAD_TO_SIGMA * mad, MIN_SCALE)
    own = (v["L"] - med_l) / scale
    g_med, g_scale = _robust(v["L"])
    global_score = (v["L"] - g_med) / g_scale
    v["score"] = np.where(v["n"] >= min_author_posts, own, global_score)
    v["isViral"] = v["score"] >= threshold
    return v[["post", "velocity", "ratio", "z", "score", "isViral"]].reset_index(drop=True)


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
            ["post", "author", "postedAt", "lastObservedAt", *METRICS],
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
        vel = vel.merge(frame[["post", "author"]], on="post", how="left")
        scores = viral_scores(vel[["post", "author", "velocity"]], options.min_author_posts, options.viral_threshold)
        rows = [
            {"post": r.post, "velocity": _num(r.velocity), "ratio": _num(r.ratio), "z": _num(r.z),
             "score": _num(r.score), "isViral": bool(r.isViral)}
            for r in scores.itertuples(index=False)
        ]
    with watch.time("write"):
        db.write_batches(driver, cypher.load("analyze_write_viral"), rows, database=database)
    rising = _rising(driver, frame["posted_at"], options, watch, database)
    return StepResult(
        "viral", compute_ms=watch.ms["compute"], write_ms=watch.ms["write"],
        details={
            "posts": len(rows), "viral": int(scores["isViral"].sum()) if len(scores) else 0,
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
            driver, cypher.load("analyze_read_hashtag_periods"),
            {"from": end - 2 * period, "split": end - period, "to": end}, database=database,
        )
        rows = [
            {"name": r["name"], "recent": int(r["recent"]), "previous": int(r["previous"]),
             "growth": (int(r["recent"]) + 1) / (int(r["previous"]) + 1)}
            for r in records
        ]
        rows.sort(key=lambda r: (-r["growth"], -r["recent"], r["name"]))
    with watch.time("write"):
        db.write_batches(driver, cypher.load("analyze_write_hashtag_growth"), rows, database=database)
    return rows
