"""Parser for instaloader metadata: ``.json.xz`` (and ``--no-compress-json`` ``.json``) files.

What it reads (``reference/scraper-formats/README.md`` §2):

* **Post** files ``<target>/<YYYY-MM-DD_HH-MM-SS>_UTC.json.xz`` — one per post (a carousel is
  one file), wrapped as ``{"node": …, "instaloader": {"version", "node_type"}}``. The node has
  one of three shapes: the classic GraphQL node (≤ 4.12 and some iterators), the iPhone-struct
  "fake node" (4.13–4.16 logged in: ``date``, ``caption`` as a string, ``comments`` as an int,
  the raw media item in ``iphone_struct``) and the normalised Polaris item (4.16: raw keys
  plus legacy aliases). Every field is read through a fallback chain that covers all three,
  and instaloader 3's flat, unwrapped dict (``shortcode`` at the top);
* **StoryItem** files (same names, ``node_type: "StoryItem"``) → posts ``story:<media id>``;
* **Profile** files ``<profile>/<profile>_<id>.json.xz`` → users (followers
  ``edge_followed_by.count`` → ``follower_count`` → ``iphone_struct.follower_count``, …);
* ``iterator_*.json.xz`` resume files, ``Hashtag`` structures, ``*_comments.json``, captions,
  ``id`` files and media are skipped (counted in :class:`ParseStats`, not rejected).

Every bad input becomes a :class:`Reject` and parsing continues; nothing raises.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from influence import text as textmod
from influence import values
from influence.loaders.common import (
    FieldErrors,
    ParseContext,
    ParseStats,
    as_dict,
    as_id,
    as_text,
    dated_folder,
    dated_scrape_record,
    dig,
    file_mtime,
    folder_time,
    load_json_values,
    observed_after,
    reject,
    slugify,
    small_user,
    walk_folders,
)
from influence.loaders.records import PostRecord, Record, Reject, ScrapeRecord, UserRecord

SOURCE = "instaloader"

_MEDIA_SUFFIXES = (".jpg", ".mp4", ".webp", ".heic", ".png", ".jpeg")
_TYPENAMES = {"GraphImage": "image", "GraphVideo": "video", "GraphSidecar": "carousel"}
_MEDIA_TYPES = {1: "image", 2: "video", 8: "carousel"}
#: records held back while looking for the first file that names the instaloader version
_VERSION_LOOKAHEAD = 1000


def parse(path: Path | str, *, stats: ParseStats | None = None) -> Iterator[Record]:
    """Records from an instaloader file or directory tree (streamed, never raises).

    Yields a :class:`ScrapeRecord` for ``path`` first (its ``tool_version`` from the first file
    that states one), then users, posts and rejects. A dated folder below ``path``
    (``2024-05-01T104000``) gets its own ScrapeRecord just before its records.
    """
    root = Path(path)
    stats = stats if stats is not None else ParseStats()
    ctx = _Context(stats=stats)
    if root.is_file():
        yield from _with_scrape(_scrape_record(root), _parse_file(root, ctx, names=None, explicit=True))
        return
    if not root.is_dir():
        stats.files_rejected += 1
        yield _scrape_record(root)
        yield reject(
            root, "file", "no such file or directory: give an instaloader download folder or a .json.xz file"
        )
        return
    yield from _with_scrape(_scrape_record(root), _walk(root, ctx))


def _walk(root: Path, ctx: _Context) -> Iterator[Record | ScrapeRecord]:
    for folder, files in walk_folders(root):
        if folder != root and folder_time(folder.name) is not None:
            ctx.users.clear()
            yield _scrape_record(folder)
        names = {f.name for f in files}
        for file in files:
            yield from _parse_file(file, ctx, names=names, explicit=False)


def _with_scrape(first: ScrapeRecord, records: Iterator[Any]) -> Iterator[Record]:
    """``first`` then ``records``, where a ScrapeRecord is held back (with what follows it, in
    a bounded buffer) until a file tells the instaloader version, which it then carries."""
    buffer: list[Record] = [first]
    waiting = True  # the buffer holds a ScrapeRecord without a version
    for rec in records:
        if isinstance(rec, _Version):
            if waiting:
                for held in buffer:
                    if isinstance(held, ScrapeRecord) and held.tool_version is None:
                        held.tool_version = rec.version
                yield from buffer
                buffer.clear()
                waiting = False
            continue
        if isinstance(rec, ScrapeRecord):
            waiting = True
        if not waiting:
            yield rec
            continue
        buffer.append(rec)
        if len(buffer) >= _VERSION_LOOKAHEAD:
            yield from buffer
            buffer.clear()
            waiting = False
    yield from buffer


@dataclass(slots=True)
class _Version:
    """Internal marker: the version the file just read was written by (never leaves parse)."""

    version: str


def _scrape_record(root: Path) -> ScrapeRecord:
    return dated_scrape_record(SOURCE, "instaloader", root)


_Context = ParseContext


# --------------------------------------------------------------------------- files


def _parse_file(file: Path, ctx: _Context, *, names: set[str] | None, explicit: bool) -> Iterator[Any]:
    stats = ctx.stats
    stats.files_seen += 1
    name = file.name
    lower = name.lower()
    if not lower.endswith((".json", ".json.xz")) and not explicit:
        stats.skip(_skip_reason(lower), file)
        return
    if lower.startswith("iterator_"):
        stats.skip("iterator_* resume file", file)
        return
    if lower.endswith(("_comments.json", "_comments.json.xz")):
        if explicit:
            stats.files_rejected += 1
            yield reject(
                file,
                "file",
                "comments file: not loaded (instaloader --comments output; the graph keeps each post's "
                "comment count — load the post's own .json / .json.xz for it)",
            )
        else:
            stats.skip("comments file (the post keeps its count)", file)
        return
    got_value = False
    for item in load_json_values(file):
        if isinstance(item, Reject):
            yield item
            continue
        got_value = True
        position, doc = item
        yield from _document(doc, file, position, ctx, names)
    if got_value:
        stats.files_parsed += 1
    else:
        stats.files_rejected += 1


def _skip_reason(lower: str) -> str:
    if lower.endswith((".jpg", ".jpeg", ".png", ".webp", ".heic", ".mp4", ".mov", ".webm")):
        return "media file"
    if lower.endswith(".txt"):
        return "caption or location .txt (in the post's .json)"
    return "not a metadata file (.json / .json.xz)"


def _document(doc: Any, file: Path, position: str, ctx: _Context, names: set[str] | None) -> Iterator[Any]:
    if not isinstance(doc, dict):
        yield reject(
            file,
            position,
            f"not an instaloader structure: expected a JSON object, got {type(doc).__name__}",
            doc,
        )
        return
    meta = doc.get("instaloader")
    node = doc.get("node")
    if isinstance(meta, dict) and isinstance(node, dict):
        version = as_text(meta.get("version")) or (
            str(meta["version"]) if isinstance(meta.get("version"), int | float) else None
        )
        node_type = meta.get("node_type")
        if version:
            yield _Version(version)
    elif "node" not in doc and "instaloader" not in doc and ("shortcode" in doc or "code" in doc):
        node, node_type = doc, "Post"  # instaloader 3: the post dict itself, unwrapped
    elif "node" not in doc and "instaloader" not in doc and "username" in doc:
        node, node_type = doc, "Profile"  # a profile saved by hand with the Python API
    else:
        yield reject(
            file,
            position,
            'not an instaloader structure: expected {"node": {…}, "instaloader": {"node_type": …}} '
            "or an instaloader 3 post with a shortcode",
            doc,
        )
        return
    if node_type == "Post":
        yield from _post(node, file, position, ctx, names)
    elif node_type == "StoryItem":
        yield from _story(node, file, position, ctx, names)
    elif node_type == "Profile":
        result = _profile(node, file, position)
        if isinstance(result, Reject):
            yield result
        else:
            user, rejects = result
            yield from rejects
            yield from ctx.user(user)
    elif node_type in ("FrozenNodeIterator", "Hashtag"):
        ctx.stats.skipped[f"{node_type} structure"] = ctx.stats.skipped.get(f"{node_type} structure", 0) + 1
    else:
        yield reject(file, position, f"unknown instaloader node_type {node_type!r}", doc)


# --------------------------------------------------------------------------- helpers


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


def _profile(node: dict[str, Any], file: Path, position: str) -> tuple[UserRecord, list[Reject]] | Reject:
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
    node: dict[str, Any], ip: dict[str, Any], file: Path, position: str, ctx: _Context
) -> Generator[Record, None, str | None]:
    """Yields the owner's UserRecord(s) and rejects; returns the author id (or None)."""
    for candidate in (node.get("owner"), node.get("user"), ip.get("user")):
        if isinstance(candidate, dict) and isinstance(candidate.get("username"), str):
            result = _profile(candidate, file, f"{position} owner")
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


def _post(
    node: dict[str, Any], file: Path, position: str, ctx: _Context, names: set[str] | None
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


def _story(
    node: dict[str, Any], file: Path, position: str, ctx: _Context, names: set[str] | None
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


__all__ = ["SOURCE", "parse"]
