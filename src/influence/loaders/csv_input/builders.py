"""Rows → records: one builder per kind (accounts, posts, follows, nodes, observations)."""

from __future__ import annotations

import hashlib
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from influence import text, values
from influence.loaders import cells as cells_mod
from influence.loaders.common import reject
from influence.loaders.csv_input.cleaning import country_code, fix_text, split_list, typed
from influence.loaders.csv_input.columns import Column, _Cells, _Profile
from influence.loaders.records import (
    CommentRecord,
    FollowRecord,
    LikeRecord,
    ObservationRecord,
    PostRecord,
    Record,
    Reject,
    UserRecord,
)

_SEEN_POSTS = 100_000


@dataclass(slots=True)
class _FileState:
    profile: _Profile = field(default_factory=lambda: _Profile())
    observed_at: datetime | None = None  # --observed-at, else the file's mtime (relative ages)
    seen_posts: OrderedDict[str, None] = field(default_factory=OrderedDict)

    def first_time(self, post: str) -> bool:
        if post in self.seen_posts:
            self.seen_posts.move_to_end(post)
            return False
        self.seen_posts[post] = None
        if len(self.seen_posts) > _SEEN_POSTS:
            self.seen_posts.popitem(last=False)
        return True


class _Values:
    """Typed access to one row's cells; bad optional values become Rejects (record kept)."""

    def __init__(self, cells: _Cells, file: Path, position: str, profile: _Profile | None = None) -> None:
        self.cells = cells
        self.file = file
        self.position = position
        self.profile = profile or _Profile()
        self.rejects: list[Reject] = []

    def _bad(self, name: str, value: Any, err: Exception) -> None:
        self.rejects.append(
            reject(self.file, f"{self.position} {name}", f"{name}: {err} (value dropped, record kept)", value)
        )

    def text(self, name: str) -> str | None:
        value = self.cells.fields.get(name)
        return fix_text(value) if value else None

    def count(self, name: str) -> int | None:
        value = self.cells.fields.get(name)
        if value is None:
            return None
        scale = self.cells.scales.get(name, 1)
        decimal = self.profile.decimal.get(name)
        if decimal is not None:
            number = cells_mod.parse_number(value, decimal)
            if number is not None and number >= 0:
                return round(number * scale)
        try:
            if scale != 1:
                number = float(value.replace(",", "").replace("\u00a0", "").replace(" ", ""))
                if not math.isfinite(number) or number < 0:
                    raise ValueError(f"not a count: {value!r}")
                return round(number * scale)
            return values.to_count(value)
        except (ValueError, OverflowError) as e:
            self._bad(name, value, e if isinstance(e, ValueError) else ValueError(f"not a count: {value!r}"))
            return None

    def number(self, name: str) -> float | None:
        value = self.cells.fields.get(name)
        if value is None:
            return None
        parsed = cells_mod.parse_number(value, self.profile.decimal.get(name, cells_mod.POINT))
        if parsed is None:
            self._bad(name, value, ValueError(f"not a number: {value!r}"))
            return None
        number = float(parsed)
        if not math.isfinite(number):
            self._bad(name, value, ValueError(f"not a finite number: {value!r}"))
            return None
        return number

    def boolean(self, name: str) -> bool | None:
        value = self.cells.fields.get(name)
        try:
            return values.to_bool(value)
        except ValueError as e:
            self._bad(name, value, e)
            return None

    def date(self, name: str) -> datetime | None:
        value = self.cells.fields.get(name)
        try:
            return values.to_datetime(
                value, order=self.profile.date_order.get(name), fmt=self.profile.date_format
            )
        except ValueError as e:
            self._bad(name, value, e)
            return None

    def names(self, name: str, normalise: Callable[[str], str | None]) -> list[str]:
        return split_list(self.cells.fields.get(name), normalise)


def _user_key(value: str | None) -> str | None:
    if value is None:
        return None
    return text.normalise_username(value)


