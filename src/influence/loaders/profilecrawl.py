"""instagram-profilecrawl JSON: one file per profile with its latest posts (pure parser).

Input: a directory of ``*.json`` files (searched recursively, sorted by path) or one file.
Each file is one profile::

    {"alias": "0vse", "username": "ВСЁ ОБО ВСЁМ", "descriptionProfile": ["bio", ...],
     "urlProfile": "https://www.instagram.com/0vse/", "website": null,
     "numberPosts": 901, "numberFollowers": 495000, "numberFollowing": 31, "private": false,
     "posts": [{"url": "https://www.instagram.com/p/BDfyL4fg54j/?taken-by=0vse",
                "numberLikes": 33, "numberViews": 0, "numberComments": 0, "isVideo": false,
                "multipleImage": false, "tags": ["#tag"], "mentions": ["@user"],
                "description": "caption", "localization": "Paris, France",
                "date": "2016-03-28T05:00:00.000Z", ...}]}

What it yields: one :class:`ScrapeRecord` (id ``profilecrawl:<absolute path>``), then per
profile one :class:`UserRecord` followed by a :class:`PostRecord` per post.

Quirks handled:

* **Which key is the handle.** The 2017 crawl (``instagram-profilecrawl-2017``) writes the
  handle in ``alias`` and the display name in ``username``; the upstream crawler's own
  samples do the opposite. The handle is the one of the two that is a valid Instagram
  username, preferring the one ``urlProfile`` points to, then ``alias``. A file where neither
  is a username (the crawler saved an error page: ``"Sorry, something went wrong."``) is
  rejected as a whole with that reason.
* **Counts** go through :func:`~influence.values.to_count`, so display-rounded
  strings (``"124k"``) are expanded. ``numberViews`` is 0 on every post of the 2017 crawl (views
  were not captured), so a view count of 0 is read as unknown (None).
* **Dates** have day precision (``05:00Z`` = US-Central midnight); placeholders before
  Instagram existed (``1970-01-01``) become ``posted_at=None``
  (:func:`~influence.values.plausible_post_date`).
* **When the counts were seen.** The crawler stores no crawl time. Every post's
  ``observed_at`` (and the scrape's ``started_at``) is the ``observed_at`` argument when given,
  else a ``crawledAt``/``scraped`` key of the file when present, else it is inferred as the end
  of the day of the **latest post date in the whole input** (a crawl cannot precede the posts
  it saw; dates are day-precision, so the end of that day is the estimate). For the 2017 crawl
  that gives 2017-04-27T05:00Z; its ``SOURCE.txt`` puts the crawl just before the commit at
  2017-04-26T23:04Z, so pass ``observed_at=2017-04-26T23:00Z`` to be exact.
* **Type**: ``isVideo`` → ``video``, ``multipleImage`` → ``carousel``, else ``image``.
* **Hashtags / mentions** come from the ``tags`` / ``mentions`` lists, normalised (lower case,
  no ``#``/``@``); when a list is missing or empty they are extracted from the caption.
  ``language`` is detected from the caption.
* ``localization`` (a place name without an id) is kept as ``location_name`` and
  ``location_slug``; there is no location id in this format.

Bad input never raises: an unreadable or non-JSON file, a file that is not a profile, or a
post without a usable ``/p/<shortcode>/`` URL becomes a :class:`Reject` with the reason and
parsing continues. A bad optional value (a count that is not a number) is dropped from its
record, which is kept, and reported as a Reject too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from influence import text, values
from influence.loaders.common import FileError, ParseStats, input_files, read_bytes, reject
from influence.loaders.records import (
    FollowRecord,
    LikeRecord,
    PostRecord,
    Record,
    Reject,
    ScrapeRecord,
    UserRecord,
)

SOURCE = "profilecrawl"
TOOL = "instagram-profilecrawl"

_SHORTCODE_RE = re.compile(r"/(?:p|reel|tv)/([A-Za-z0-9_-]+)")
_PROFILE_URL_RE = re.compile(r"^/([A-Za-z0-9._]{1,30})/?$")
# "scrapped": the misspelling older instapy-era crawler versions wrote
_CRAWL_TIME_KEYS = ("crawledAt", "crawled_at", "scraped", "scrapped", "scrapedAt", "scraped_at")
#: Keys only the later (instapy-era) crawler versions write; in those, ``username`` is the
#: handle and ``alias`` the display name (the 2017 crawl has it the other way round).
_LATER_VERSION_KEYS = frozenset(
    {"num_of_posts", "bio_url", "isprivate", "scraped", "scrapped", "profile_image", "prof_img", "bio"}
)


#: Where each key of a profile and of a post goes (the load summary names the others as ignored).
PROFILE_KEYS = {
    "alias": "username / full name",
    "username": "username / full name",
    "urlProfile": "username (check)",
    "descriptionProfile": "biography",
    "bio": "biography",
    "website": "website",
    "bio_url": "website",
    "numberFollowers": "followers",
    "followers": "followers / follower list",
    "numberFollowing": "following",
    "following": "following / followed list",
    "numberPosts": "postsCount",
    "num_of_posts": "postsCount",
    "private": "private",
    "isprivate": "private",
    "posts": "posts",
}
POST_KEYS = {
    "url": "shortcode",
    "description": "caption",
    "caption": "caption",
    "date": "postedAt",
    "isVideo": "type",
    "multipleImage": "type",
    "numberViews": "views",
    "views": "views",
    "localization": "location",
    "location": "location",
    "numberLikes": "likes",
    "likes": "likes / likers",
    "numberComments": "comments",
    "comments": "comments / commenters",
    "tags": "hashtags",
    "mentions": "mentions",
}


def _note_keys(stats: ParseStats | None, doc: dict[str, Any]) -> None:
    """Tell ``stats`` where every key of this profile and of its posts went."""
    if stats is None:
        return
    crawl_time = {k: "observation time" for k in _CRAWL_TIME_KEYS}
    stats.note_columns(
        "profilecrawl profile", {k: PROFILE_KEYS.get(k) or crawl_time.get(k, "ignored") for k in doc}
    )
    posts = doc.get("posts")
    for post in posts if isinstance(posts, list) else []:
        if isinstance(post, dict):
            stats.note_columns("profilecrawl post", {k: POST_KEYS.get(k, "ignored") for k in post})


def parse(
    path: Path, observed_at: datetime | None = None, *, stats: ParseStats | None = None
) -> Iterator[Record]:
    """Stream the records of an instagram-profilecrawl directory (``*.json``) or file.

    ``observed_at`` is when the crawl saw the counts (UTC); see the module docstring for how
    it is inferred when not given. Never raises on bad input: problems become Rejects. Files
    of a folder that are not ``*.json`` are counted in ``stats`` (skipped, with the reason).
    """
    path = Path(path)
    files = _json_files(path, stats)
    crawl_time = observed_at if observed_at is not None else _infer_crawl_time(files)
    if crawl_time is not None:
        crawl_time = values.to_datetime(crawl_time)
    yield ScrapeRecord(
        id=f"{SOURCE}:{path.resolve()}",
        source=SOURCE,
        tool=TOOL,
        started_at=crawl_time,
        path=str(path.resolve()),
    )
    if not path.exists():
        yield reject(path, "file", "no such file or directory")
        return
    for file in files:
        if stats is not None:
            stats.files_started += 1
        yield from parse_file(file, crawl_time, stats)


def parse_file(file: Path, observed_at: datetime | None, stats: ParseStats | None = None) -> Iterator[Record]:
    """The user and post records of one profile file (no ScrapeRecord); never raises. ``stats``
    (optional) learns where each key of the profile and its posts went."""
    doc = _load(file)
    if isinstance(doc, Reject):
        yield doc
        return
    if not isinstance(doc, dict):
        yield reject(file, "document", f"expected a JSON object (a profile), got {_kind(doc)}", doc)
        return
    own_time = _file_crawl_time(doc)
    when = own_time if own_time is not None else observed_at
    handle = _handle(doc)
    if handle is None:
        yield reject(
            file,
            "document",
            "not a profile: neither 'alias' nor 'username' is an Instagram username "
            "(a crawler error page?); re-crawl this account",
            {k: v for k, v in doc.items() if k not in ("posts", "videos")},
        )
        return
    _note_keys(stats, doc)
    problems: list[Reject] = []
    user = _user(doc, handle, file, problems)
    yield user
    posts = doc.get("posts")
    if posts is not None and not isinstance(posts, list):
        problems.append(reject(file, "posts", f"'posts' is {_kind(posts)}, not a list", posts))
        posts = []
    yield from problems
    yield from _follow_lists(doc, handle, file)
    for i, raw in enumerate(posts or []):
        yield from _post(raw, handle, when, file, f"posts[{i}]")


def _names(value: Any, file: Path, position: str) -> Iterator[str | Reject]:
    """The usernames in a crawler list (``followers.list``, ``likes.list``): strings or
    ``{"user"|"username": …}`` objects; an entry that is not a username is a Reject."""
    if not isinstance(value, list):
        return
    for j, entry in enumerate(value):
        raw = entry.get("user", entry.get("username")) if isinstance(entry, dict) else entry
        name = text.normalise_username(raw) if isinstance(raw, str) else None
        if name is None:
            yield reject(file, f"{position}[{j}]", "list entry is not a username (entry dropped)", entry)
        else:
            yield name


def _follow_lists(
    doc: dict[str, Any], handle: str, file: Path
) -> Iterator[UserRecord | FollowRecord | Reject]:
    """``followers.list`` / ``following.list`` of the later crawler versions as FOLLOWS edges."""
    for key in ("followers", "following"):
        block = doc.get(key)
        if not isinstance(block, dict):
            continue
        for name in _names(block.get("list"), file, f"{key}.list"):
            if isinstance(name, Reject):
                yield name
                continue
            yield UserRecord(id=name, username=name)
            if key == "followers":
                yield FollowRecord(follower=name, followed=handle)
            else:
                yield FollowRecord(follower=handle, followed=name)


# --------------------------------------------------------------------------- profile


def _later_version(doc: dict[str, Any]) -> bool:
    return not _LATER_VERSION_KEYS.isdisjoint(doc)


def _handle(doc: dict[str, Any]) -> str | None:
    candidates = []
    for key in ("username", "alias") if _later_version(doc) else ("alias", "username"):
        value = doc.get(key)
        if isinstance(value, str) and re.fullmatch(r"@?[A-Za-z0-9._]{1,30}", value.strip()):
            name = text.normalise_username(value)
            if name:
                candidates.append(name)
    if not candidates:
        return None
    from_url = _profile_url_name(doc.get("urlProfile"))
    if from_url in candidates:
        return from_url
    return candidates[0]


def _profile_url_name(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    try:
        m = _PROFILE_URL_RE.match(urlparse(url).path)
    except ValueError:
        return None
    return m.group(1).lower() if m else None


def _user(doc: dict[str, Any], handle: str, file: Path, problems: list[Reject]) -> UserRecord:
    if _later_version(doc):
        other_key = "alias" if _clean(doc.get("username")) == handle else "username"
    else:
        other_key = "username" if _clean(doc.get("alias")) == handle else "alias"
    full_name = _str(doc.get(other_key))
    bio = doc.get("descriptionProfile", doc.get("bio"))
    if isinstance(bio, list):
        bio = next((b for b in bio if isinstance(b, str) and b.strip()), None)
    website = _str(doc.get("website", doc.get("bio_url")))
    user = UserRecord(
        id=handle,
        username=handle,
        full_name=full_name,
        followers=_count(doc, ("numberFollowers", "followers"), file, "profile", problems),
        following=_count(doc, ("numberFollowing", "following"), file, "profile", problems),
        posts_count=_count(doc, ("numberPosts", "num_of_posts"), file, "profile", problems),
        private=_bool(doc, ("private", "isprivate"), file, "profile", problems),
        biography=_str(bio),
    )
    if website:
        user.extra["website"] = website
    return user


def _str(value: Any) -> str | None:
    """Stripped text; None for anything else, empty text and the crawler's literal ``"None"``."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return None if not value or value in ("None", "null", "-None") else value


