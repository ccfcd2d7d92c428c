"""Instagram's own "Download your information" export, JSON format (pure parser).

The data a brand has about its own account: Instagram (Accounts Center → Your information
and permissions → Download your information, format JSON) writes a folder or zip named
``instagram-<username>-<date>-<code>`` holding, among many files:

* ``personal_information/personal_information.json`` (older: ``account_information/…``):
  ``profile_user[0].string_map_data`` with ``Username``, ``Name``, ``Bio``,
  ``Private Account`` → the exporting account (:class:`UserRecord`); without it the account
  is the ``<username>`` of the folder or zip name.
* ``…/content/posts_N.json``: a list of posts ``{media: [{uri, creation_timestamp, title}],
  title, creation_timestamp}`` → one :class:`PostRecord` each by the account (carousel when
  it has several media, video for ``.mp4``), the caption from ``title`` (the post's, else its
  first medium's). The export has no shortcode: a post is keyed ``ig-export:<hash>`` of the
  account, its time and its first medium's file, the same in every load of the export.
* ``connections/followers_and_following/followers_N.json`` → ``FOLLOWS`` from each follower
  to the account, ``following.json`` → from the account to each followed account; the
  username is read from the older ``string_list_data[0].value``, the newer ``title``, or the
  profile link (``href``). The follow time (``timestamp``) is not stored (the graph's
  FOLLOWS has no time) and the summary says so.
* ``…/content/reels.json`` (``ig_reels_media``): the same, as reels.
* ``…/likes/liked_posts.json`` → ``LIKED`` from the account to each post (shortcode from the
  post link).

Text is repaired from the export's escaped UTF-8 (every byte written as ``\\u00XX``:
``Caf\\u00c3\\u00a9`` → ``Café``). Every other file of the export is counted as skipped, by
name, in the load summary.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from influence import text as textmod
from influence import values
from influence.loaders import limits
from influence.loaders.common import (
    FileError,
    ParseStats,
    decode_text,
    iter_json_values,
    read_bytes,
    reject,
)
from influence.loaders.records import (
    FollowRecord,
    LikeRecord,
    PostRecord,
    Record,
    Reject,
    ScrapeRecord,
    UserRecord,
)

SOURCE = "instagram-export"
#: ``instagram-<username>-<YYYY-MM-DD>-<code>``: how Instagram names the export.
_EXPORT_NAME = re.compile(r"^instagram-(?P<user>[A-Za-z0-9._]{1,30})-\d{4}-\d{2}-\d{2}(?:-[A-Za-z0-9]+)?$")
_POSTS = re.compile(r"^posts_\d+\.json$")
_REELS = re.compile(r"^reels(?:_\d+)?\.json$")
_FOLLOWERS = re.compile(r"^followers(?:_\d+)?\.json$")
_FOLLOWING = re.compile(r"^following(?:_\d+)?\.json$")
_LIKED = re.compile(r"^liked_posts(?:_\d+)?\.json$")
_PERSONAL = ("personal_information.json",)
_POST_LINK = re.compile(r"/(?:p|reel|tv)/([A-Za-z0-9_-]+)")


def repair(value: str) -> str:
    """Text of the export with its escaped UTF-8 repaired: Instagram writes each UTF-8 byte as
    a ``\\u00XX`` code point (``CafÃ©`` once decoded); text that is not such bytes is returned
    as it is."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def parse(path: Path | str, *, stats: ParseStats | None = None) -> Iterator[Record]:
    """Records of an export folder or zip: a :class:`ScrapeRecord`, the account, then posts,
    follows and likes (streamed per file, never raises; bad values become Rejects)."""
    root = Path(path)
    stats = stats if stats is not None else ParseStats()
    yield ScrapeRecord(
        id=f"{SOURCE}:{root.resolve()}", source=SOURCE, tool="instagram-export", path=str(root.resolve())
    )
    try:
        members = _members(root)
    except (OSError, zipfile.BadZipFile, FileError) as e:
        yield reject(
            root, "file", f"cannot read the Instagram export: {e} (give the export's folder or .zip)"
        )
        return
    account: str | None = None
    by_name = {name: reader for name, reader in members}
    personal = next((n for n in by_name if PurePosixPath(n).name in _PERSONAL), None)
    if personal is not None:
        stats.files_seen += 1
        for item in _values(by_name[personal], personal, root):
            if isinstance(item, Reject):
                yield item
                continue
            user = _account(item)
            if user is not None:
                account = user.id
                yield user
    if account is None:
        account = _account_from_name(root)
        if account is not None:
            yield UserRecord(id=account, username=account)
    if account is None:
        yield reject(
            root,
            "file",
            "the exporting account is unknown: no personal_information.json and the folder "
            "or zip is not named instagram-<username>-<date>-… (keep the export's own name)",
        )
        return
    for name, reader in sorted(by_name.items()):
        if name == personal:
            continue
        base = PurePosixPath(name).name
        handler = (
            _posts
            if _POSTS.match(base)
            else _reels
            if _REELS.match(base)
            else _followers
            if _FOLLOWERS.match(base)
            else _following
            if _FOLLOWING.match(base)
            else _liked
            if _LIKED.match(base)
            else None
        )
        if handler is None:
            stats.skip(
                "Instagram export file not loaded ("
                + (
                    "media"
                    if not base.endswith(".json")
                    else base.removesuffix(".json").rstrip("_0123456789")
                )
                + ")",
                root / name,
            )
            continue
        stats.files_seen += 1
        stats.files_parsed += 1
        for item in _values(reader, name, root):
            if isinstance(item, Reject):
                yield item
                continue
            yield from handler(item, account, root / name, stats)


