"""The gallery-dl files of the synthetic sample, rendered from its accounts and posts (pure: dicts
and bytes): profiles (``info.json``), post sidecars (``--write-metadata``), follower and following
dumps (``-j``) and small JPEGs whose look follows the planted image quality."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from influence.sample.model import (
    FIRST_SCRAPE,
    MIN_VISIBLE_AGE,
    TAG_RE,
    Account,
    Bot,
    Post,
    dump_bytes,
    format_date,
)

_IMAGE_SIZE = (64, 64)


def user_dict(u: Account, when: datetime, posts: list[Post], *, info: bool, bought: int) -> dict[str, Any]:
    """A profile as gallery-dl writes it (``info.json``, or the ``user`` of a sidecar), at ``when``;
    ``bought``: the bought followers shown then."""
    days = (when - FIRST_SCRAPE).total_seconds() / 86400.0
    boost = 1.0 + 0.002 * days
    if u.viral and posts and any(p.viral and p.taken_at <= when for p in posts):
        boost += 0.03 * max(0.0, days + 0.5)
    visible = sum(1 for p in posts if p.taken_at <= when - MIN_VISIBLE_AGE)
    pic = f"https://scontent.cdninstagram.com/v/t51.2885-19/{u.pk}_{u.index % 97}"
    d: dict[str, Any] = {
        "pk": u.pk,
        "id": u.pk,
        "username": u.username,
        "full_name": u.full_name,
        "biography": u.biography,
        "external_url": u.external_url,
        "is_private": False,
        "is_verified": u.verified,
        "is_business": u.business,
        "category": "instagram" if info else u.category,
        "follower_count": int((u.followers + bought) * boost),
        "following_count": u.following,
        "media_count": u.older_posts + visible,
        "friendship_status": {"following": False, "followed_by": False},
        "hd_profile_pic_url_info": {"url": pic + "_hd.jpg"},
        "profile_pic_url": pic + ".jpg",
        "count_media": 0,
        "count_video": 0,
        "count_saved": 0,
        "count_mutual": 0,
        "count_follow": 0,
        "count_followed": 0,
        "count_collection": 0,
    }
    if info:
        d["subcategory"] = "info"
    return d


def bot_dict(bot: Bot) -> dict[str, Any]:
    """A bot's profile (info.json): follows thousands, no posts, no followers to speak of."""
    pic = f"https://scontent.cdninstagram.com/v/t51.2885-19/{bot.pk}_0"
    return {
        "pk": bot.pk,
        "id": bot.pk,
        "username": bot.username,
        "full_name": bot.full_name,
        "biography": "",
        "external_url": None,
        "is_private": False,
        "is_verified": False,
        "is_business": False,
        "category": "instagram",
        "follower_count": int(bot.pk) % 40,
        "following_count": bot.following,
        "media_count": 0,
        "friendship_status": {"following": False, "followed_by": False},
        "hd_profile_pic_url_info": {"url": pic + "_hd.jpg"},
        "profile_pic_url": pic + ".jpg",
        "count_media": 0,
        "count_video": 0,
        "count_saved": 0,
        "count_mutual": 0,
        "count_follow": 0,
        "count_followed": 0,
        "count_collection": 0,
        "subcategory": "info",
    }


def _small(v: Account) -> dict[str, str]:
    return {"id": v.pk, "username": v.username, "full_name": v.full_name}