def _clean(value: Any) -> str | None:
    return text.normalise_username(value) if isinstance(value, str) else None


# --------------------------------------------------------------------------- posts


def _post(raw: Any, author: str, observed_at: datetime | None, file: Path, position: str) -> Iterator[Record]:
    if not isinstance(raw, dict):
        yield reject(file, position, f"expected a post object, got {_kind(raw)}", raw)
        return
    url = raw.get("url")
    code = shortcode(url) if isinstance(url, str) else None
    if code is None:
        yield reject(file, position, "post has no Instagram post URL (/p/<shortcode>/); cannot key it", raw)
        return
    problems: list[Reject] = []
    caption = raw.get("description", raw.get("caption"))
    if caption is not None and not isinstance(caption, str):
        problems.append(
            reject(file, f"{position}.description", "caption is not text (dropped, post kept)", caption)
        )
        caption = None
    caption = _str(caption)  # the crawler writes a missing caption as the text "None"
    posted_at = None
    date = raw.get("date")
    try:
        posted_at = values.plausible_post_date(values.to_datetime(date))
    except ValueError as e:
        problems.append(reject(file, f"{position}.date", f"date: {e} (dropped, post kept)", date))
    is_video = _bool(raw, ("isVideo",), file, position, problems)
    carousel = _bool(raw, ("multipleImage",), file, position, problems)
    views = _count(raw, ("numberViews", "views"), file, position, problems)
    place = raw.get("localization", raw.get("location"))
    location = place if isinstance(place, dict) else {}
    place = _str(location.get("location_name") or location.get("name")) if location else _str(place)
    location_id = _location_id(location)
    post = PostRecord(
        id=code,
        author=author,
        shortcode=code,
        url=f"https://www.instagram.com/p/{code}/",
        type="video" if is_video else "carousel" if carousel else "image",
        caption=caption or None,
        posted_at=posted_at,
        observed_at=observed_at,
        likes=_count(raw, ("numberLikes", "likes"), file, position, problems),
        comments=_count(raw, ("numberComments", "comments"), file, position, problems),
        views=views or None,  # 0 means "not captured" in this crawler's output
        language=text.detect_language(caption),
        hashtags=_tags(raw.get("tags"), text.normalise_hashtag) or text.extract_hashtags(caption),
        mentions=_tags(raw.get("mentions"), text.normalise_username) or text.extract_mentions(caption),
        location_id=location_id,
        location_name=place,
        location_slug=_location_slug(location) or (place.lower().replace(" ", "-") if place else None),
    )
    yield post
    yield from problems
    yield from _likers_and_commenters(raw, code, file, position)