def _members(root: Path) -> list[tuple[str, Any]]:
    """(relative name, reader) of every file of the export folder or zip."""
    if root.is_dir():
        return [(p.relative_to(root).as_posix(), p) for p in sorted(root.rglob("*")) if p.is_file()]
    if zipfile.is_zipfile(root):
        with zipfile.ZipFile(root) as archive:
            return [
                (info.filename, (root, info.filename, info.file_size))
                for info in archive.infolist()
                if not info.is_dir()
            ]
    if root.is_file():
        return [(root.name, root)]
    raise FileError("no such file or directory")


def _values(reader: Any, name: str, root: Path) -> Iterator[Any]:
    source = root / name
    try:
        if isinstance(reader, Path):
            data = read_bytes(reader)
        else:
            archive_path, member, size = reader
            if size > limits.current().max_document_bytes:
                raise FileError(f"{member} is {size} bytes, over the document limit (--max-document-mb)")
            with zipfile.ZipFile(archive_path) as archive:
                data = archive.read(member)
    except (OSError, FileError, zipfile.BadZipFile, KeyError) as e:
        yield reject(source, "file", f"cannot read: {e}")
        return
    text, _ = decode_text(data)
    for item in iter_json_values(text, source):
        yield item if isinstance(item, Reject) else item[1]


