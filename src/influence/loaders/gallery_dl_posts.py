"""gallery-dl metadata objects → records: one kwdict (a sidecar, a ``-j`` file message, a profile)
becomes users, a post (the file items of one post folded together by :class:`Assembler`), or
rejects. Used by :mod:`influence.loaders.gallery_dl`, which walks the files and ``-j`` streams.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from influence import text as textmod
from influence import values
from influence.loaders.common import (
    FieldErrors,
    ParseContext,
    as_id,
    as_text,
    dated_folder,
    file_mtime,
    observed_after,
    reject,
    small_user,
)
from influence.loaders.records import PostRecord, Record, UserRecord

_POST_URL_RE = re.compile(r"instagram\.com/(?:[^/]+/)?(?:p|reel|reels|tv)/([A-Za-z0-9_-]+)")
_STORY_TYPES = frozenset({"story", "highlight"})
_STORY_SUBCATEGORIES = frozenset({"stories", "highlights", "story", "highlight"})


@dataclass
class GalleryContext(ParseContext):
    observed: dict[Path, datetime | None] = field(default_factory=dict)

    def observed_at(self, file: Path) -> datetime | None:
        """Dated folder time (cached per folder), else the file's mtime."""
        folder = file.parent
        if folder not in self.observed:
            if len(self.observed) > 1024:
                self.observed.clear()
            found = dated_folder(folder)
            self.observed[folder] = found[1] if found else None
        return self.observed[folder] or file_mtime(file)


def json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


# --------------------------------------------------------------------------- kwdicts


def post_key(kw: dict[str, Any]) -> str | None:
    return as_id(kw.get("post_id")) or as_text(kw.get("post_shortcode"))


def _is_story(kw: dict[str, Any]) -> bool:
    url = kw.get("post_url")
    return (
        as_text(kw.get("type")) in _STORY_TYPES
        or as_text(kw.get("subcategory")) in _STORY_SUBCATEGORIES
        or (isinstance(url, str) and "/stories/" in url)
    )


#: gallery-dl Instagram subcategories whose media are posts (feed posts, reels, stories and
#: highlights, and the same posts reached through a saved collection, a tag or tagged page).
POST_SUBCATEGORIES = frozenset(
    {
        "posts",
        "post",
        "reels",
        "reel",
        "stories",
        "story",
        "highlights",
        "highlight",
        "tagged",
        "saved",
        "collection",
        "tag",
        "hashtag",
        "location",
        "guide",
        "user",
    }
)
#: Why media of the other subcategories are not posts (counted in the summary as skipped).
_NOT_POST = {"avatar": "profile picture (subcategory avatar), not a post"}


#: Keys of a gallery-dl metadata object this loader reads (the load summary lists the others
#: as not loaded: display URLs, file names, download state …).
READ_KEYS = frozenset(
    [
        "audio_url",
        "biography",
        "business_category_name",
        "category",
        "coauthors",
        "count",
        "count_follow",
        "count_followed",
        "count_media",
        "date",
        "description",
        "edge_follow",
        "edge_followed_by",
        "edge_owner_to_timeline_media",
        "extension",
        "follower_count",
        "following_count",
        "full_name",
        "fullname",
        "height",
        "id",
        "is_private",
        "is_verified",
        "likes",
        "location_id",
        "location_name",
        "location_slug",
        "media_count",
        "media_id",
        "num",
        "owner_id",
        "pk",
        "pk_id",
        "post_date",
        "post_id",
        "post_shortcode",
        "post_url",
        "shortcode",
        "sidecar_media_id",
        "sidecar_shortcode",
        "subcategory",
        "tagged_full_name",
        "tagged_owner_id",
        "tagged_username",
        "tagged_users",
        "tags",
        "type",
        "typename",
        "user",
        "username",
        "video_url",
        "width",
    ]
)


def kwdict_records(
    kw: dict[str, Any],
    file: Path,
    position: str,
    ctx: GalleryContext,
    assembler: Assembler,
    media_path: str | None,
) -> Iterator[Record]:
    """One metadata object: a file sidecar, a post-level object, or a profile."""
    ctx.stats.note_columns("gallery-dl metadata", {k: "read" if k in READ_KEYS else "ignored" for k in kw})
    category = kw.get("category")
    if category is not None and category != "instagram":
        yield reject(
            file,
            position,
            f"not Instagram metadata (category {category!r}); this loader reads Instagram only",
            kw,
        )
        return
    has_post = any(
        k in kw for k in ("post_id", "post_shortcode", "post_url", "media_id", "sidecar_media_id", "num")
    )
    if not has_post:
        if "username" in kw or kw.get("subcategory") == "info":
            yield from _profile_records(kw, file, position, ctx)
            return
        yield reject(
            file, position, "not gallery-dl Instagram metadata: no post_shortcode, media_id or username", kw
        )
        return
    subcategory = as_text(kw.get("subcategory"))
    if subcategory is not None and subcategory not in POST_SUBCATEGORIES:
        ctx.stats.skip(_NOT_POST.get(subcategory, f"gallery-dl {subcategory!r} media, not a post"), file)
        return
    for user_kw in (kw.get("user"),):
        if isinstance(user_kw, dict):
            yield from _profile_records(user_kw, file, f"{position} user", ctx)
    item = _Item(
        kw=kw, file=file, position=position, media_path=media_path, observed_at=ctx.observed_at(file)
    )
    if _is_story(kw):
        yield from _story(item, ctx)
    elif "media_id" in kw or "num" in kw:
        yield from assembler.add(item)
    else:  # post-level only: a [2] with no files, info.json of a post folder, event=post files
        yield from _post([item], ctx)


