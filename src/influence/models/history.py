"""What an author's *earlier* posts say about a post: their median engagement and the author's
habits (pure functions on frames; one implementation for training and for scoring).

Training calls :func:`author_context` with the graph's posts as both the posts and the history;
scoring calls it with the drafts as the posts and the authors' posts in the graph as the
history. Only history posts published **strictly before** a post count for it, so a post never
describes itself and the future never leaks into training.

``history`` columns: ``author``, ``postedAt`` (epoch seconds), ``engagement_log`` (``log1p`` of
the weighted engagement; NaN when unknown), and optionally ``n_hashtags``, ``caption_length``,
``type``, ``hashtags`` (list of names), ``hour`` (0–23, UTC).
``posts`` columns: ``author``, ``postedAt`` and the same optional columns.

Columns returned (one row per post, in ``posts``' order; NaN when the author has no earlier post):

* ``author_past_median`` — median ``engagement_log`` of the earlier posts with a known engagement;
* ``author_past_posts`` — how many earlier posts (with a publication time) the author has;
* ``rel_hashtags`` — hashtag count minus the author's usual (mean) count;
* ``rel_caption_length`` — ``log1p`` caption length minus the author's usual;
* ``type_share`` — share of the author's earlier posts of the same type (0 = a new format);
* ``hour_distance`` — hours between the posting hour and the author's usual (circular mean) hour;
* ``days_since_previous`` — days since the author's previous post (``log1p``);
* ``new_hashtags`` — hashtags the author never used before; ``new_hashtag_share`` — their share.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

CONTEXT_COLUMNS = [
    "author_past_median",
    "author_past_posts",
    "rel_hashtags",
    "rel_caption_length",
    "type_share",
    "hour_distance",
    "days_since_previous",
    "new_hashtags",
    "new_hashtag_share",
]
#: Features relative to the author's habits (the own-drafts model's own features).
RELATIVE_FEATURES = tuple(CONTEXT_COLUMNS[2:])


def _num(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    out: np.ndarray = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    return out


def _tags(frame: pd.DataFrame) -> list[list[Any]]:
    if "hashtags" not in frame.columns:
        return [[] for _ in range(len(frame))]
    return [list(t) if isinstance(t, list | tuple | np.ndarray) else [] for t in frame["hashtags"].tolist()]


def _types(frame: pd.DataFrame) -> np.ndarray:
    if "type" not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return np.array(
        [str(t).lower() if isinstance(t, str) and t else "" for t in frame["type"].tolist()], dtype=object
    )


def author_context(posts: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """The author-history columns above for each row of ``posts`` (see the module docstring).

    Cost: O(h log h) to sort the history, then O(posts + history) per author; hashtag novelty is
    one dictionary per author.
    """
    n = len(posts)
    out = {c: np.full(n, np.nan) for c in CONTEXT_COLUMNS}
    out["author_past_posts"] = np.zeros(n)
    if n == 0 or history.empty:
        return pd.DataFrame(out, index=posts.index)
    h_author = history["author"].to_numpy(dtype=object)
    h_t = _num(history, "postedAt")
    keep = ~np.isnan(h_t) & pd.notna(h_author)
    h = pd.DataFrame(
        {
            "author": h_author[keep],
            "t": h_t[keep],
            "eng": _num(history, "engagement_log")[keep],
            "tags_n": _num(history, "n_hashtags")[keep],
            "cap": np.log1p(np.clip(_num(history, "caption_length")[keep], 0, None)),
            "type": _types(history)[keep],
            "hour": _num(history, "hour")[keep],
        }
    )
    h["tags"] = [t for t, k in zip(_tags(history), keep, strict=True) if k]
    h = h.sort_values(["author", "t"], kind="mergesort").reset_index(drop=True)

    p_author = posts["author"].to_numpy(dtype=object)
    p_t = _num(posts, "postedAt")
    p_tags_n = _num(posts, "n_hashtags")
    p_cap = np.log1p(np.clip(_num(posts, "caption_length"), 0, None))
    p_type = _types(posts)
    p_hour = _num(posts, "hour")
    p_tags = _tags(posts)
    wanted = pd.Series(np.arange(n)).groupby(pd.Series(p_author).fillna("\0").to_numpy()).indices

    for author, g in h.groupby("author", sort=False):
        rows = wanted.get(author)
        if rows is None:
            continue
        times = g["t"].to_numpy()
        t = p_t[rows]
        # k = how many history posts are strictly earlier than each post
        k = np.where(np.isnan(t), 0, np.searchsorted(times, np.nan_to_num(t, nan=-np.inf), side="left"))
        out["author_past_posts"][rows] = k
        has = k > 0
        if not has.any():
            continue
        r, kk = rows[has], k[has] - 1  # index of the last earlier history post
        eng = g["eng"]
        med = eng.expanding().median().to_numpy()  # NaN entries are skipped by pandas
        out["author_past_median"][r] = med[kk]
        tags_mean = g["tags_n"].expanding().mean().to_numpy()
        out["rel_hashtags"][r] = p_tags_n[r] - tags_mean[kk]
        cap_mean = g["cap"].expanding().mean().to_numpy()
        out["rel_caption_length"][r] = p_cap[r] - cap_mean[kk]
        out["days_since_previous"][r] = np.log1p(np.clip((t[has] - times[kk]) / 86400.0, 0, None))
        # posting hour against the circular mean of the earlier hours
        ang = g["hour"].to_numpy() * (2 * math.pi / 24)
        sin_c = pd.Series(np.sin(ang)).expanding().mean().to_numpy()
        cos_c = pd.Series(np.cos(ang)).expanding().mean().to_numpy()
        usual = (np.degrees(np.arctan2(sin_c[kk], cos_c[kk])) / 15.0) % 24
        diff = np.abs(p_hour[r] - usual)
        out["hour_distance"][r] = np.minimum(diff, 24 - diff)
        # share of earlier posts of the post's type: running counts per type
        types = g["type"].to_numpy()
        for kind in set(p_type[r].tolist()) - {""}:
            running = np.cumsum(types == kind)
            same = p_type[r] == kind
            out["type_share"][r[same]] = running[kk[same]] / (kk[same] + 1)
        # hashtags new to the author: first time each tag was used
        first: dict[Any, float] = {}
        for when, tags in zip(times, g["tags"].tolist(), strict=True):
            for tag in tags:
                first.setdefault(tag, when)
        for pos, when in zip(r, t[has], strict=True):
            tags = p_tags[pos]
            new = sum(1 for tag in set(tags) if first.get(tag, math.inf) >= when)
            out["new_hashtags"][pos] = float(new)
            out["new_hashtag_share"][pos] = new / len(set(tags)) if tags else np.nan
    return pd.DataFrame(out, index=posts.index)