def _location_id(location: dict[str, Any]) -> str | None:
    for key in ("location_id", "id"):
        value = location.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and value.strip().isdigit():
            return value.strip()
    m = re.search(r"/locations/(\d+)", str(location.get("location_url") or ""))
    return m.group(1) if m else None


def _location_slug(location: dict[str, Any]) -> str | None:
    m = re.search(r"/locations/\d+/([^/?#]+)", str(location.get("location_url") or ""))
    return m.group(1) if m else None


def _likers_and_commenters(raw: dict[str, Any], code: str, file: Path, position: str) -> Iterator[Record]:
    """``likes.list`` as LIKED edges; ``comments.list`` reported (the graph has no comments)."""
    likes = raw.get("likes")
    if isinstance(likes, dict):
        for name in _names(likes.get("list"), file, f"{position}.likes.list"):
            if isinstance(name, Reject):
                yield name
                continue
            yield UserRecord(id=name, username=name)
            yield LikeRecord(user=name, post=code)
    comments = raw.get("comments")
    listed = comments.get("list") if isinstance(comments, dict) else None
    if isinstance(listed, list) and listed:
        yield reject(
            file,
            f"{position}.comments.list",
            f"comments list not loaded: {len(listed)} comment(s) listed; the graph keeps the post's "
            "comment count, not comment texts or commenters",
            listed,
        )