def _profile_records(kw: dict[str, Any], file: Path, position: str, ctx: GalleryContext) -> Iterator[Record]:
    """The profile in ``kw`` as its rejects and (unless emitted recently) its UserRecord."""
    result = profile(kw, file, position)
    if isinstance(result, list):
        yield from result
    else:
        user, rejects = result
        yield from rejects
        yield from ctx.user(user)


@dataclass(slots=True)
class _Item:
    kw: dict[str, Any]
    file: Path
    position: str
    media_path: str | None
    observed_at: datetime | None


class Assembler:
    """Groups the file items of one post; a post is emitted as soon as all its ``count`` items
    are in, the rest when the folder (or dump array) ends."""

    def __init__(self, ctx: GalleryContext) -> None:
        self.ctx = ctx
        self.groups: dict[str, list[_Item]] = {}

    def add(self, item: _Item) -> Iterator[Record]:
        key = post_key(item.kw)
        if key is None:
            yield from _post([item], self.ctx)
            return
        group = self.groups.setdefault(key, [])
        group.append(item)
        expected = item.kw.get("count")
        if isinstance(expected, int) and not isinstance(expected, bool) and len(group) >= expected:
            del self.groups[key]
            yield from _post(group, self.ctx)

    def flush(self) -> Iterator[Record]:
        groups, self.groups = self.groups, {}
        for group in groups.values():
            yield from _post(group, self.ctx)


# --------------------------------------------------------------------------- records


def profile(kw: dict[str, Any], file: Path, position: str) -> tuple[UserRecord, list[Record]] | list[Record]:
    """A UserRecord from an Instagram user dict (``info``, embedded ``user``, list entry)."""
    raw_name = kw.get("username")
    username = textmod.normalise_username(raw_name) if isinstance(raw_name, str) else None
    if username is None:
        why = "no username" if raw_name is None else f"invalid username {raw_name!r}"
        return [reject(file, position, f"profile: {why}", kw)]
    fe = FieldErrors(file, position)
    counts = {
        "followers": [
            ("follower_count", kw.get("follower_count")),
            ("count_followed", kw.get("count_followed")),
            ("edge_followed_by", kw.get("edge_followed_by")),
        ],
        "following": [
            ("following_count", kw.get("following_count")),
            ("count_follow", kw.get("count_follow")),
            ("edge_follow", kw.get("edge_follow")),
        ],
        "posts": [
            ("media_count", kw.get("media_count")),
            ("count_media", kw.get("count_media")),
            ("edge_owner_to_timeline_media", kw.get("edge_owner_to_timeline_media")),
        ],
    }
    legacy = frozenset({"count_followed", "count_follow", "count_media"})
    category = fe.text("category", kw.get("category"))
    if category == "instagram":  # gallery-dl overwrites a top-level info dict's business category
        category = None
    category = category or fe.text("business_category_name", kw.get("business_category_name"))
    user = UserRecord(
        id=username,
        username=raw_name.strip() if isinstance(raw_name, str) else None,
        platform_id=as_id(kw.get("pk")) or as_id(kw.get("id")) or as_id(kw.get("pk_id")),
        full_name=fe.text("full_name", kw.get("full_name")) or None,
        followers=fe.first_count(counts["followers"], zero_is_missing=legacy),
        following=fe.first_count(counts["following"], zero_is_missing=legacy),
        posts_count=fe.first_count(counts["posts"], zero_is_missing=legacy),
        verified=fe.boolean("is_verified", kw.get("is_verified")),
        private=fe.boolean("is_private", kw.get("is_private")),
        biography=fe.text("biography", kw.get("biography")) or None,
        category=category or None,
    )
    return user, list(fe.rejects)


