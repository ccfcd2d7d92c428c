"""Instaloader nodes → records: every field read through a fallback chain over the three node
shapes (classic GraphQL, iPhone-struct "fake node", Polaris item) and instaloader 3's flat dict;
:func:`profile_record`, :func:`post_record` and :func:`story_record` (pure, never raise: bad
fields become :class:`Reject` s). The files and folders around them are read by
:mod:`influence.loaders.instaloader`."""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from influence import text as textmod
from influence import values
from influence.loaders.common import (
    FieldErrors,
    ParseContext,
    as_dict,
    as_id,
    as_text,
    dated_folder,
    dig,
    file_mtime,
    observed_after,
    reject,
    slugify,
    small_user,
)
from influence.loaders.records import PostRecord, Record, Reject, UserRecord

SOURCE = "instaloader"

_MEDIA_SUFFIXES = (".jpg", ".mp4", ".webp", ".heic", ".png", ".jpeg")
_TYPENAMES = {"GraphImage": "image", "GraphVideo": "video", "GraphSidecar": "carousel"}
_MEDIA_TYPES = {1: "image", 2: "video", 8: "carousel"}


def _first(*candidates: Any) -> Any:
    """The first candidate that is not None and not an empty string."""
    for c in candidates:
        if c is not None and c != "":
            return c
    return None


def _caption(node: dict[str, Any], ip: dict[str, Any]) -> Any:
    text = dig(node, "edge_media_to_caption", "edges", 0, "node", "text")
    if text is not None:
        return text
    cap = node.get("caption")
    if isinstance(cap, str):
        return cap
    if isinstance(cap, dict) and cap.get("text") is not None:
        return cap.get("text")
    return dig(ip, "caption", "text")


def _tagged(node: dict[str, Any], ip: dict[str, Any]) -> list[Any]:
    """Tagged-user dicts from every place the three shapes keep them (carousel children too)."""
    found: list[Any] = []
    sources = [node, ip]
    for parent in (node, ip):
        children = parent.get("carousel_media")
        if isinstance(children, list):
            sources.extend(c for c in children if isinstance(c, dict))
    edges = dig(node, "edge_sidecar_to_children", "edges")
    if isinstance(edges, list):
        sources.extend(e["node"] for e in edges if isinstance(e, dict) and isinstance(e.get("node"), dict))
    for src in sources:
        tagged_edges = dig(src, "edge_media_to_tagged_user", "edges")
        if isinstance(tagged_edges, list):
            found.extend(dig(e, "node", "user") for e in tagged_edges)
        usertags = dig(src, "usertags", "in")
        if isinstance(usertags, list):
            found.extend(dig(t, "user") for t in usertags)
    return found


def _location(node: dict[str, Any], ip: dict[str, Any], fe: FieldErrors) -> dict[str, str | None]:
    loc = node.get("location") if isinstance(node.get("location"), dict) else ip.get("location")
    if not isinstance(loc, dict):
        return {}
    name = as_text(loc.get("name"))
    slug = as_text(loc.get("slug")) or slugify(as_text(loc.get("short_name")) or name)
    country = None
    address = loc.get("address_json")
    if isinstance(address, str) and address:
        try:
            parsed = json.loads(address)
        except ValueError:
            parsed = None
        code = dig(parsed, "country_code")
        country = code.upper() if isinstance(code, str) and len(code) == 2 else None
    return {
        "location_id": as_id(loc.get("id")) or as_id(loc.get("pk")),
        "location_name": name or None,
        "location_slug": slug,
        "country": country,
    }


def _media_path(file: Path, names: set[str] | None) -> str | None:
    base = file.name
    for suffix in (".json.xz", ".json"):
        if base.lower().endswith(suffix):
            base = base[: -len(suffix)]
            break
    for stem in (base, f"{base}_1"):
        for ext in _MEDIA_SUFFIXES:
            candidate = stem + ext
            exists = candidate in names if names is not None else (file.parent / candidate).is_file()
            if exists:
                return str(file.parent / candidate)
    return None


def _observed(file: Path) -> datetime | None:
    found = dated_folder(file.parent)
    return found[1] if found else file_mtime(file)


# --------------------------------------------------------------------------- records