def _accounts(
    cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState
) -> Iterator[Record]:
    raw = cells.fields
    everything = [c for c in (*raw.values(), *cells.extras.values()) if c]
    if len(everything) > 1 and len(set(everything)) == 1:
        yield reject(
            file, position, f"footer row ({everything[0]!r} in every column), not an account", everything
        )
        return
    v = _Values(cells, file, position, state.profile)
    key_cell = raw.get("username") or raw.get("id")
    key = _user_key(key_cell)
    if key is None:
        yield reject(
            file,
            position,
            f"not a username: {key_cell!r}" if key_cell else "no username/id in this row",
            {**raw, **cells.extras},
        )
        return
    country_cell = v.text("country")
    user = UserRecord(
        id=key,
        username=key if "username" in raw else None,
        platform_id=raw.get("platform_id") or (raw.get("id") if "username" in raw else None),
        full_name=v.text("full_name"),
        followers=v.count("followers"),
        following=v.count("following"),
        posts_count=v.count("posts_count"),
        verified=v.boolean("verified"),
        private=v.boolean("private"),
        biography=v.text("biography"),
        category=v.text("category"),
        language=(v.text("language") or "").lower() or None,
        country=country_code(country_cell) if country_cell else None,
    )
    _add_extras(user, cells, country_cell, v)
    yield user
    yield from v.rejects


def _add_extras(user: UserRecord, cells: _Cells, country_cell: str | None, v: _Values) -> None:
    """The row's unmapped columns (each typed as its whole column is, see
    :mod:`~influence.loaders.cells`) and the country as written into ``user.extra``; a cell that
    does not fit its column's type is dropped and reported."""
    for name, cell in cells.extras.items():
        kind = v.profile.extras.get(name)
        if kind is None:
            value = typed(cell)
            if value is not None:
                user.extra[name] = value
            continue
        try:
            user.extra[name] = kind.value(fix_text(cell))
        except ValueError as e:
            v._bad(name, cell, e)
    if country_cell:
        user.extra["country_name"] = country_cell


def _post_id(value: str | None, reddit: bool) -> str | None:
    if not value:
        return None
    value = value.strip()
    if reddit:
        value = value.removeprefix("t3_")
        return f"reddit:{value}" if re.fullmatch(r"[0-9a-z]{1,16}", value) else None
    if "/" in value:
        m = re.search(r"/(?:p|reel|tv)/([A-Za-z0-9_-]+)", value)
        return m.group(1) if m else None
    return value if re.fullmatch(r"[A-Za-z0-9_:.-]{1,128}", value) else None


def _reddit_type(link: str | None, is_self: bool | None) -> str | None:
    if is_self:
        return "text"
    if not link:
        return None
    try:
        parsed = urlparse(link)
    except ValueError:
        return "link"
    host, path = parsed.netloc.lower(), parsed.path.lower()
    if "/gallery/" in path:
        return "carousel"
    if host in ("i.redd.it", "i.imgur.com") or path.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp")):
        return "image"
    if host in ("v.redd.it", "streamable.com", "youtu.be", "www.youtube.com", "youtube.com") or path.endswith(
        (".mp4", ".gifv")
    ):
        return "video"
    return "link"


_TYPES = {
    "image": "image", "photo": "image", "graphimage": "image", "carousel": "carousel", "album": "carousel",
    "carousel_album": "carousel", "graphsidecar": "carousel", "sidecar": "carousel", "video": "video",
    "graphvideo": "video", "reel": "reel", "reels": "reel", "clips": "reel", "story": "story", "text": "text",
}  # fmt: skip


def _post_type(value: str | None) -> str | None:
    """A post type as the model names it: Meta's "IG image" / "IG carousel" / "IG reel",
    Graph API's CAROUSEL_ALBUM, GraphSidecar …; other values lower-cased as written."""
    if not value:
        return None
    lowered = value.strip().lower()
    key = re.sub(r"^(ig|instagram|fb|facebook)\s+", "", lowered).replace(" ", "_")
    return _TYPES.get(key, lowered or None)


#: Instagram's ``product_type`` (Apify's ``productType``) → the post type it makes.
_PRODUCT_TYPES = {"clips": "reel", "reels": "reel", "carousel_container": "carousel", "igtv": "video"}


