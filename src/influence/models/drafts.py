"""Draft posts for the predictor: reading them from CSV / JSON / gallery-dl files and checking
each row (:func:`validate_draft`) into the raw post row that scoring takes.

A draft is not in the graph yet: ``id, author, caption, hashtags, posted_at, media`` and the
optional author columns ``author_followers, author_following, author_posts, author_verified``
(for an account the graph does not know), ``region`` and gallery-dl's ``type`` /
``carousel_size``. Values are returned as found by :func:`read_drafts`; a bad row raises
:class:`ValueError` in :func:`validate_draft` with the reason, which becomes that row's error.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from influence import text as textmod
from influence import values
from influence.errors import InputError

DRAFT_COLUMNS = (
    "id",
    "author",
    "caption",
    "hashtags",
    "posted_at",
    "media",
    "author_followers",
    "author_following",
    "author_posts",
    "author_verified",
    "region",
)


def read_drafts(path: Path) -> list[dict[str, Any]]:
    """Draft posts from a CSV or JSON file (a list of objects, or JSON Lines), or from
    gallery-dl sidecars / ``-j`` dumps (a directory, or a JSON file gallery-dl wrote).

    Values are returned as found; :func:`score_drafts` validates each row.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(
            f"{path} does not exist — pass a CSV/JSON file of draft posts or a gallery-dl folder"
        )
    if path.is_dir():
        return _gallery_dl_drafts(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        # the loaders' one CSV reader: Excel's sep= line, ; or tab, cp1252, mojibake, None/N/A
        # placeholders; a row it cannot split is kept as {"_raw": …} so scoring rejects it
        from influence.loaders.csv_input import read_dicts
        from influence.loaders.records import Reject

        drafts: list[dict[str, Any]] = []
        for item in read_dicts(path):
            if isinstance(item, Reject):
                if item.position == "file":
                    raise InputError(f"cannot read draft posts from {path}: {item.reason}")
                drafts.append({"_raw": {"position": item.position, "reason": item.reason, "cells": item.raw}})
            else:
                drafts.append(dict(item[1]))
        return drafts
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read draft posts from {path}: {e}") from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as e:
            raise InputError(f"{path} is neither CSV nor JSON / JSON Lines: {e}") from e
    if isinstance(data, dict):
        data = data.get("posts", [data])
    if isinstance(data, list) and data and isinstance(data[0], list):  # a gallery-dl -j dump
        return _gallery_dl_drafts(path)
    if not isinstance(data, list):
        raise InputError(f"{path} must hold a list of draft posts")
    return [r if isinstance(r, dict) else {"_raw": r} for r in data]


def _gallery_dl_drafts(path: Path) -> list[dict[str, Any]]:
    from influence.loaders import gallery_dl
    from influence.loaders.records import PostRecord, UserRecord

    users: dict[str, int | None] = {}
    posts: list[PostRecord] = []
    for record in gallery_dl.parse(path):
        if isinstance(record, UserRecord):
            users[record.id] = record.followers
        elif isinstance(record, PostRecord):
            posts.append(record)
    return [
        {
            "id": p.id,
            "author": p.author,
            "caption": p.caption if p.caption is not None else "",
            "hashtags": list(p.hashtags),
            "posted_at": p.posted_at,
            "media": p.media_path,
            "author_followers": users.get(p.author or ""),
            "type": p.type,
            "carousel_size": p.carousel_size,
        }
        for p in posts
    ]


def _hashtag_list(value: Any, caption: str) -> list[str]:
    if isinstance(value, str):
        items: Iterable[Any] = [t for t in value.replace(",", " ").replace(";", " ").split()]
    elif isinstance(value, list | tuple):
        items = value
    elif value is None or (isinstance(value, float) and math.isnan(value)):
        items = []
    else:
        raise ValueError(f"hashtags must be a list or a space-separated string, got {type(value).__name__}")
    tags = [textmod.normalise_hashtag(str(t)) for t in items]
    return list(dict.fromkeys([t for t in tags if t] + textmod.extract_hashtags(caption)))


def blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff")


def _check_image(path: str) -> None:
    if not path.lower().endswith(IMAGE_SUFFIXES):
        return  # videos and other media are not decoded here
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im.verify()
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as e:
        raise ValueError(f"media file {path} is not a readable image: {e}") from e


#: A platform-prefixed id the loaders create (``reddit:r/pics``, ``id:123``): kept as it is.
PREFIXED_ID = re.compile(r"[a-z][a-z0-9_-]{0,15}:[^\s]{1,200}")


def _author_id(author: Any) -> str:
    if blank(author):
        raise ValueError(
            "author is missing — give the account's username (for an account not in the graph, "
            "also its author_followers)"
        )
    if isinstance(author, bool) or not isinstance(author, str | int):
        raise ValueError(f"author must be a username or an account id, got {type(author).__name__}")
    text = str(author).strip()
    if PREFIXED_ID.fullmatch(text):
        return text
    # an Instagram username as every loader keys it ('@Some.User' -> 'some.user'), else a
    # follow-graph node id as `load follows` / `load csv` keys it (numeric ids, GML labels)
    from influence.loaders.csv_input import node_id

    author_id = textmod.normalise_username(text) or node_id(text)
    if author_id is None:
        raise ValueError(f"author {str(author)[:80]!r} is not a username or an account id")
    return author_id


def _optional_count(row: Mapping[str, Any], key: str) -> float:
    value = row.get(key)
    if blank(value):
        return np.nan
    try:
        n = values.to_count(value)
    except ValueError as e:
        raise ValueError(f"{key} must be a whole number ≥ 0 ({e})") from e
    return float(n) if n is not None else np.nan


def validate_draft(row: Mapping[str, Any], position: int) -> dict[str, Any]:
    """One draft as a raw post row (``features_posts`` columns + the draft author columns).

    Raises :class:`ValueError` with the reason when the row cannot be scored.
    """
    if not isinstance(row, Mapping) or "_raw" in row:
        raise ValueError(f"row {position} is not an object with the draft columns")
    pid = row.get("id")
    if blank(pid):
        raise ValueError("id is missing")
    caption = row.get("caption")
    if blank(caption):
        caption = ""  # a post without a caption is a real post (1.6 % of the crawl's): scored on the rest
    if not isinstance(caption, str):
        raise ValueError(f"caption must be text, got {type(caption).__name__}")
    author_id = _author_id(row.get("author"))
    posted = row.get("posted_at")
    posted_at = values.to_datetime(None if blank(posted) else posted)
    verified_raw = row.get("author_verified")
    try:
        verified = None if blank(verified_raw) else values.to_bool(verified_raw)
    except ValueError as e:
        raise ValueError(f"author_verified must be true or false ({e})") from e
    media = row.get("media")
    if not blank(media):
        if not isinstance(media, str):
            raise ValueError(f"media must be a file path, got {type(media).__name__}")
        if not Path(media).is_file():
            raise ValueError(f"media file {media} does not exist")
        _check_image(media)
    kind = row.get("type")
    region = row.get("region")
    return {
        "id": str(pid).strip(),
        "author": author_id,
        "postedAt": posted_at.timestamp() if posted_at is not None else np.nan,
        # a draft without a type is a single image, the commonest post (and what a crawl without
        # types was trained on); "no type at all" is a combination no training post had
        "caption": caption,
        "type": kind.strip().lower() if isinstance(kind, str) and kind.strip() else "image",
        "carouselSize": row.get("carousel_size"),
        "language": textmod.detect_language(caption),
        "mediaPath": media if isinstance(media, str) and media.strip() else None,
        "likes": None,
        "comments": None,
        "views": None,
        "shares": None,
        "hashtags": _hashtag_list(row.get("hashtags"), caption),
        "mentions": len(textmod.extract_mentions(caption)),
        "author_followers": _optional_count(row, "author_followers"),
        "author_following": _optional_count(row, "author_following"),
        "author_posts": _optional_count(row, "author_posts"),
        "author_verified": verified,
        "region": str(region).strip() if not blank(region) else None,
    }