def sidecar(
    u: Account, post: Post, item: int, when: datetime, user: dict[str, Any], users: list[Account]
) -> dict[str, Any]:
    """The ``--write-metadata`` sidecar of one media item of ``post`` as scraped at ``when``
    (``user``: the author's profile dict; ``users``: every account, for co-authors and tags)."""
    m = post.media[item]
    carousel = len(post.media) > 1
    d: dict[str, Any] = {
        "post_id": post.post_id,
        "post_shortcode": post.shortcode,
        "likes": post.likes_at(when),
        "liked": False,
        "pinned": [u.pk] if post.pinned else [],
        "description": post.caption,
    }
    tags = sorted(set(TAG_RE.findall(post.caption)))
    if tags:
        d["tags"] = tags
    if post.location is not None:
        loc_id, name = post.location
        slug = name.replace(" ", "-").lower()
        d["location_id"] = loc_id
        d["location_name"] = name
        d["location_slug"] = slug
        d["location_url"] = f"https://www.instagram.com/explore/locations/{loc_id}/{slug}/"
    if post.coauthors:
        d["coauthors"] = [_small(users[c]) for c in post.coauthors]
    if carousel:
        d["sidecar_media_id"] = post.post_id
        d["sidecar_shortcode"] = post.shortcode
    date = format_date(post.taken_at)
    d["owner_id"] = u.pk
    d["username"] = u.username
    d["fullname"] = u.full_name
    d["post_date"] = date
    d["date"] = date
    d["type"] = post.kind
    d["post_url"] = f"https://www.instagram.com/{'reel' if post.kind == 'reel' else 'p'}/{post.shortcode}/"
    d["user"] = user
    d["count"] = len(post.media)
    d["category"] = "instagram"
    d["subcategory"] = "posts"
    d["num"] = item + 1
    d["media_id"] = m.media_id
    d["shortcode"] = m.shortcode
    base = f"https://scontent-{m.pop}.cdninstagram.com/v/t51.29350-15/"
    host = f"&_nc_ht=scontent-{m.pop}.cdninstagram.com"
    d["display_url"] = f"{base}{m.stem}{'_cover' if m.video else ''}.jpg?stp=dst-jpg_e35{host}"
    d["video_url"] = f"{base}{m.stem}.mp4?_nc_ht=scontent-{m.pop}.cdninstagram.com" if m.video else None
    d["width"] = m.width
    d["width_original"] = m.width
    d["height"] = m.height
    d["height_original"] = m.height
    d["tagged_users"] = [_small(users[t]) for t in m.tagged]
    d["filename"] = m.stem
    d["extension"] = "mp4" if m.video else "jpg"
    return d


def follow_dump(
    users: list[Account], all_bots: list[Bot], others: list[int], kind: str, bots: list[int] | None = None
) -> bytes:
    """A ``gallery-dl -j`` dump of the ``kind`` (followers / following) list: the accounts
    ``others`` (indexes into ``users``), then the bots ``bots`` (indexes into ``all_bots``)."""
    messages: list[Any] = []
    for i in others:
        v = users[i]
        entry = {
            "category": "instagram",
            "full_name": v.full_name,
            "has_anonymous_profile_picture": False,
            "id": v.pk,
            "is_private": False,
            "is_verified": v.verified,
            "latest_reel_media": 0,
            "pk": v.pk,
            "pk_id": v.pk,
            "profile_pic_id": f"{3_100_000_000_000_000_000 + i}_{v.pk}",
            "profile_pic_url": f"https://scontent.cdninstagram.com/v/t51.2885-19/{v.pk}_{i % 97}.jpg",
            "subcategory": kind,
            "username": v.username,
        }
        messages.append([6, f"https://www.instagram.com/{v.username}", entry])
    for b in bots or []:
        bot = all_bots[b]
        messages.append(
            [
                6,
                f"https://www.instagram.com/{bot.username}",
                {
                    "category": "instagram",
                    "full_name": bot.full_name,
                    "has_anonymous_profile_picture": True,
                    "id": bot.pk,
                    "is_private": False,
                    "is_verified": False,
                    "latest_reel_media": 0,
                    "pk": bot.pk,
                    "pk_id": bot.pk,
                    "profile_pic_id": f"0_{bot.pk}",
                    "profile_pic_url": f"https://scontent.cdninstagram.com/v/t51.2885-19/{bot.pk}_0.jpg",
                    "subcategory": kind,
                    "username": bot.username,
                },
            ]
        )
    return dump_bytes(messages)


def jpeg(quality: float, seed: int) -> bytes:
    """A small JPEG whose sharpness, brightness and colourfulness follow ``quality`` (0..1)."""
    from PIL import Image, ImageEnhance, ImageFilter, ImageOps

    extent = (-2.0 + (seed % 7) * 0.05, -1.2, 0.6, 1.2 - (seed % 5) * 0.05)
    gray = Image.effect_mandelbrot(_IMAGE_SIZE, extent, 40 + seed % 60)
    ramp = Image.linear_gradient("L").rotate(seed % 360).resize(_IMAGE_SIZE)
    gray = Image.blend(gray, ramp, 0.4)
    palettes = (
        ((20, 40, 90), (250, 200, 80)),
        ((90, 10, 30), (120, 240, 200)),
        ((10, 70, 20), (255, 140, 200)),
    )
    dark, light = palettes[seed % len(palettes)]
    img = ImageOps.colorize(gray, black=dark, white=light)
    img = ImageEnhance.Color(img).enhance(0.2 + 1.3 * quality)
    img = img.filter(ImageFilter.GaussianBlur(radius=3.0 * (1.0 - quality)))
    img = ImageEnhance.Brightness(img).enhance(0.35 + 0.9 * quality)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=85)
    return buf.getvalue()