def shortcode(url: str) -> str | None:
    """The post shortcode in an Instagram post URL (``/p/<code>/``), or None."""
    try:
        parsed = urlparse(url.strip())
    except ValueError:
        return None
    if parsed.netloc and "instagram.com" not in parsed.netloc.lower():
        return None
    m = _SHORTCODE_RE.search(parsed.path)
    return m.group(1) if m else None


def _tags(items: Any, normalise: Any) -> list[str]:
    if isinstance(items, str):
        items = items.replace("\u00a0", " ").replace(",", " ").split()
    if not isinstance(items, list):
        return []
    found = (normalise(t) for t in items if isinstance(t, str))
    return list(dict.fromkeys(t for t in found if t))


# --------------------------------------------------------------------------- crawl time


def _json_files(path: Path, stats: ParseStats | None = None) -> list[Path]:
    return input_files(path, (".json",), "not a profile file (*.json)", stats, recursive=True) or []


def _infer_crawl_time(files: list[Path]) -> datetime | None:
    """End of the day of the latest plausible post date in ``files`` (one cheap extra pass)."""
    latest: datetime | None = None
    for file in files:
        doc = _load(file)
        if not isinstance(doc, dict):
            continue
        own = _file_crawl_time(doc)
        if own is not None:
            candidate: datetime | None = own
        else:
            candidate = None
            posts = doc.get("posts")
            for post in posts if isinstance(posts, list) else []:
                if not isinstance(post, dict):
                    continue
                try:
                    dt = values.plausible_post_date(values.to_datetime(post.get("date")))
                except ValueError:
                    continue
                if dt is not None:
                    dt = dt + timedelta(days=1)
                    candidate = dt if candidate is None or dt > candidate else candidate
        if candidate is not None and (latest is None or candidate > latest):
            latest = candidate
    return latest