def _users_in(value: Any, name: str, fe: FieldErrors) -> list[UserRecord]:
    if value is None:
        return []
    if not isinstance(value, list):
        fe.rejects.append(
            reject(
                fe.source,
                f"{fe.position} {name}",
                f"{name}: expected a list, got {json_type(value)} (value dropped, record kept)",
                value,
            )
        )
        return []
    found = []
    for entry in value:
        user = small_user(entry)
        if user is None:
            fe.rejects.append(
                reject(
                    fe.source,
                    f"{fe.position} {name}",
                    f"{name}: entry without a valid username (entry dropped)",
                    entry,
                )
            )
        else:
            found.append(user)
    return found


def hashtags_from(tags: Any, caption: str | None) -> list[str]:
    """Hashtags of a gallery-dl post: its ``tags`` when present, else the caption's.

    gallery-dl's ``tags`` is ``sorted(set(re.findall(r"#\\w+", description)))``, so it also
    holds URL fragments (``…/page#section``) and entities (``&#123;``); when the caption is
    there, tags it does not show as hashtags are dropped, and the caption's order is kept.
    """
    from_caption = textmod.extract_hashtags(caption)
    if not isinstance(tags, list) or not tags:
        return from_caption
    normed = [t for t in (textmod.normalise_hashtag(x) for x in tags if isinstance(x, str)) if t]
    if not caption:
        return list(dict.fromkeys(normed))
    allowed = set(normed)
    # gallery-dl's ``\w`` stops at a combining mark (``#ภูเขา`` → ``ภ``): a caption tag counts
    # as listed when its cut-down form is
    return [t for t in from_caption if t in allowed or _gallery_dl_cut(t) in allowed]


def _gallery_dl_cut(tag: str) -> str | None:
    m = re.match(r"\w+", tag)
    return m.group(0) if m else None


def _shortcode(kw: dict[str, Any]) -> str | None:
    for key in ("post_shortcode", "sidecar_shortcode"):
        code = as_text(kw.get(key))
        if code and code.strip():
            return code.strip()
    url = kw.get("post_url")
    if isinstance(url, str):
        m = _POST_URL_RE.search(url)
        if m:
            return m.group(1)
    if "sidecar_media_id" not in kw:  # a single-media post: the item's code is the post's
        code = as_text(kw.get("shortcode"))
        if code and code.strip():
            return code.strip()
    return None


def _is_video(kw: dict[str, Any]) -> bool:
    return bool(kw.get("video_url")) or kw.get("typename") == "GraphVideo" or kw.get("extension") == "mp4"


def _is_extra(kw: dict[str, Any]) -> bool:
    """An audio track (``audio`` option) or a video's preview image (``previews``, media id
    ``<id>p``): files of a post that are not one of its media items."""
    media_id = kw.get("media_id")
    return (
        "audio_url" in kw
        or as_text(kw.get("extension")) in {"m4a", "mp3"}
        or (isinstance(media_id, str) and media_id.endswith("p"))
    )


def _num(item: _Item) -> int:
    num = item.kw.get("num")
    return num if isinstance(num, int) else 0


