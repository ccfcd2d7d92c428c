"""Parser for gallery-dl Instagram metadata: ``--write-metadata`` sidecar trees and ``-j`` dumps.

What it reads (``reference/scraper-formats/README.md`` §1 has every key):

* **sidecars** — ``<media>.<ext>.json`` next to each downloaded file (one per *file*: the items
  of a carousel are folded into one post), ``info.json`` (``--write-info-json``: a profile or
  the first post of a folder) and per-post files (``-P metadata -O event=post``);
* **``-j`` dumps** — one JSON array of message tuples per URL, several arrays concatenated
  for several URLs, or JSON Lines (``-o output.jsonl=true``). ``[2, {post}]`` starts a post,
  ``[3, url, {post + file}]`` is one of its files, ``[6, url, {user}]`` is a queued URL
  (followers/following entries), ``[-1, {error}]`` is an error gallery-dl caught;
* **profiles** — the ``/USER/info/`` dict and the ``user`` dict embedded in posts scraped via
  a user URL. Counts: ``follower_count`` → ``count_followed`` (when > 0) →
  ``edge_followed_by.count``; the same for following and posts (gallery-dl 1.32 sets every
  ``count_*`` to 0 when Instagram did not send the legacy keys).

**Follower lists**: a ``-j`` dump of ``/USER/followers/`` or ``/USER/following/`` lists the
accounts but never names ``USER`` (gallery-dl does not put it in the URL or the kwdict of the
entries). The target is taken from the file name — ``USER.followers.json``,
``USER-following.jsonl``, ``USER followers.txt`` (not ``_``: usernames contain it) — or, for a file named ``followers.json`` /
``following.json``, from its folder (``instagram/USER/followers.json``). Which list it is comes
from the entries' ``subcategory``, else the file name. A list whose owner cannot be told still
yields its users, plus one Reject saying how to name the file.

Every bad input becomes a :class:`Reject` and parsing continues; nothing raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from influence import text as textmod
from influence.loaders.common import (
    ParseStats,
    as_text,
    dated_scrape_record,
    folder_time,
    load_json_values,
    reject,
    walk_folders,
)
from influence.loaders.gallery_dl_posts import (
    Assembler,
    GalleryContext,
    hashtags_from,
    json_type,
    kwdict_records,
    post_key,
    profile,
)
from influence.loaders.records import FollowRecord, Record, ScrapeRecord, UserRecord

SOURCE = "gallery-dl"

#: Files in a tree that may hold metadata; everything else (media) is skipped.
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
#: ``-j`` output saved with another suffix (``> dump.txt``) is read when it starts with ``[``.
DUMP_SUFFIXES = (".txt",)
#: ``influence sample`` writes its answer key next to the scrape folders; gallery-dl never
#: writes a file of this name (its files are named after media ids, or ``info.json``).
SAMPLE_GROUND_TRUTH = "ground_truth.json"

_PROFILE_URL_RE = re.compile(r"instagram\.com/([A-Za-z0-9._]{1,30})/?(?:[?#].*)?$")
_FOLLOW_FILE_RE = re.compile(
    r"^(?:(?P<user>[A-Za-z0-9._]{1,30}?)[. -])?(?P<kind>followers|following)$", re.IGNORECASE
)
_FOLLOW_SUBCATEGORIES = frozenset({"followers", "following"})


def parse(path: Path | str, *, stats: ParseStats | None = None) -> Iterator[Record]:
    """Records from a gallery-dl metadata file or directory tree (streamed, never raises).

    Yields a :class:`ScrapeRecord` for ``path`` first, then users, posts, follows and rejects.
    A dated folder below ``path`` (``2024-05-01T104000``: one ``influence scrape`` run) gets
    its own ScrapeRecord just before its records. Pass ``stats`` to count files.
    """
    root = Path(path)
    stats = stats if stats is not None else ParseStats()
    yield _scrape_record(root)
    ctx = GalleryContext(stats=stats)
    if root.is_file():
        yield from _parse_file(root, ctx, names=None, explicit=True)
        return
    if not root.is_dir():
        stats.files_rejected += 1
        yield reject(
            root, "file", "no such file or directory: give a gallery-dl output folder or a metadata file"
        )
        return
    for folder, files in walk_folders(root):
        if folder != root and folder_time(folder.name) is not None:
            ctx.users.clear()
            yield _scrape_record(folder)
        names = {f.name for f in files}
        assembler = Assembler(ctx)
        for file in files:
            yield from _parse_file(file, ctx, names=names, explicit=False, assembler=assembler)
        yield from assembler.flush()


def _scrape_record(root: Path) -> ScrapeRecord:
    # no tool_version: gallery-dl writes no version into its metadata
    return dated_scrape_record(SOURCE, "gallery-dl", root)


# --------------------------------------------------------------------------- files


def _parse_file(
    file: Path,
    ctx: GalleryContext,
    *,
    names: set[str] | None,
    explicit: bool,
    assembler: Assembler | None = None,
) -> Iterator[Record]:
    stats = ctx.stats
    stats.files_seen += 1
    kind = _file_kind(file, explicit)
    if kind == "url list":
        yield from _url_list(file, ctx)
        return
    if kind != "json":
        stats.skip(kind, file)
        return
    own = assembler is None
    if assembler is None:
        assembler = Assembler(ctx)
    follow = _FollowList(file)
    stream = _DumpStream(file, ctx, follow)
    media_path = _media_next_to(file, names)
    got_value = False
    for item in load_json_values(file):
        if not isinstance(item, tuple):
            yield item
            continue
        got_value = True
        yield from _value(item, file, ctx, stream, assembler, media_path)
    yield from stream.flush()
    yield from follow.finish()
    if own:
        yield from assembler.flush()
    if got_value:
        stats.files_parsed += 1
    else:
        stats.files_rejected += 1


def _file_kind(file: Path, explicit: bool) -> str:
    """ "json" (metadata to read), "url list" (a ``-g`` list), or why the file is skipped. A file
    given by name is always read (unless it is a URL list)."""
    name = file.name.lower()
    if explicit:
        return "url list" if name.endswith(DUMP_SUFFIXES) and _is_url_list(_head(file)) else "json"
    if name == SAMPLE_GROUND_TRUTH:
        return "ground truth of a generated sample"
    if name.endswith(DUMP_SUFFIXES):
        head = _head(file)
        if _is_url_list(head):
            return "url list"
        if not head.startswith((b"[", b"{")):
            return "text file that is not metadata (not JSON)"
        return "json"
    return "json" if name.endswith(JSON_SUFFIXES) else _skip_reason(name)


def _value(
    item: tuple[str, Any],
    file: Path,
    ctx: GalleryContext,
    stream: _DumpStream,
    assembler: Assembler,
    media_path: str | None,
) -> Iterator[Record]:
    """One top-level JSON value of a metadata file: a ``-j`` array, a JSON Lines message, or a kwdict."""
    position, value = item
    if isinstance(value, list):
        if value and isinstance(value[0], list):  # one -j array of message tuples
            for i, msg in enumerate(value):
                yield from stream.feed(msg, f"{position} message {i}")
            yield from stream.flush()
        elif value:  # a JSON Lines message tuple
            yield from stream.feed(value, position)
    elif isinstance(value, dict):
        yield from stream.flush()
        yield from kwdict_records(value, file, position, ctx, assembler, media_path)
    else:
        yield reject(
            file, position, f"expected a JSON object or a -j message array, got {json_type(value)}", value
        )


_MEDIA_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".gif", ".mp4", ".mov", ".webm", ".m4a", ".mp3")


def _skip_reason(name: str) -> str:
    if name.endswith(_MEDIA_SUFFIXES):
        return "media file"
    if name.endswith((".part", ".ytdl")) or name == "archive.sqlite3" or name.endswith(".sqlite3"):
        return "download archive or partial download"
    return "not a metadata file (.json/.jsonl/.ndjson/.txt)"


def _head(file: Path) -> bytes:
    """The first bytes of ``file`` without BOM and leading blanks (b"[" when it cannot be read,
    so the reader reports why)."""
    try:
        with file.open("rb") as f:
            head = f.read(256)
    except OSError:
        return b"["
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: PowerShell's `>`
        head = head.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    return head.lstrip(b"\xef\xbb\xbf\x00 \t\r\n")


def _is_url_list(head: bytes) -> bool:
    return head.startswith((b"http://", b"https://", b"ytdl:"))


def _url_list(file: Path, ctx: GalleryContext) -> Iterator[Record]:
    """A ``gallery-dl -g`` URL list: no metadata. Named ``USER.following.txt`` /
    ``USER.followers.txt`` and holding profile URLs, it is still a follow list (the URLs name
    the accounts); anything else is one reject saying how to dump metadata instead."""
    stats = ctx.stats
    follow = _FollowList(file)
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as e:
        stats.files_rejected += 1
        yield reject(file, "file", f"cannot read the file: {e.strerror or e}")
        return
    urls = [
        (n, ln.strip())
        for n, ln in enumerate(lines, start=1)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    profiles = [(n, _PROFILE_URL_RE.search(u)) for n, u in urls]
    if follow.kind and follow.target and urls and all(m for _, m in profiles):
        for n, m in profiles:
            assert m is not None
            user = UserRecord(id=m.group(1).lower(), username=m.group(1))
            yield from ctx.user(user)
            yield from follow.edge(user.id, None, f"line {n}")
        stats.files_parsed += 1
        return
    stats.files_rejected += 1
    yield reject(
        file,
        "file",
        f"a gallery-dl -g URL list ({len(urls)} URLs), not metadata: run `gallery-dl -j URL > "
        f"{file.stem}.json` (or --write-metadata) to save what the URLs hold; "
        "a USER.following.txt / USER.followers.txt list of profile URLs is read as a follow list",
        [u for _, u in urls[:20]],
    )


def _media_next_to(sidecar: Path, names: set[str] | None) -> str | None:
    if not sidecar.name.lower().endswith(".json"):
        return None
    media = sidecar.name[: -len(".json")]
    if "." not in media:  # info.json, <shortcode>.json: no media file
        return None
    exists = media in names if names is not None else (sidecar.parent / media).is_file()
    return str(sidecar.parent / media) if exists else None


# --------------------------------------------------------------------------- -j messages


class _DumpStream:
    """Folds ``-j`` messages into posts: ``[2, post]`` then its ``[3, url, file]`` items."""

    def __init__(self, file: Path, ctx: GalleryContext, follow: _FollowList) -> None:
        self.file = file
        self.ctx = ctx
        self.follow = follow
        self.assembler = Assembler(ctx)
        self.directory: tuple[dict[str, Any], str] | None = None  # a [2] not yet matched by a [3]

    def feed(self, msg: Any, position: str) -> Iterator[Record]:
        if not isinstance(msg, list) or not msg or isinstance(msg[0], bool) or not isinstance(msg[0], int):
            yield reject(self.file, position, "not a gallery-dl message tuple ([type, …])", msg)
            return
        kind = msg[0]
        kw = msg[-1] if len(msg) >= 2 and isinstance(msg[-1], dict) else None
        if kind == -1:
            err = kw or {}
            what = ": ".join(str(err[k]) for k in ("error", "message") if err.get(k)) or "no details"
            yield reject(self.file, position, f"gallery-dl reported an error: {what}", msg)
        elif kind == 2:
            yield from self.flush()
            if kw is None:
                yield reject(self.file, position, "directory message [2, …] without a metadata object", msg)
            else:
                self.directory = (kw, position)
        elif kind == 3:
            if kw is None or len(msg) < 3:
                yield reject(self.file, position, "file message [3, url, …] without a metadata object", msg)
                return
            if self.directory is not None and post_key(self.directory[0]) == post_key(kw):
                self.directory = None
            yield from kwdict_records(kw, self.file, position, self.ctx, self.assembler, None)
        elif kind == 6:
            url = msg[1] if len(msg) >= 2 and isinstance(msg[1], str) else None
            yield from self._queue(url, kw or {}, position, msg)
        else:
            yield reject(self.file, position, f"unknown gallery-dl message type {kind}", msg)

    def _queue(self, url: str | None, kw: dict[str, Any], position: str, msg: Any) -> Iterator[Record]:
        sub = as_text(kw.get("subcategory"))
        if sub not in _FOLLOW_SUBCATEGORIES and not (sub is None and self.follow.kind):
            yield reject(
                self.file,
                position,
                f"queued URL {url!r} holds no metadata (gallery-dl -j does not follow it): "
                "dump with -J to resolve queued URLs",
                msg,
            )
            return
        if "username" not in kw and url:
            m = _PROFILE_URL_RE.search(url)
            if m:
                kw = {**kw, "username": m.group(1)}
        result = profile(kw, self.file, position)
        if isinstance(result, list):
            yield from result
            return
        user, rejects = result
        yield from rejects
        yield from self.ctx.user(user)
        yield from self.follow.edge(user.id, sub if isinstance(sub, str) else None, position)

    def flush(self) -> Iterator[Record]:
        yield from self.assembler.flush()
        if self.directory is not None:
            kw, position = self.directory
            self.directory = None
            yield from kwdict_records(kw, self.file, position, self.ctx, self.assembler, None)
            yield from self.assembler.flush()


class _FollowList:
    """Whose followers/following list a file is (from its name), and the edges it gives."""

    def __init__(self, file: Path) -> None:
        self.file = file
        stem = file.name
        for suffix in (".json", ".jsonl", ".ndjson", ".txt"):
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        m = _FOLLOW_FILE_RE.match(stem)
        self.kind: str | None = m.group("kind").lower() if m else None
        owner = m.group("user") if m else None
        if m and owner is None and file.parent.name.lower() != "instagram":  # gallery-dl's category folder
            owner = file.parent.name
        self.target = textmod.normalise_username(owner) if owner else None
        self.unknown: dict[str, int] = {}

    def edge(self, user: str, subcategory: str | None, position: str) -> Iterator[Record]:
        kind = subcategory or self.kind
        if self.target is None or kind is None:
            self.unknown[kind or "followers/following"] = (
                self.unknown.get(kind or "followers/following", 0) + 1
            )
            return
        if kind == "followers":
            yield FollowRecord(follower=user, followed=self.target)
        else:
            yield FollowRecord(follower=self.target, followed=user)

    def finish(self) -> Iterator[Record]:
        for kind, n in self.unknown.items():
            yield reject(
                self.file,
                "file",
                f"{n} {kind} entries but the file does not say whose list it is: save it as "
                f"<username>.{kind if kind in _FOLLOW_SUBCATEGORIES else 'followers'}.json "
                "(or <username>/followers.json); the users were loaded, the follow edges were not",
                {"file": self.file.name, "entries": n},
            )
        self.unknown.clear()


__all__ = ["SOURCE", "hashtags_from", "parse"]