def profile_record(
    node: dict[str, Any], file: Path, position: str
) -> tuple[UserRecord, list[Reject]] | Reject:
    """A UserRecord from a Profile node (or a post's full ``owner`` dict)."""
    ip = as_dict(node.get("iphone_struct"))
    raw = _first(node.get("username"), ip.get("username"))
    name = textmod.normalise_username(raw) if isinstance(raw, str) else None
    if name is None:
        why = "no username" if raw is None else f"invalid username {raw!r}"
        return reject(file, position, f"profile: {why}", node)
    fe = FieldErrors(file, position)
    user = UserRecord(
        id=name,
        username=raw.strip() if isinstance(raw, str) else None,
        platform_id=as_id(node.get("id")) or as_id(node.get("pk")) or as_id(ip.get("pk")),
        full_name=fe.text("full_name", _first(node.get("full_name"), ip.get("full_name"))) or None,
        followers=fe.first_count(
            [
                ("edge_followed_by", node.get("edge_followed_by")),
                ("follower_count", node.get("follower_count")),
                ("iphone_struct.follower_count", ip.get("follower_count")),
            ]
        ),
        following=fe.first_count(
            [
                ("edge_follow", node.get("edge_follow")),
                ("following_count", node.get("following_count")),
                ("iphone_struct.following_count", ip.get("following_count")),
            ]
        ),
        posts_count=fe.first_count(
            [
                ("media_count", node.get("media_count")),
                ("iphone_struct.media_count", ip.get("media_count")),
                ("edge_owner_to_timeline_media", node.get("edge_owner_to_timeline_media")),
            ]
        ),
        verified=fe.boolean("is_verified", _first(node.get("is_verified"), ip.get("is_verified"))),
        private=fe.boolean("is_private", _first(node.get("is_private"), ip.get("is_private"))),
        biography=fe.text("biography", _first(node.get("biography"), ip.get("biography"))) or None,
        category=fe.text(
            "business_category_name",
            _first(node.get("business_category_name"), node.get("category"), ip.get("category")),
        )
        or None,
    )
    return user, list(fe.rejects)


def _owner(
    node: dict[str, Any], ip: dict[str, Any], file: Path, position: str, ctx: ParseContext
) -> Generator[Record, None, str | None]:
    """Yields the owner's UserRecord(s) and rejects; returns the author id (or None)."""
    for candidate in (node.get("owner"), node.get("user"), ip.get("user")):
        if isinstance(candidate, dict) and isinstance(candidate.get("username"), str):
            result = profile_record(candidate, file, f"{position} owner")
            if isinstance(result, Reject):
                yield result
                continue
            user, rejects = result
            yield from rejects
            yield from ctx.user(user)
            return user.id
    return None


def _owner_id(node: dict[str, Any], ip: dict[str, Any]) -> str | None:
    """The owner's platform id (hashtag pages and saved posts give ``owner: {id}`` only)."""
    for candidate in (node.get("owner"), node.get("user"), ip.get("user")):
        if isinstance(candidate, dict):
            found = as_id(candidate.get("id")) or as_id(candidate.get("pk")) or as_id(candidate.get("pk_id"))
            if found:
                return found
    # GraphQL and web API shapes that name the owner by a bare id
    return as_id(_first(node.get("owner_id"), node.get("user_id"), ip.get("owner_id"), ip.get("user_id")))


def _kind(node: dict[str, Any], ip: dict[str, Any]) -> str | None:
    product = _first(node.get("product_type"), ip.get("product_type"))
    if product == "clips":
        return "reel"
    typename = node.get("__typename")
    kind = _TYPENAMES.get(typename) if isinstance(typename, str) else None
    if kind is None:
        media_type = _first(node.get("media_type"), ip.get("media_type"))
        kind = _MEDIA_TYPES.get(media_type) if isinstance(media_type, int) else None
    if kind is None and node.get("is_video") is True:
        kind = "video"
    if product == "igtv" and kind in (None, "image"):
        kind = "video"
    if kind is None and isinstance(node.get("edge_sidecar_to_children"), dict):
        kind = "carousel"
    if kind is None and (node.get("is_video") is False or node.get("display_url") or node.get("display_src")):
        kind = "image"
    return kind


