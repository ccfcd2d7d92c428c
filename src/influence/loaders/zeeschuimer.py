"""Zeeschuimer / 4CAT NDJSON captures (pure parser).

`Zeeschuimer <https://github.com/digitalmethodsinitiative/zeeschuimer>`_ is the browser
extension that records the posts a researcher scrolls past (Instagram, TikTok …) and exports
them as NDJSON, the format 4CAT (the open-source social-media research toolkit) imports. Each
line is ``{"nav_index", "item_id", "timestamp_collected", "source_platform", …, "data": {…}}``
where ``data`` is the platform's own item:

* **Instagram**: the item-list media of Instagram's web API (``code``, ``taken_at``,
  ``media_type`` 1 image / 2 video / 8 carousel, ``product_type`` ``clips`` = reel,
  ``caption.text``, ``user``/``owner``, ``like_count``, ``comment_count``, ``play_count``,
  ``usertags.in``, ``coauthor_producers``, ``location``, ``carousel_media``) and the GraphQL
  node shape (``shortcode``, ``edge_media_preview_like`` …), read by the same rules as
  instaloader's (:func:`influence.loaders.instaloader_nodes.post_record`). A hidden like count
  (``like_and_view_counts_disabled``) is no value, never 0; a partial item
  (``_zs_partial``) loads with what it has. Each post's observation time is its line's
  ``timestamp_collected`` (Unix milliseconds).
* **TikTok** and other platforms: not loaded; each line is counted as skipped, by platform.

Every key of a line and of an Instagram item is noted in ``stats.columns`` with where it
went, so the load summary names what was not loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from influence import values
from influence.loaders import instaloader_nodes
from influence.loaders.common import ParseContext, ParseStats, input_files, load_json_values, reject
from influence.loaders.records import PostRecord, Record, Reject, ScrapeRecord

SOURCE = "zeeschuimer"
SUFFIXES = (".ndjson", ".jsonl", ".json")

#: Keys of a Zeeschuimer line and where they go.
LINE_KEYS = {
    "data": "the item (below)",
    "timestamp_collected": "observed_at",
    "source_platform": "platform (Instagram loaded, others skipped)",
}
#: Keys of an Instagram item this loader reads, and the field each fills.
ITEM_KEYS = {
    "code": "id", "shortcode": "id", "pk": "media_id", "id": "media_id", "taken_at": "posted_at",
    "taken_at_timestamp": "posted_at", "media_type": "type", "product_type": "type", "__typename": "type",
    "is_video": "type", "caption": "caption", "edge_media_to_caption": "caption", "user": "author",
    "owner": "author", "like_count": "likes", "edge_media_preview_like": "likes", "edge_liked_by": "likes",
    "like_and_view_counts_disabled": "likes (hidden: no value)", "comment_count": "comments",
    "edge_media_to_comment": "comments", "edge_media_to_parent_comment": "comments", "play_count": "views",
    "ig_play_count": "views", "view_count": "views", "video_view_count": "views", "video_play_count": "views",
    "usertags": "features", "edge_media_to_tagged_user": "features", "coauthor_producers": "coauthors",
    "location": "location", "original_width": "width", "original_height": "height",
    "dimensions": "width, height", "image_versions2": "width, height", "carousel_media": "carousel_size",
    "carousel_media_count": "carousel_size", "edge_sidecar_to_children": "carousel_size",
}  # fmt: skip


def parse(path: Path | str, *, stats: ParseStats | None = None) -> Iterator[Record]:
    """Records from a Zeeschuimer NDJSON export (or a folder of them): a :class:`ScrapeRecord`,
    then users, posts and rejects (streamed, never raises)."""
    root = Path(path)
    stats = stats if stats is not None else ParseStats()
    yield ScrapeRecord(
        id=f"{SOURCE}:{root.resolve()}", source=SOURCE, tool="zeeschuimer", path=str(root.resolve())
    )
    files = input_files(root, SUFFIXES, "not a Zeeschuimer export (.ndjson)", stats)
    if files is None:
        yield reject(root, "file", "no such file or directory: give a Zeeschuimer .ndjson export")
        return
    ctx = ParseContext(stats=ParseStats())  # instaloader's own key list is not this load's
    for file in files:
        for item in load_json_values(file):
            if isinstance(item, Reject):
                yield item
                continue
            position, line = item
            yield from _line(line, file, position, ctx, stats)


def _line(line: Any, file: Path, position: str, ctx: Any, stats: ParseStats) -> Iterator[Record]:
    if not isinstance(line, dict) or not isinstance(line.get("data"), dict):
        yield reject(
            file,
            position,
            "not a Zeeschuimer item: a line is {timestamp_collected, source_platform, "
            "…, data: {…}} (is this a Zeeschuimer/4CAT NDJSON export?)",
            line,
        )
        return
    stats.note_columns("zeeschuimer line", {k: LINE_KEYS.get(k, "ignored") for k in line})
    platform = str(line.get("source_platform") or "").lower()
    data: dict[str, Any] = line["data"]
    if platform and "instagram" not in platform:
        name = platform.removesuffix(".com").split(".")[-1] or platform
        stats.skip(f"{name} item, not loaded (Instagram only)")
        return
    node: dict[str, Any] = next((data[k] for k in ("node", "media") if isinstance(data.get(k), dict)), data)
    stats.note_columns(
        "zeeschuimer instagram item",
        {k: ITEM_KEYS.get(k, "ignored") for k in node if not k.startswith("_zs_")},
    )
    if not (node.get("code") or node.get("shortcode")):
        yield reject(
            file,
            position,
            "Zeeschuimer Instagram item without code (shortcode): not a post (a story, profile or ad item?)",
            node,
        )
        return
    collected = line.get("timestamp_collected")
    try:
        seen = values.to_datetime(collected) if collected is not None else None
    except ValueError as e:
        seen = None
        yield reject(
            file,
            f"{position} timestamp_collected",
            f"timestamp_collected: {e} (value dropped, post kept)",
            collected,
        )
    for record in instaloader_nodes.post_record(node, file, position, ctx, None):
        if isinstance(record, PostRecord):
            _complete(record, node, seen)
        yield record


def _complete(post: PostRecord, node: dict[str, Any], seen: Any) -> None:
    """What the web API item says beyond instaloader's shapes: its play count, hidden likes,
    and the capture time as the observation time."""
    post.observed_at = seen
    if post.views is None and post.type in ("video", "reel"):
        for key in ("play_count", "ig_play_count", "view_count"):
            count = node.get(key)
            if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
                post.views = count
                break
    if node.get("like_and_view_counts_disabled") is True:
        post.likes = None  # hidden by the author: unknown, not 0