def _post_from(v: _Values, key: str, reddit: bool, counts: bool) -> PostRecord:
    raw = v.cells.fields
    caption = v.text("caption")
    author = None
    if reddit and raw.get("subreddit"):
        author = f"reddit:r/{raw['subreddit'].strip().removeprefix('r/')}"
    elif raw.get("author"):
        author = _user_key(raw["author"])
        if author is None:
            v._bad("author", raw["author"], ValueError(f"not a username: {raw['author']!r}"))
    url = v.text("url")
    if reddit and url is None:
        url = f"https://www.reddit.com/comments/{key.removeprefix('reddit:')}/"
    post_type = _post_type(v.text("type"))
    product = _PRODUCT_TYPES.get((v.text("product_type") or "").strip().lower())
    if product is not None and (post_type in (None, "video", "image") or product == "reel"):
        post_type = product
    if reddit and post_type is None:
        post_type = _reddit_type(raw.get("link"), v.boolean("is_self"))
    language = (v.text("language") or "").lower() or None
    hashtags = v.names("hashtags", text.normalise_hashtag) or text.extract_hashtags(caption)
    mentions = v.names("mentions", text.normalise_username) or text.extract_mentions(caption)
    posted = _posted_at(v)
    post = PostRecord(
        id=key,
        author=author,
        shortcode=None if reddit or ":" in key else key,
        url=url,
        type=post_type,
        caption=caption,
        posted_at=posted if reddit else values.plausible_post_date(posted),
        language=language or text.detect_language(caption),
        hashtags=hashtags,
        mentions=mentions,
        features=v.names("features", text.normalise_username),
        coauthors=[c for c in v.names("coauthors", text.normalise_username) if c != author],
    )
    if counts:
        post.observed_at = v.date("observed_at")
        post.likes = v.count("likes")
        post.comments = v.count("comments")
        post.views = v.count("views")
        post.shares = v.count("shares")
        post.location_id = v.text("location_id")
        post.location_name = v.text("location_name")
        country = v.text("country")
        post.country = country_code(country) if country else None
    return post


def _posted_at(v: _Values) -> datetime | None:
    """``posted_at``, completed by a separate time-of-day column (``time``: twint, Excel's
    ``date`` + ``time``) when the date has no time of its own."""
    if "posted_at" not in v.cells.fields:
        return v.date("posted_time")  # a "time" column that holds whole dates
    posted = v.date("posted_at")
    clock = v.cells.fields.get("posted_time")
    if posted is None or clock is None or (posted.hour, posted.minute, posted.second) != (0, 0, 0):
        return posted
    try:
        return values.with_time_of_day(posted, clock)
    except ValueError as e:
        v._bad("posted_time", clock, e)
        return posted


#: Prefix of a post id made from the row's content (a table without a post id column).
CONTENT_ID_PREFIX = "content:"


def content_id(cells: Mapping[str, str]) -> str:
    """A stable post id from a row's content (its mapped cells, in field order): the same row
    gets the same id in every load, so reloading the table adds no duplicate."""
    body = "\x1f".join(
        f"{k}={cells[k]}" for k in sorted(cells) if k not in ("likes", "comments", "views", "shares")
    )
    return CONTENT_ID_PREFIX + hashlib.sha1(body.encode("utf-8")).hexdigest()[:20]


def _posts(
    cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState
) -> Iterator[Record]:
    raw = cells.fields
    reddit = any(c.field == "subreddit" for c in columns)
    has_id_column = any(c.field in ("id", "url") for c in columns)
    key = _post_id(raw.get("id"), reddit) or _post_id(raw.get("url"), reddit)
    media_id = None
    from_url = _post_id(raw.get("url"), reddit) if raw.get("url") and not reddit else None
    if key is not None and from_url and key != from_url and key.isdigit():
        # Meta Business Suite: "Post ID" is the numeric media id, the permalink has the shortcode
        key, media_id = from_url, key
    if key is None and not has_id_column:
        if (
            not raw.get("caption")
            and not raw.get("author")
            and not raw.get("posted_at")
            and not raw.get("age")
        ):
            yield reject(
                file,
                position,
                "no post id column and nothing to identify the post by (caption, author, date)",
                raw,
            )
            return
        key = content_id(raw)  # Kaggle / Insights tables have no post id
    if key is None:
        cell = raw.get("id") or raw.get("url")
        yield reject(
            file, position, f"not a post id or post URL: {cell!r}" if cell else "no post id in this row", raw
        )
        return
    v = _Values(cells, file, position, state.profile)
    post = _post_from(v, key, reddit, counts=True)
    post.media_id = media_id
    if key.startswith(CONTENT_ID_PREFIX):
        post.shortcode = None
    if raw.get("age"):
        seen = post.observed_at or state.observed_at
        try:
            age = values.to_age(raw["age"])
        except ValueError as e:
            v._bad("age", raw["age"], e)
        else:
            if seen is None:
                v._bad(
                    "age",
                    raw["age"],
                    ValueError("a relative age needs the observation time: give --observed-at"),
                )
            elif post.posted_at is None:
                post.posted_at = seen - age
                post.observed_at = seen
    followers = v.count("author_followers")
    if followers is not None and post.author is not None and not post.author.startswith("reddit:"):
        yield UserRecord(id=post.author, username=post.author, followers=followers)
    post.impressions = v.count("impressions")
    post.reach = v.count("reach")
    post.saves = v.count("saves")
    post.profile_visits = v.count("profile_visits")
    post.follows = v.count("follows")
    yield post
    yield from v.rejects