def _carousel_size(node: dict[str, Any], ip: dict[str, Any], kind: str | None) -> int | None:
    for candidate in (
        dig(node, "edge_sidecar_to_children", "edges"),
        node.get("carousel_media"),
        ip.get("carousel_media"),
    ):
        if isinstance(candidate, list) and candidate:
            return len(candidate)
    count = _first(node.get("carousel_media_count"), ip.get("carousel_media_count"))
    if isinstance(count, int) and not isinstance(count, bool) and count > 0:
        return count
    return 1 if kind in ("image", "video", "reel") else None


def _dimensions(node: dict[str, Any], ip: dict[str, Any], fe: FieldErrors) -> tuple[int | None, int | None]:
    for w, h in (
        (dig(node, "dimensions", "width"), dig(node, "dimensions", "height")),
        (node.get("original_width"), node.get("original_height")),
        (ip.get("original_width"), ip.get("original_height")),
        (
            dig(node, "image_versions2", "candidates", 0, "width"),
            dig(node, "image_versions2", "candidates", 0, "height"),
        ),
        (
            dig(ip, "image_versions2", "candidates", 0, "width"),
            dig(ip, "image_versions2", "candidates", 0, "height"),
        ),
    ):
        if w and h:
            return fe.count("width", w), fe.count("height", h)
    return None, None


#: Keys of an instaloader node this loader reads (the load summary lists the others as not
#: loaded: display resources, viewer state, accessibility captions …).
READ_KEYS = frozenset(
    [
        "__typename",
        "biography",
        "business_category_name",
        "caption",
        "carousel_media",
        "carousel_media_count",
        "category",
        "coauthor_producers",
        "code",
        "comment_count",
        "comments",
        "date",
        "dimensions",
        "display_src",
        "display_url",
        "edge_follow",
        "edge_followed_by",
        "edge_liked_by",
        "edge_media_preview_like",
        "edge_media_to_caption",
        "edge_media_to_comment",
        "edge_media_to_parent_comment",
        "edge_media_to_tagged_user",
        "edge_owner_to_timeline_media",
        "edge_sidecar_to_children",
        "follower_count",
        "following_count",
        "full_name",
        "id",
        "iphone_struct",
        "is_private",
        "is_verified",
        "is_video",
        "like_count",
        "likes",
        "location",
        "media_count",
        "media_type",
        "original_height",
        "original_width",
        "owner",
        "owner_id",
        "pk",
        "pk_id",
        "play_count",
        "product_type",
        "shortcode",
        "taken_at",
        "taken_at_timestamp",
        "user",
        "user_id",
        "username",
        "usertags",
        "video_play_count",
        "video_view_count",
        "video_views",
        "view_count",
        "image_versions2",
    ]
)


