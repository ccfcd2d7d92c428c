"""Held-out splits of the training frame: by time (the newest posts are the test) and by author
(whole authors held out, chosen by a hash of their id)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from influence.errors import ModelError


@dataclass(frozen=True)
class Split:
    """Row positions of a time-ordered split; every test post is later than every train post."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    val_from: float  # first posted_at of the validation slice (epoch seconds)
    test_from: float  # first posted_at of the test slice

    def sizes(self) -> dict[str, int]:
        """Number of rows in each part."""
        return {"train": int(self.train.size), "val": int(self.val.size), "test": int(self.test.size)}


def time_split(
    posted_at: Sequence[float] | np.ndarray | pd.Series,
    test_fraction: float = 0.2,
    val_fraction: float = 0.15,
) -> Split:
    """Split rows by time: oldest → train, then validation, newest → test.

    Cut points are timestamps, so posts sharing a timestamp (day-precision dates) all land on
    the same side and each part is strictly later than the previous one.
    """
    t = np.asarray(posted_at, dtype=float)
    if np.isnan(t).any():
        raise ModelError(
            "some posts have no publication time — they cannot be placed in a time-ordered split"
        )
    if t.size == 0:
        raise ModelError("no labelled posts to split")
    test_from = float(np.quantile(t, 1.0 - test_fraction, method="higher"))
    if test_from <= t.min():
        raise ModelError(
            "all posts share one publication time, so there is no past to train on and no future to "
            "test on — load posts spanning more time"
        )
    before = t[t < test_from]
    val_from = float(np.quantile(before, 1.0 - val_fraction, method="higher"))
    if val_from <= before.min():
        val_from = float(before.max())  # too few distinct times: validate on the latest one
    order = np.arange(t.size)
    train = order[t < val_from]
    val = order[(t >= val_from) & (t < test_from)]
    test = order[t >= test_from]
    if train.size == 0 or val.size == 0:
        train = order[t < test_from]
        val = train  # degenerate: too few distinct times, validate in-sample
    return Split(train=train, val=val, test=test, val_from=val_from, test_from=test_from)


def author_split(
    authors: Sequence[Any] | np.ndarray | pd.Series,
    posted_at: Sequence[float] | np.ndarray | pd.Series,
    test_fraction: float = 0.2,
    val_fraction: float = 0.15,
) -> Split:
    """Hold out whole authors: each author lands in train, validation or test by a hash of its
    id (stable across runs and machines), so no test author has a post in training."""
    a = np.asarray(authors, dtype=object)
    t = np.asarray(posted_at, dtype=float)
    if a.size == 0:
        raise ModelError("no labelled posts to split")

    def bucket(author: Any) -> float:
        digest = hashlib.sha256(str(author).encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    u = {x: bucket(x) for x in set(a.tolist())}
    b = np.array([u[x] for x in a.tolist()])
    order = np.arange(a.size)
    test = order[b < test_fraction]
    val = order[(b >= test_fraction) & (b < test_fraction + val_fraction * (1 - test_fraction))]
    train = order[b >= test_fraction + val_fraction * (1 - test_fraction)]
    if train.size == 0 or val.size == 0:
        train = np.union1d(train, val)
        val = train
    finite = t[np.isfinite(t)]
    first = float(finite.min()) if finite.size else float("nan")
    return Split(train=train, val=val, test=test, val_from=first, test_from=first)