def _follows(
    cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState
) -> Iterator[Record]:
    raw = cells.fields
    follower, followed = node_id(raw.get("follower")), node_id(raw.get("followed"))
    if follower is None or followed is None:
        yield reject(file, position, "follow edge without a follower and a followed id", raw)
        return
    v = _Values(cells, file, position, state.profile)
    weight = v.number("weight")
    full_name, private, verified = v.text("full_name"), v.boolean("private"), v.boolean("verified")
    if full_name is not None or private is not None or verified is not None:  # the follower's profile
        yield UserRecord(id=follower, full_name=full_name, private=private, verified=verified)
    yield FollowRecord(follower=follower, followed=followed, weight=weight)
    # Gephi's edge table: a row of Type "Undirected" (or "Mutual", or directed=false) goes both ways
    kind = (raw.get("type") or "").strip().lower()
    if kind in ("undirected", "mutual", "false", "0", "no") and follower != followed:
        yield FollowRecord(follower=followed, followed=follower, weight=weight)
    yield from v.rejects


def _ends(raw: Mapping[str, Any], file: Path, position: str, what: str) -> tuple[str, str] | Reject:
    user, cell = node_id(raw.get("user")), raw.get("post")
    post = _post_id(cell, False)
    if user is None or post is None:
        missing = " and ".join(n for n, v in (("a user", user), ("a post", post)) if v is None)
        return reject(file, position, f"{what} without {missing}", raw)
    return user, post


def _likes(
    cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState
) -> Iterator[Record]:
    ends = _ends(cells.fields, file, position, "like")
    if isinstance(ends, Reject):
        yield ends
        return
    yield LikeRecord(user=ends[0], post=ends[1])


def _comments(
    cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState
) -> Iterator[Record]:
    ends = _ends(cells.fields, file, position, "comment")
    if isinstance(ends, Reject):
        yield ends
        return
    v = _Values(cells, file, position, state.profile)
    yield CommentRecord(user=ends[0], post=ends[1], text=v.text("text"), at=v.date("at"), id=v.text("id"))
    yield from v.rejects


def node_id(value: Any) -> str | None:
    """A follow-graph node id as written in the file, by the one user-key rule
    (:func:`~influence.text.user_key`: a profile link → its username, ``@`` stripped,
    lower case)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    ident = text.user_key(str(value))
    return ident if ident and len(ident) <= 256 and ident.isprintable() else None


def _nodes(
    cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState
) -> Iterator[Record]:
    raw = cells.fields
    key = node_id(raw.get("id"))
    if key is None:
        yield reject(file, position, "node without an id", {**raw, **cells.extras})
        return
    v = _Values(cells, file, position, state.profile)
    country_cell = v.text("country")
    user = UserRecord(
        id=key,
        username=v.text("username"),
        full_name=v.text("full_name"),
        followers=v.count("followers"),
        following=v.count("following"),
        verified=v.boolean("verified"),
        language=(v.text("language") or "").lower() or None,
        country=country_code(country_cell) if country_cell else None,
    )
    _add_extras(user, cells, country_cell, v)
    yield user
    yield from v.rejects


def _observations(
    cells: _Cells, columns: list[Column], file: Path, position: str, state: _FileState
) -> Iterator[Record]:
    raw = cells.fields
    reddit = any(c.field == "subreddit" for c in columns)
    key = _post_id(raw.get("post"), reddit)
    if key is None:
        cell = raw.get("post")
        yield reject(file, position, f"not a post id: {cell!r}" if cell else "no post id in this row", raw)
        return
    v = _Values(cells, file, position, state.profile)
    at = v.date("at")
    if at is None:
        v.rejects.clear()
        cell = raw.get("at")
        yield reject(
            file,
            position,
            f"observation without a usable time: {cell!r}" if cell else "observation without a time (at)",
            raw,
        )
        return
    if state.first_time(key):
        yield _post_from(v, key, reddit, counts=False)
    yield ObservationRecord(
        post=key,
        at=at,
        likes=v.count("likes"),
        comments=v.count("comments"),
        views=v.count("views"),
        shares=v.count("shares"),
    )
    yield from v.rejects


_BUILDERS: dict[str, Callable[[_Cells, list[Column], Path, str, _FileState], Iterator[Record]]] = {
    "accounts": _accounts,
    "posts": _posts,
    "follows": _follows,
    "likes": _likes,
    "comments": _comments,
    "nodes": _nodes,
    "observations": _observations,
}