def _string_map(entry: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    data = entry.get("string_map_data") if isinstance(entry, dict) else None
    if isinstance(data, dict):
        for key, cell in data.items():
            if isinstance(cell, dict) and isinstance(cell.get("value"), str):
                found[key.lower()] = repair(cell["value"])
    return found


def _account(doc: Any) -> UserRecord | None:
    entries = doc.get("profile_user") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        return None
    for entry in entries:
        cells = _string_map(entry)
        name = textmod.normalise_username(cells.get("username", ""))
        if name is None:
            continue
        private = cells.get("private account", "").strip().lower()
        return UserRecord(
            id=name,
            username=name,
            full_name=cells.get("name") or None,
            biography=cells.get("bio") or None,
            private={"true": True, "false": False}.get(private),
        )
    return None


def _account_from_name(root: Path) -> str | None:
    stem = root.name.removesuffix(".zip")
    m = _EXPORT_NAME.match(stem)
    return textmod.normalise_username(m.group("user")) if m else None


def _reels(doc: Any, account: str, file: Path, stats: ParseStats) -> Iterator[Record]:
    """``reels.json``: ``{"ig_reels_media": [{media: [...]}]}``, posts of type reel."""
    entries = next((v for v in doc.values() if isinstance(v, list)), None) if isinstance(doc, dict) else doc
    for record in _posts(entries, account, file, stats):
        if isinstance(record, PostRecord):
            record.type = "reel"
        yield record


def _posts(doc: Any, account: str, file: Path, stats: ParseStats) -> Iterator[Record]:
    if not isinstance(doc, list):
        yield reject(file, "file", "posts file is not a list of posts", doc)
        return
    for i, entry in enumerate(doc):
        if not isinstance(entry, dict) or not isinstance(entry.get("media"), list) or not entry["media"]:
            yield reject(file, f"post {i}", "post without media", entry)
            continue
        media = [m for m in entry["media"] if isinstance(m, dict)]
        first = media[0] if media else {}
        caption_raw = entry.get("title") or first.get("title")
        caption = repair(caption_raw) if isinstance(caption_raw, str) and caption_raw else None
        stamp = entry.get("creation_timestamp") or first.get("creation_timestamp")
        try:
            posted = values.to_datetime(stamp) if stamp else None
        except ValueError as e:
            yield reject(
                file,
                f"post {i} creation_timestamp",
                f"creation_timestamp: {e} (value dropped, post kept)",
                stamp,
            )
            posted = None
        uri = str(first.get("uri") or "")
        key = hashlib.sha1(f"{account}\x1f{stamp}\x1f{uri}".encode()).hexdigest()[:20]
        kind = (
            "carousel" if len(media) > 1 else "video" if uri.lower().endswith((".mp4", ".mov")) else "image"
        )
        yield PostRecord(
            id=f"ig-export:{key}",
            author=account,
            type=kind,
            caption=caption,
            posted_at=posted,
            carousel_size=len(media),
            language=textmod.detect_language(caption),
            hashtags=textmod.extract_hashtags(caption),
            mentions=textmod.extract_mentions(caption),
        )


def _people(doc: Any) -> Iterator[tuple[str | None, Any]]:
    """(username, raw entry) of a followers / following list, older and newer forms."""
    entries = doc
    if isinstance(doc, dict):  # {"relationships_following": [...]}
        entries = next(
            (v for k, v in doc.items() if k.startswith("relationships_") and isinstance(v, list)), []
        )
    if not isinstance(entries, list):
        return
    for entry in entries:
        if not isinstance(entry, dict):
            yield None, entry
            continue
        data = entry.get("string_list_data")
        cells = [c for c in data if isinstance(c, dict)] if isinstance(data, list) else []
        name = None
        for candidate in (
            [c.get("value") for c in cells] + [entry.get("title")] + [c.get("href") for c in cells]
        ):
            if isinstance(candidate, str) and candidate.strip():
                name = textmod.normalise_username(repair(candidate))
                if name:
                    break
        yield name, entry


def _follows(doc: Any, account: str, file: Path, stats: ParseStats, *, inbound: bool) -> Iterator[Record]:
    """FOLLOWS from each listed person to ``account`` (``inbound``: a followers file) or from
    ``account`` to each (a following file)."""
    kind, role = ("followers", "follower") if inbound else ("following", "followed account")
    stats.note_columns(
        f"instagram-export {kind}",
        {
            "string_list_data.value / title / href": role.split()[0],
            "timestamp": "ignored (follow time not stored)",
        },
    )
    for i, (name, entry) in enumerate(_people(doc)):
        if name is None:
            yield reject(
                file, f"entry {i}", f"{role} without a username (value, title or profile link)", entry
            )
            continue
        yield (
            FollowRecord(follower=name, followed=account)
            if inbound
            else FollowRecord(follower=account, followed=name)
        )


def _followers(doc: Any, account: str, file: Path, stats: ParseStats) -> Iterator[Record]:
    return _follows(doc, account, file, stats, inbound=True)


def _following(doc: Any, account: str, file: Path, stats: ParseStats) -> Iterator[Record]:
    return _follows(doc, account, file, stats, inbound=False)


def _liked(doc: Any, account: str, file: Path, stats: ParseStats) -> Iterator[Record]:
    entries = doc.get("likes_media_likes") if isinstance(doc, dict) else doc
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        cells = entry.get("string_list_data") if isinstance(entry, dict) else None
        cells = cells if isinstance(cells, list) else []
        link = next(
            (c.get("href") for c in cells if isinstance(c, dict) and isinstance(c.get("href"), str)), None
        )
        m = _POST_LINK.search(link or "")
        if m is None:
            yield reject(file, f"like {i}", "liked post without a post link", entry)
            continue
        yield LikeRecord(user=account, post=m.group(1))
