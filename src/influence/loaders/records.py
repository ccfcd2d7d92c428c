"""Typed records: what every parser yields and what :mod:`influence.ingest` writes.

A parser turns one input format into a stream of these records (pure: no database). Keys:

* ``UserRecord.id`` is the account's canonical key: the **lower-case username** for Instagram
  accounts (usernames are unique and case-insensitive, and they are the only identifier every
  source has: captions mention ``@name``, profilecrawl and CSV lists know only names). The
  platform's numeric id, where known, is ``platform_id``. For other follow graphs it is the
  node id used in the file.
* ``PostRecord.id`` is the Instagram **shortcode** (the ``/p/<code>/`` URL code, present in
  every Instagram source); a story item, which has no post URL, is ``story:<media_id>``; a
  post from another platform carries a prefix (``reddit:<id>``).

Everything is optional but the key: a parser fills what its format knows, and ingest writes
only non-null values (``coalesce``), so a sparse source never erases what a richer one loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class ScrapeRecord:
    """Provenance of one load: which tool wrote which files, when."""

    id: str
    source: str  # gallery-dl | instaloader | profilecrawl | csv | follows | sample
    tool: str | None = None
    tool_version: str | None = None
    started_at: datetime | None = None
    path: str | None = None


@dataclass(slots=True)
class UserRecord:
    id: str
    username: str | None = None
    platform_id: str | None = None
    full_name: str | None = None
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None
    verified: bool | None = None
    private: bool | None = None
    biography: str | None = None
    category: str | None = None
    language: str | None = None
    country: str | None = None
    # extra attributes kept as User properties (GraphML node attributes, CSV extras);
    # keys must be valid property names, values scalars
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class PostRecord:
    id: str
    author: str | None = None  # UserRecord.id of the owner
    # the owner's platform id when the source names no username (saved posts, hashtag pages):
    # ingest links the post to the User with that platformId when that profile is loaded
    owner_id: str | None = None
    shortcode: str | None = None
    media_id: str | None = None
    url: str | None = None
    type: str | None = None  # image | video | carousel | reel | story | text
    caption: str | None = None
    posted_at: datetime | None = None  # timezone-aware UTC
    observed_at: datetime | None = None  # when these counts were seen (the scrape time)
    likes: int | None = None
    comments: int | None = None
    views: int | None = None
    shares: int | None = None
    # an account's own Insights / Meta Business Suite figures (posts tables that carry them)
    impressions: int | None = None
    reach: int | None = None
    saves: int | None = None
    profile_visits: int | None = None
    follows: int | None = None
    carousel_size: int | None = None
    width: int | None = None
    height: int | None = None
    media_path: str | None = None  # the media file on disk, when present
    language: str | None = None
    hashtags: list[str] = field(default_factory=list)  # lower-case, no '#'
    mentions: list[str] = field(default_factory=list)  # UserRecord ids
    features: list[str] = field(default_factory=list)  # users tagged in the photo
    coauthors: list[str] = field(default_factory=list)
    location_id: str | None = None
    location_name: str | None = None
    location_slug: str | None = None
    country: str | None = None  # ISO code of the location's country when known


@dataclass(slots=True)
class FollowRecord:
    follower: str  # UserRecord.id
    followed: str
    weight: float | None = None


@dataclass(slots=True)
class LikeRecord:
    user: str  # UserRecord.id
    post: str  # PostRecord.id


@dataclass(slots=True)
class CommentRecord:
    """A comment a user wrote on a post: ``(User)-[:COMMENTED {id, text, at}]->(Post)``.

    ``id`` is the platform's comment id when known; ingest otherwise derives one from user,
    post, time and text, so loading the same comment again adds no duplicate.
    """

    user: str  # UserRecord.id
    post: str  # PostRecord.id
    text: str | None = None
    at: datetime | None = None
    id: str | None = None


@dataclass(slots=True)
class ObservationRecord:
    """Engagement of one post seen at one time (one row of a time series)."""

    post: str  # PostRecord.id
    at: datetime
    likes: int | None = None
    comments: int | None = None
    views: int | None = None
    shares: int | None = None


@dataclass(slots=True)
class Reject:
    """A record that could not be used, with why; ingest writes it to the rejects file."""

    source: str  # file path
    position: str  # line number, array index, JSON path … whatever locates it
    reason: str
    raw: Any = None  # the raw record (JSON-serialisable; bytes are decoded with replacement)


Record = (
    ScrapeRecord
    | UserRecord
    | PostRecord
    | FollowRecord
    | LikeRecord
    | CommentRecord
    | ObservationRecord
    | Reject
)