def _file_crawl_time(doc: dict[str, Any]) -> datetime | None:
    for key in _CRAWL_TIME_KEYS:
        try:
            when = values.to_datetime(doc.get(key))
        except ValueError:
            continue
        if when is not None:
            return when
    return None


# --------------------------------------------------------------------------- helpers


def _load(file: Path) -> Any:
    """The file's JSON document, or a Reject saying why it cannot be read."""
    try:
        data = read_bytes(file)
    except FileError as e:
        return reject(file, "file", str(e))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        return reject(file, "file", "empty file: nothing to load")
    body = data.decode("utf-8", errors="replace")
    try:
        return json.loads(body)
    except (json.JSONDecodeError, RecursionError) as e:
        msg = e.msg if isinstance(e, json.JSONDecodeError) else "nested too deeply"
        return reject(file, "file", f"not a JSON file ({msg}); re-crawl this profile", body)


def _count(
    obj: dict[str, Any], keys: tuple[str, ...], file: Path, position: str, problems: list[Reject]
) -> int | None:
    for key in keys:
        if key not in obj:
            continue
        value = obj[key]
        if isinstance(value, dict):  # newer crawler versions: {"count": n, "list": [...]}
            value = value.get("count")
        if value == -1 and not isinstance(value, bool):
            return None  # the crawler's "not captured" (its quick mode)
        try:
            return values.to_count(value)
        except ValueError as e:
            problems.append(reject(file, f"{position}.{key}", f"{key}: {e} (dropped, record kept)", value))
            return None
    return None


def _bool(
    obj: dict[str, Any], keys: tuple[str, ...], file: Path, position: str, problems: list[Reject]
) -> bool | None:
    for key in keys:
        if key not in obj:
            continue
        try:
            return values.to_bool(obj[key])
        except ValueError as e:
            problems.append(reject(file, f"{position}.{key}", f"{key}: {e} (dropped, record kept)", obj[key]))
            return None
    return None


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
