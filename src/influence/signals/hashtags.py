"""Hashtags of a post: the ones its scraper gave and the ones in its caption, normalised once
and cached (the content features and the brand-safety check share them)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from influence.text import (
    HASHTAG_RE,
    URL_RE,
    normalise_hashtag,
)


@functools.lru_cache(maxsize=1 << 16)
def _norm_tag(tag: str) -> str | None:
    # the same few thousand tags recur in every batch: normalise each once
    return normalise_hashtag(tag)


def given_hashtags(value: object) -> list[str]:
    """Normalised hashtags from one post's hashtag field: a list (or tuple, set) of tags, or a
    string of tags separated by spaces or commas; anything else (None, NaN) is no hashtags."""
    if isinstance(value, str):
        items: Iterable[object] = re.split(r"[\s,]+", value)
    elif isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Series):
        items = value
    else:
        return []
    tags = (_norm_tag(v) for v in items if isinstance(v, str) and v)
    return list(dict.fromkeys(t for t in tags if t))


def caption_hashtags(text: str) -> list[str]:
    """Hashtags in ``text`` (as :func:`influence.text.extract_hashtags`, with the
    normalisation of each tag cached)."""
    if "#" not in text and "＃" not in text:
        return []
    return list(caption_tags(text))


@functools.lru_cache(maxsize=4096)
def caption_tags(text: str) -> tuple[str, ...]:
    # the content features and the brand-safety check of a prediction both need a caption's
    # tags, one right after the other on the same chunk of posts: extracted once per post
    found = (_norm_tag(m) for m in HASHTAG_RE.findall(URL_RE.sub(" ", text)))
    return tuple(dict.fromkeys(t for t in found if t))


def hashtag_count(caption: str, given: object) -> int:
    tags = set(caption_hashtags(caption))
    tags.update(given_hashtags(given))
    return len(tags)