def _post(items: list[_Item], ctx: GalleryContext) -> Iterator[Record]:
    """One PostRecord from the file items (or the post-level object) of one post."""
    items.sort(key=_num)
    if all(_is_extra(it.kw) for it in items) and any("media_id" in it.kw for it in items):
        # a preview or audio file whose post was already emitted with its media items
        ctx.stats.skipped["preview or audio file"] = ctx.stats.skipped.get("preview or audio file", 0) + 1
        return
    first = items[0]
    kw = first.kw
    fe = FieldErrors(first.file, first.position)
    code = _shortcode(kw)
    if code is None:
        for it in items:
            yield reject(
                it.file, it.position, "post without post_shortcode or post_url: cannot key it", it.kw
            )
        return
    raw_owner = kw.get("username")
    author = textmod.normalise_username(raw_owner) if isinstance(raw_owner, str) else None
    if raw_owner is not None and author is None:
        fe.rejects.append(
            reject(
                first.file,
                f"{first.position} username",
                f"username: invalid {raw_owner!r} (post kept without author)",
                raw_owner,
            )
        )
    if author is not None:
        yield from ctx.user(
            UserRecord(
                id=author,
                username=raw_owner.strip() if isinstance(raw_owner, str) else None,
                platform_id=as_id(kw.get("owner_id")),
                full_name=as_text(kw.get("fullname")) or None,
            )
        )
    tagged_target = small_user(
        {
            "username": kw.get("tagged_username"),
            "id": kw.get("tagged_owner_id"),
            "full_name": kw.get("tagged_full_name"),
        }
    )
    if tagged_target is not None:
        yield from ctx.user(tagged_target)

    caption = fe.text("description", kw.get("description")) or None  # "" when there is none
    posted = fe.date("post_date", kw.get("post_date")) if kw.get("post_date") not in (None, "") else None
    posted = posted or fe.date("date", kw.get("date"))
    features: list[str] = []
    media_items = [it for it in items if not _is_extra(it.kw)]
    for it in items:
        for user in _users_in(it.kw.get("tagged_users"), "tagged_users", fe):
            yield from ctx.user(user)
            features.append(user.id)
    coauthors = []
    for user in _users_in(kw.get("coauthors"), "coauthors", fe):
        yield from ctx.user(user)
        coauthors.append(user.id)

    count = fe.count("count", kw.get("count"))
    media_count = len({as_id(it.kw.get("media_id")) or id(it) for it in media_items if "media_id" in it.kw})
    extras = len({as_id(it.kw.get("media_id")) or id(it) for it in items if _is_extra(it.kw)})
    size = max(count - extras, 1) if count else (media_count or None)
    url = as_text(kw.get("post_url"))
    ptype = kw.get("type")
    if ptype == "reel" or (url and "/reel/" in url):
        kind = "reel"
    elif (
        "sidecar_media_id" in kw or kw.get("typename") == "GraphSidecar" or (size or 0) > 1 or media_count > 1
    ):
        kind = "carousel"
    elif any(_is_video(it.kw) for it in media_items):
        kind = "video"
    elif ptype == "post" or media_items:
        kind = "image"  # since 1.30.9 a single video is typed "reel", so a single "post" is an image
    else:
        kind = None
    main = media_items[0] if media_items else first
    location_name = fe.text("location_name", kw.get("location_name"))
    location_slug = fe.text("location_slug", kw.get("location_slug"))
    post = PostRecord(
        id=code,
        author=author,
        owner_id=as_id(kw.get("owner_id")),
        shortcode=code,
        media_id=as_id(kw.get("post_id")) or as_id(kw.get("sidecar_media_id")),
        url=url or f"https://www.instagram.com/p/{code}/",
        type=kind,
        caption=caption,
        posted_at=values.plausible_post_date(posted),
        observed_at=observed_after(first.observed_at, posted),
        likes=fe.count("likes", kw.get("likes")),
        carousel_size=size,
        width=fe.count("width", main.kw.get("width")) if main.kw.get("width") else None,
        height=fe.count("height", main.kw.get("height")) if main.kw.get("height") else None,
        media_path=next((it.media_path for it in media_items if it.media_path), None),
        language=textmod.detect_language(caption),
        hashtags=hashtags_from(kw.get("tags"), caption),
        mentions=textmod.extract_mentions(caption),
        features=list(dict.fromkeys(features)),
        coauthors=list(dict.fromkeys(coauthors)),
        location_id=as_id(kw.get("location_id")),
        location_name=location_name or None,
        location_slug=location_slug or None,
    )
    yield from fe.rejects
    yield post


def _story(item: _Item, ctx: GalleryContext) -> Iterator[Record]:
    """One story or highlight item: its own post, keyed ``story:<media_id>``."""
    kw = item.kw
    media_id = as_id(kw.get("media_id"))
    if media_id is None:
        if "media_id" not in kw and "num" not in kw:  # the story reel's [2]: no item to key
            return
        yield reject(item.file, item.position, "story item without media_id: cannot key it", kw)
        return
    fe = FieldErrors(item.file, item.position)
    raw_owner = kw.get("username")
    author = textmod.normalise_username(raw_owner) if isinstance(raw_owner, str) else None
    if author is not None:
        yield from ctx.user(
            UserRecord(
                id=author,
                username=raw_owner.strip() if isinstance(raw_owner, str) else None,
                platform_id=as_id(kw.get("owner_id")),
                full_name=as_text(kw.get("fullname")) or None,
            )
        )
    features = []
    for user in _users_in(kw.get("tagged_users"), "tagged_users", fe):
        yield from ctx.user(user)
        features.append(user.id)
    caption = fe.text("description", kw.get("description"))
    post_url = as_text(kw.get("post_url"))
    url = (
        f"{post_url.rstrip('/')}/{media_id}/"
        if post_url and kw.get("type") != "highlight" and "/highlights/" not in post_url
        else None
    )
    posted = fe.date("date", kw.get("date")) or fe.date("post_date", kw.get("post_date"))
    post = PostRecord(
        id=f"story:{media_id}",
        author=author,
        media_id=media_id,
        url=url,
        type="story",
        caption=caption or None,
        posted_at=values.plausible_post_date(posted),
        observed_at=observed_after(item.observed_at, posted),
        likes=fe.count("likes", kw.get("likes")) if "likes" in kw else None,
        carousel_size=None,
        width=fe.count("width", kw.get("width")) if kw.get("width") else None,
        height=fe.count("height", kw.get("height")) if kw.get("height") else None,
        media_path=item.media_path,
        language=textmod.detect_language(caption),
        hashtags=textmod.extract_hashtags(caption),
        mentions=textmod.extract_mentions(caption),
        features=list(dict.fromkeys(features)),
    )
    yield from fe.rejects
    yield post