def post_record(
    node: dict[str, Any], file: Path, position: str, ctx: ParseContext, names: set[str] | None
) -> Iterator[Any]:
    ip = as_dict(node.get("iphone_struct"))
    if ctx.stats is not None:
        ctx.stats.note_columns("instaloader post", {k: "read" if k in READ_KEYS else "ignored" for k in node})
    code = as_text(_first(node.get("shortcode"), node.get("code"), ip.get("code")))
    if not code or not code.strip():
        yield reject(file, position, "post without shortcode (or code): cannot key it", node)
        return
    code = code.strip()
    fe = FieldErrors(file, position)
    author = yield from _owner(node, ip, file, position, ctx)
    features = []
    for entry in _tagged(node, ip):
        user = small_user(entry)
        if user is None:
            if entry is not None:
                fe.rejects.append(
                    reject(
                        file,
                        f"{position} tagged user",
                        "tagged user without a valid username (dropped)",
                        entry,
                    )
                )
            continue
        yield from ctx.user(user)
        features.append(user.id)
    coauthors = []
    producers = _first(node.get("coauthor_producers"), ip.get("coauthor_producers"))
    if isinstance(producers, list):
        for entry in producers:
            user = small_user(entry)
            if user is not None:
                yield from ctx.user(user)
                coauthors.append(user.id)

    caption = fe.text("caption", _caption(node, ip)) or None
    posted = fe.first_date(
        [
            ("taken_at_timestamp", node.get("taken_at_timestamp")),
            ("date", node.get("date")),
            ("taken_at", node.get("taken_at")),
            ("iphone_struct.taken_at", ip.get("taken_at")),
        ]
    )
    kind = _kind(node, ip)
    likes = fe.first_count(
        [
            ("edge_media_preview_like", node.get("edge_media_preview_like")),
            ("edge_liked_by", node.get("edge_liked_by")),
            ("like_count", node.get("like_count")),
            ("likes", node.get("likes")),
            ("iphone_struct.like_count", ip.get("like_count")),
        ]
    )
    comments = fe.first_count(
        [
            ("edge_media_to_comment", node.get("edge_media_to_comment")),
            ("edge_media_to_parent_comment", node.get("edge_media_to_parent_comment")),
            ("comments", node.get("comments")),
            ("comment_count", node.get("comment_count")),
            ("iphone_struct.comment_count", ip.get("comment_count")),
        ]
    )
    views = None
    if kind in ("video", "reel") or node.get("is_video") is True:
        views = fe.first_count(
            [
                ("video_view_count", node.get("video_view_count")),
                ("video_play_count", node.get("video_play_count")),
                ("iphone_struct.play_count", ip.get("play_count")),
                ("iphone_struct.view_count", ip.get("view_count")),
                ("video_views", node.get("video_views")),
            ]
        )
    width, height = _dimensions(node, ip, fe)
    location = _location(node, ip, fe)
    url = f"https://www.instagram.com/{'reel' if kind == 'reel' else 'p'}/{code}/"
    post = PostRecord(
        id=code,
        author=author,
        owner_id=_owner_id(node, ip),
        shortcode=code,
        media_id=as_id(_first(node.get("id"), node.get("pk"), ip.get("pk"))),
        url=url,
        type=kind,
        caption=caption,
        posted_at=values.plausible_post_date(posted),
        observed_at=observed_after(_observed(file), posted),
        likes=likes,
        comments=comments,
        views=views,
        carousel_size=_carousel_size(node, ip, kind),
        width=width,
        height=height,
        media_path=_media_path(file, names),
        language=textmod.detect_language(caption),
        hashtags=textmod.extract_hashtags(caption),
        mentions=textmod.extract_mentions(caption),
        features=list(dict.fromkeys(features)),
        coauthors=list(dict.fromkeys(coauthors)),
        location_id=location.get("location_id"),
        location_name=location.get("location_name"),
        location_slug=location.get("location_slug"),
        country=location.get("country"),
    )
    yield from fe.rejects
    yield post


def story_record(
    node: dict[str, Any], file: Path, position: str, ctx: ParseContext, names: set[str] | None
) -> Iterator[Any]:
    ip = as_dict(node.get("iphone_struct"))
    media_id = as_id(_first(node.get("id"), node.get("pk"), ip.get("pk")))
    if media_id is None:
        yield reject(file, position, "story item without id: cannot key it", node)
        return
    if "_" in media_id:  # the iPhone API's "<pk>_<user pk>"
        media_id = media_id.split("_", 1)[0]
    fe = FieldErrors(file, position)
    author = yield from _owner(node, ip, file, position, ctx)
    features = []
    for entry in _tagged(node, ip):
        user = small_user(entry)
        if user is not None:
            yield from ctx.user(user)
            features.append(user.id)
    caption = fe.text("caption", _caption(node, ip)) or None
    posted = fe.first_date(
        [
            ("taken_at_timestamp", node.get("taken_at_timestamp")),
            ("date", node.get("date")),
            ("iphone_struct.taken_at", ip.get("taken_at")),
        ]
    )
    is_video = node.get("is_video") is True or node.get("__typename") == "GraphStoryVideo"
    post = PostRecord(
        id=f"story:{media_id}",
        author=author,
        media_id=media_id,
        url=f"https://www.instagram.com/stories/{author}/{media_id}/" if author else None,
        type="story",
        caption=caption,
        posted_at=values.plausible_post_date(posted),
        observed_at=observed_after(_observed(file), posted),
        views=fe.first_count([("video_view_count", node.get("video_view_count"))]) if is_video else None,
        media_path=_media_path(file, names),
        language=textmod.detect_language(caption),
        hashtags=textmod.extract_hashtags(caption),
        mentions=textmod.extract_mentions(caption),
        features=list(dict.fromkeys(features)),
    )
    yield from fe.rejects
    yield post
