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

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from influence.loaders.common import (
    ParseContext,
    ParseStats,
    as_text,
    dated_scrape_record,
    folder_time,
    load_json_values,
    reject,
    walk_folders,
)
from influence.loaders.instaloader_nodes import SOURCE, post_record, profile_record, story_record
from influence.loaders.records import Record, Reject, ScrapeRecord

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
        yield from post_record(node, file, position, ctx, names)
    elif node_type == "StoryItem":
        yield from story_record(node, file, position, ctx, names)
    elif node_type == "Profile":
        result = profile_record(node, file, position)
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


__all__ = ["SOURCE", "parse"]
