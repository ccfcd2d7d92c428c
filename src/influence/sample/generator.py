"""A seeded synthetic Instagram scrape in exactly the files gallery-dl writes (pure: files only).

``generate_sample(out_dir, SampleParameters(...))`` writes::

    out_dir/
      ground_truth.json     what was planted (communities, influencers, viral posts, counts)
      README.txt            says the data is synthetic and what was planted
      2024-06-03T093000/    one folder per scrape (the gallery-dl parser reads the observation
        instagram/<user>/     time from this name), each like `gallery-dl -d <folder>` writes:
          info.json                         --write-info-json of /USER/ with include=info,posts
          <media_id>.jpg.json               --write-metadata sidecar of an image post
          <post_id>_<media_id>.jpg.json     one sidecar per carousel item (.mp4.json for videos)
          <media_id>.mp4.json               a reel
          <media_id>.jpg                    a small real JPEG for some posts (first scrape only)
          <user>.followers.json             `gallery-dl -j .../USER/followers/` (first scrape)
          <user>.following.json             `gallery-dl -j .../USER/following/` (a few users)

Sidecars are scraped "via the profile URL": they carry the embedded ``user`` dict and
``subcategory: "posts"``. Key order, date strings (``"YYYY-MM-DD HH:MM:SS"`` UTC), ``indent=4``
and ``ensure_ascii=False`` are those of gallery-dl 1.32.18; ``-j`` dumps are ``indent=2``,
sorted keys, ASCII-escaped (``reference/scraper-formats/README.md``).

What is planted (the model a test or demo can recover):

* ``communities`` groups of accounts; each has a language (captions from that language's
  word lists), a topic with its hashtag vocabulary, a country with places (post locations)
  and a time zone. Members follow each other with probability ``p_in`` per follow
  (``p_in`` ≫ share of outsiders) and mention / photo-tag / co-author mostly inside;
* ``influencers_per_community`` influencers per community: very high follower counts,
  verified, and followed by most members (``influencer_follow_p``);
* follower counts log-normal (heavy-tailed); engagement = followers × engagement rate (falling
  with size) × content effect (call to action, emojis, sentiment, reel/carousel, local posting
  hour, hashtag count, image quality, trending hashtags — about 12 % of ordinary posts use
  some — and hashtags of other communities) × log-normal noise; likes grow between scrapes as
  ``final · (1 − exp(−age/τ))`` (τ ≈ 40 h);
* an observable timeline: :data:`RECENT_SHARE` of the posts are published in the
  :data:`RECENT_HOURS` before a scrape (other than the last), so their early engagement is
  observed and their velocity can be labelled (criteria key ``max_first_observation_hours``);
  the rest are spread over :data:`HISTORY_DAYS` days of history, seen long after posting;
* ``viral_posts`` viral posts by ordinary members, spread evenly over 1–21 h before the first
  scrape (so a time-ordered split puts some in training and some in the test period): 12–30×
  the author's usual engagement, gathered faster (τ 8 h), reels with trending hashtags plus
  the hashtags of three other communities — the same drivers that lift ordinary posts a little.
* ``bought_audiences`` (``--bought-audiences``, default 0) ordinary accounts with a bought
  audience, drawn by a random stream of their own: :data:`~.model.BOUGHT_FACTOR` × their genuine
  followers added to ``follower_count`` (likes still follow the genuine followers, so the
  engagement rate falls far below the follower tier), × :data:`~.model.BOUGHT_LATER_FACTOR` from
  the second scrape on (a follower-count jump), and bots in their follower lists
  (:data:`~.model.BOT_FACTOR` × their genuine followers, from one shared pool): half of the bots
  have a profile folder (following 2,000–7,500 accounts, no posts), half are never seen as
  accounts. ``ground_truth.json`` lists them under ``bought_audiences`` and ``bots``; the audience
  quality score (``influence audience quality``) should rank them lowest.

Deterministic: the same parameters give byte-identical files (a fixed epoch, no clock, one
seeded :class:`random.Random`). Streaming: one account's posts are held at a time; memory is
O(users + follow edges), time O(users · posts + edges · log users).
"""

from __future__ import annotations

import io
import json
import math
import random
import re
import shutil
from bisect import bisect_right
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from influence.errors import InputError
from influence.sample.model import (
    BOT_FACTOR,
    BOT_MIN,
    BOUGHT_FACTOR,
    BOUGHT_LATER_FACTOR,
    EFFECT_SCALE,
    FIRST_SCRAPE,
    HISTORY_DAYS,
    IG_EPOCH_MS,
    MIN_VISIBLE_AGE,
    NOISE_SIGMA,
    RECENT_HOURS,
    RECENT_SHARE,
    TAG_RE,
    TAU_HOURS,
    VIRAL_AGE_HOURS,
    VIRAL_TAU_HOURS,
    Account,
    Bot,
    Community,
    Media,
    Post,
    SampleParameters,
    SampleSummary,
    ascii_slug,
    dump_bytes,
    folder_name,
    format_date,
    scrape_times,
    shortcode_from_id,
    sidecar_bytes,
)
from influence.sample.truth import ground_truth, readme_text
from influence.sample.vocab import (
    GLOBAL_HASHTAGS,
    NEGATIVE_EMOJIS,
    POSITIVE_EMOJIS,
    THEMES,
    TRENDING_HASHTAGS,
)

_IMAGE_SIZE = (64, 64)

Progress = Callable[[str], None]


class Generator:
    def __init__(self, params: SampleParameters) -> None:
        self.p = params
        self.rng = random.Random(f"influence-sample:{params.seed}")
        self.times = scrape_times(params.scrapes)
        self.communities: list[Community] = []
        self.users: list[Account] = []
        self.following: list[list[int]] = []  # out-edges per user
        self.followers_of: list[list[int]] = []
        self.cum_all: list[float] = []
        self._media_counter = 0
        self.trending = set(TRENDING_HASHTAGS)
        self.tag_community: dict[str, int] = {}
        self.images_written = 0
        self.bots: list[Bot] = []

    # ----------------------------------------------------------------- accounts
    def build_communities(self) -> None:
        rng = self.rng
        for c in range(self.p.communities):
            theme = THEMES[c % len(THEMES)]
            rnd = c // len(THEMES)
            suffix = str(rnd + 1) if rnd else ""
            tags = tuple(t + suffix for t in theme.hashtags)
            locs = [(str(rng.randrange(100_000_000, 999_999_999)), name) for name in theme.places]
            self.communities.append(Community(c, theme, tags, locs))
            for t in tags:
                self.tag_community.setdefault(t, c)

    def build_users(self) -> None:
        rng, p = self.rng, self.p
        k = p.communities
        weights = list(accumulate(1.0 + 0.8 * ((c * 7) % k) / k for c in range(k)))
        taken_names: set[str] = set()
        taken_pks: set[str] = set()
        for i in range(p.users):
            c = i if i < k else bisect_right(weights, rng.random() * weights[-1])
            theme = self.communities[c].theme
            first, last = rng.choice(theme.first_names), rng.choice(theme.last_names)
            username = self._username(first, last, theme.topic, taken_names)
            pk = str(rng.randrange(10**9, 7 * 10**10))
            while pk in taken_pks:
                pk = str(rng.randrange(10**9, 7 * 10**10))
            taken_pks.add(pk)
            followers = int(rng.lognormvariate(7.2, 1.5))
            n_posts = max(
                1,
                min(
                    int(4 * p.posts_per_user) + 1,
                    round(rng.lognormvariate(math.log(p.posts_per_user) - 0.125, 0.5)),
                ),
            )
            business = rng.random() < 0.3
            user = Account(
                index=i,
                pk=pk,
                username=username,
                full_name=f"{first} {last}",
                community=c,
                followers=followers,
                following=int(rng.lognormvariate(6.0, 0.8)) + 10,
                older_posts=int(rng.lognormvariate(4.5, 1.0)),
                n_posts=n_posts,
                biography=rng.choice(theme.bios) + f" #{self.communities[c].hashtags[0]}",
                category=rng.choice(theme.categories),
                external_url=f"https://{ascii_slug(username)}.example.org" if rng.random() < 0.4 else None,
                business=business,
            )
            user.verified = followers > 500_000
            user.pin = rng.random() < 0.05
            self.users.append(user)
            self.communities[c].members.append(i)
        for com in self.communities:
            n_inf = (
                min(p.influencers_per_community, max(1, len(com.members) // 8))
                if p.influencers_per_community
                else 0
            )
            com.influencers = sorted(rng.sample(com.members, n_inf))
            for i in com.influencers:
                u = self.users[i]
                u.influencer = True
                u.verified = True
                u.followers = int(rng.lognormvariate(13.0, 0.6))
                u.n_posts = max(u.n_posts, round(p.posts_per_user * 1.5))
                u.older_posts = int(rng.lognormvariate(7.0, 0.5))
        for com in self.communities:
            com.cum_weights = list(accumulate(self.users[i].followers ** 0.5 for i in com.members))
        self.cum_all = list(accumulate(u.followers**0.5 for u in self.users))
        self._plant_viral()

    def _username(self, first: str, last: str, topic: str, taken: set[str]) -> str:
        rng = self.rng
        f, la = ascii_slug(first), ascii_slug(last)
        pattern = rng.randrange(5)
        base = (
            f"{f}.{la}",
            f"{f}_{la}",
            f"{f}{la}{rng.randrange(10, 99)}",
            f"{f}.{topic}",
            f"the{topic}{f}",
        )[pattern]
        name = base
        while name in taken or len(name) > 30:
            name = f"{base[:24]}{rng.randrange(100, 99999)}"
        taken.add(name)
        return name

    def _plant_viral(self) -> None:
        rng = self.rng
        by_community: list[list[int]] = [
            [i for i in com.members if not self.users[i].influencer] for com in self.communities
        ]
        for members in by_community:
            rng.shuffle(members)
        chosen: list[int] = []
        want = self.p.n_viral
        while len(chosen) < want and any(by_community):
            for members in by_community:
                if members and len(chosen) < want:
                    chosen.append(members.pop())
        for slot, i in enumerate(chosen):
            u = self.users[i]
            u.viral = True
            u.viral_slot = slot
            u.n_posts = max(u.n_posts, 5)  # a baseline of ordinary posts to compare with

    # ----------------------------------------------------------------- follow graph
    def build_follows(self) -> None:
        rng, p = self.rng, self.p
        n = len(self.users)
        self.followers_of = [[] for _ in range(n)]
        for u in self.users:
            com = self.communities[u.community]
            chosen: dict[int, None] = {}
            for inf in com.influencers:
                if inf != u.index and rng.random() < p.influencer_follow_p:
                    chosen[inf] = None
            degree = min(n - 1, max(1, round(rng.lognormvariate(math.log(p.mean_follows) - 0.18, 0.6))))
            target = len(chosen) + degree
            attempts = 0
            while len(chosen) < target and attempts < 6 * degree + 10:
                attempts += 1
                if rng.random() < p.p_in:
                    w = com.cum_weights
                    v = com.members[bisect_right(w, rng.random() * w[-1])]
                else:
                    v = bisect_right(self.cum_all, rng.random() * self.cum_all[-1])
                    if self.users[v].community == u.community and p.communities > 1:
                        continue
                if v != u.index:
                    chosen[v] = None
            out = list(chosen)
            self.following.append(out)
            for v in out:
                self.followers_of[v].append(u.index)
            u.following = max(u.following, len(out))

    def plant_bought(self) -> None:
        """Give ``bought_audiences`` ordinary accounts bot followers and inflated follower counts.

        Uses its own random stream, so a sample without bought audiences is byte-identical to
        one written before they existed.
        """
        if not self.p.bought_audiences:
            return
        rng = random.Random(f"influence-sample-bought:{self.p.seed}")
        ordinary = [u for u in self.users if not (u.influencer or u.viral) and self.followers_of[u.index]]
        by_community: list[list[Account]] = [
            [u for u in ordinary if u.community == c.index] for c in self.communities
        ]
        for members in by_community:
            rng.shuffle(members)
        chosen: list[Account] = []
        while len(chosen) < self.p.bought_audiences and any(by_community):
            for members in by_community:
                if members and len(chosen) < self.p.bought_audiences:
                    chosen.append(members.pop())
        wants = [max(BOT_MIN, round(BOT_FACTOR * len(self.followers_of[u.index]))) for u in chosen]
        pool = round(1.3 * max(wants, default=0))
        taken = {u.username for u in self.users}
        while len(self.bots) < pool:
            first = rng.choice(THEMES[len(self.bots) % len(THEMES)].first_names)
            name = f"{ascii_slug(first)}{rng.choice(('_', '.', ''))}{rng.randrange(1000, 99_999_999)}"
            if name in taken or len(name) > 30:
                continue
            taken.add(name)
            self.bots.append(
                Bot(
                    pk=str(rng.randrange(7 * 10**10, 9 * 10**10)),
                    username=name,
                    full_name="",
                    following=rng.randrange(2_000, 7_500),
                    profiled=len(self.bots) % 2 == 0,
                )
            )
        for u, want in zip(chosen, wants, strict=True):
            u.bought = int(u.followers * rng.uniform(*BOUGHT_FACTOR))
            u.bots = sorted(rng.sample(range(len(self.bots)), want))

    # ----------------------------------------------------------------- posts
    def _next_media_id(self, when: datetime) -> int:
        self._media_counter += 1
        ms = int(when.timestamp() * 1000) - IG_EPOCH_MS
        return (ms << 23) | (self._media_counter % (1 << 23))

    def _pick_user(self, u: Account, inside: float) -> int:
        rng = self.rng
        com = self.communities[u.community]
        if rng.random() < inside or self.p.communities == 1:
            pool = com.influencers if com.influencers and rng.random() < 0.3 else com.members
            v = rng.choice(pool)
        else:
            v = rng.randrange(len(self.users))
        return v

    def posts_of(self, u: Account) -> list[Post]:
        rng = self.rng
        com = self.communities[u.community]
        theme = com.theme
        end = self.times[-1] - timedelta(hours=1)
        start = self.times[0] - timedelta(days=HISTORY_DAYS)
        span_days = (end - start).total_seconds() / 86400.0
        anchors = self.times[:-1] or self.times
        taken: list[datetime] = []
        for _ in range(u.n_posts):
            recent = rng.random() < RECENT_SHARE
            anchor = rng.choice(anchors)
            when = None
            for _attempt in range(8):  # people post in the evening, local time
                local_hour = min(23, max(0, int(rng.gauss(18.0, 4.0))))
                if recent:
                    day = anchor.replace(hour=0, minute=0, second=0) - timedelta(days=rng.randrange(3))
                else:
                    day = start.replace(hour=0, minute=0, second=0) + timedelta(
                        days=int(rng.random() * span_days)
                    )
                when = day + timedelta(
                    hours=local_hour - theme.utc_offset, minutes=rng.randrange(60), seconds=rng.randrange(60)
                )
                if not recent or anchor - timedelta(hours=RECENT_HOURS) < when <= anchor - MIN_VISIBLE_AGE:
                    break
            else:
                when = anchor - timedelta(
                    hours=rng.uniform(MIN_VISIBLE_AGE.total_seconds() / 3600, RECENT_HOURS)
                )
            taken.append(min(max(when, start), end))
        if u.viral:
            lo, hi = VIRAL_AGE_HOURS
            share = (u.viral_slot + rng.random()) / max(1, self.p.n_viral)
            taken[0] = self.times[0] - timedelta(hours=hi - (hi - lo) * share)
        posts = []
        for j, when in enumerate(taken):
            posts.append(self._post(u, com, when, viral=u.viral and j == 0))
        posts.sort(key=lambda post: post.taken_at, reverse=True)
        if u.pin:
            max((p for p in posts if not p.viral), key=lambda p: p.final_likes).pinned = True
        return posts

    def _post(self, u: Account, com: Community, when: datetime, *, viral: bool) -> Post:
        rng = self.rng
        theme = com.theme
        r = rng.random()
        kind, n_items = ("reel", 1) if r < 0.2 else (("post", rng.randint(2, 5)) if r < 0.4 else ("post", 1))
        if viral:
            kind, n_items = "reel", 1
        positive = rng.random() < 0.85
        adj = rng.choice(theme.positive if positive else theme.negative)
        sentence = rng.choice(theme.templates).format(
            adj=adj, noun=rng.choice(theme.nouns), place=rng.choice(theme.places)
        )
        n_emoji = rng.choice((0, 0, 1, 1, 2, 3))
        emojis = "".join(rng.choice(POSITIVE_EMOJIS if positive else NEGATIVE_EMOJIS) for _ in range(n_emoji))
        cta = rng.random() < 0.3
        mentions = [self._pick_user(u, 0.85) for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))]
        mentions = [m for m in dict.fromkeys(mentions) if m != u.index]
        tags = self._hashtags(com, viral)
        lines = [sentence + (" " + emojis if emojis else "")]
        if cta:
            lines.append(rng.choice(theme.calls_to_action))
        if mentions:
            lines.append("📸 " + " ".join("@" + self.users[m].username for m in mentions))
        if tags:
            lines.append("")
            lines.append(" ".join("#" + t for t in tags))
        caption = "" if (not viral and rng.random() < 0.03) else "\n".join(lines)
        if not caption:
            cta, n_emoji, tags, positive = False, 0, [], True
        location = rng.choice(com.locations) if rng.random() < 0.45 else None
        coauthors = [] if viral or rng.random() >= 0.03 else [self._pick_user(u, 0.9)]
        coauthors = [c for c in coauthors if c != u.index]
        post_pk = self._next_media_id(when)
        media: list[Media] = []
        for k in range(n_items):
            video = kind == "reel" or (n_items > 1 and rng.random() < 0.15)
            mid = post_pk if n_items == 1 else self._next_media_id(when)
            if video:
                w, h = (1080, 1920) if kind == "reel" else (720, 1280)
            else:
                w, h = rng.choice(((1080, 1350), (1080, 1080), (1080, 566)))
            tagged = [self._pick_user(u, 0.85) for _ in range(rng.choice((0, 0, 0, 1, 2)))]
            tagged = [t for t in dict.fromkeys(tagged) if t != u.index]
            stem = f"{rng.randrange(10**8, 10**9)}_{rng.randrange(10**15, 10**16)}_{rng.randrange(10**18, 10**19)}_n"
            pop = rng.choice(("fra5-1", "fra3-2", "mad1-1", "cdg4-3", "mxp2-1", "gru2-1", "lga3-1"))
            media.append(Media(str(mid), shortcode_from_id(mid), video, w, h, stem, pop, tagged))
            if (
                k == 0
                and not video
                and self.images_written < self.p.images
                and rng.random() < self.p.image_fraction
            ):
                media[-1].quality = rng.betavariate(2.0, 2.0)
                self.images_written += 1
        quality = media[0].quality if media[0].quality is not None else rng.betavariate(2.0, 2.0)
        # trending hashtags and hashtags that reach other communities widen the audience
        trending = sum(t in self.trending for t in tags)
        reach = len({self.tag_community[t] for t in tags if t in self.tag_community} - {com.index})
        local_hour = (when.hour + theme.utc_offset) % 24
        hour_effect = 0.2 if 17 <= local_hour <= 21 else (-0.25 if local_hour <= 5 else 0.0)
        effect = math.exp(
            EFFECT_SCALE
            * (
                0.25 * cta
                + 0.08 * min(n_emoji, 3)
                + (0.2 if positive else -0.2)
                + (0.3 if kind == "reel" else 0.0)
                + (0.15 if n_items > 1 else 0.0)
                + hour_effect
                + 0.04 * min(len(tags), 8)
                - 0.03 * max(0, len(tags) - 8)
                + 0.5 * (quality - 0.5)
                + 0.3 * min(trending, 2)
                + 0.12 * min(reach, 3)
            )
        )
        rate = min(0.25, max(0.004, 0.05 * (max(u.followers, 50) / 10_000) ** -0.15))
        final = max(1.0, u.followers * rate * effect * rng.lognormvariate(0.0, NOISE_SIGMA))
        tau = TAU_HOURS * rng.lognormvariate(0.0, 0.25)
        if viral:
            final *= rng.uniform(12.0, 30.0)
            tau = VIRAL_TAU_HOURS
        return Post(
            post_id=str(post_pk),
            shortcode=shortcode_from_id(post_pk),
            kind=kind,
            taken_at=when,
            caption=caption,
            location=location,
            coauthors=coauthors,
            media=media,
            final_likes=final,
            tau_hours=tau,
            viral=viral,
        )

    def _hashtags(self, com: Community, viral: bool) -> list[str]:
        rng = self.rng
        if viral:
            others = [c for c in self.communities if c.index != com.index]
            picked = rng.sample(others, min(3, len(others)))
            tags = rng.sample(TRENDING_HASHTAGS, 2) + rng.sample(com.hashtags, 2)
            for other in picked:
                tags += rng.sample(other.hashtags, 2)
            return list(dict.fromkeys(tags))
        n = rng.choice((0, 1, 2, 3, 3, 4, 5, 5, 6, 8, 10, 12))
        tags = []
        if n and rng.random() < 0.12:  # ordinary posts ride trends too (and gain from it)
            tags += rng.sample(TRENDING_HASHTAGS, rng.choice((1, 1, 2)))
        for _ in range(n):
            r = rng.random()
            if r < 0.72:
                tags.append(rng.choice(com.hashtags))
            elif r < 0.92:
                tags.append(rng.choice(GLOBAL_HASHTAGS))
            else:
                tags.append(rng.choice(rng.choice(self.communities).hashtags))
        return list(dict.fromkeys(tags))

    # ----------------------------------------------------------------- JSON
    def user_dict(self, u: Account, when: datetime, posts: list[Post], *, info: bool) -> dict[str, Any]:
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
            "follower_count": int((u.followers + self.bought_at(u, when)) * boost),
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

    def bought_at(self, u: Account, when: datetime) -> int:
        """Bought followers shown at ``when``: the first purchase, then more from the second scrape."""
        if not u.bought:
            return 0
        return u.bought if when <= self.times[0] else int(u.bought * BOUGHT_LATER_FACTOR)

    def bot_dict(self, bot: Bot) -> dict[str, Any]:
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

    def _small(self, i: int) -> dict[str, str]:
        v = self.users[i]
        return {"id": v.pk, "username": v.username, "full_name": v.full_name}

    def sidecar(
        self, u: Account, post: Post, item: int, when: datetime, user: dict[str, Any]
    ) -> dict[str, Any]:
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
            d["coauthors"] = [self._small(c) for c in post.coauthors]
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
        d["post_url"] = (
            f"https://www.instagram.com/{'reel' if post.kind == 'reel' else 'p'}/{post.shortcode}/"
        )
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
        d["tagged_users"] = [self._small(t) for t in m.tagged]
        d["filename"] = m.stem
        d["extension"] = "mp4" if m.video else "jpg"
        return d

    def follow_dump(self, others: list[int], kind: str, bots: list[int] | None = None) -> bytes:
        messages: list[Any] = []
        for i in others:
            v = self.users[i]
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
            bot = self.bots[b]
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


def _jpeg(quality: float, seed: int) -> bytes:
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


# --------------------------------------------------------------------------- writing


class _Writer:
    def __init__(self) -> None:
        self.files = 0
        self.bytes = 0

    def write(self, path: Path, data: bytes) -> None:
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)


def _prepare(out_dir: Path, overwrite: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} is a file — give a folder for the sample")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        truth = out_dir / "ground_truth.json"
        synthetic = False
        if truth.is_file():
            try:
                synthetic = json.loads(truth.read_text(encoding="utf-8")).get("synthetic") is True
            except (OSError, ValueError, AttributeError):
                synthetic = False
        if not (overwrite and synthetic):
            hint = " — pass --force to replace it" if synthetic else " and is not a previous sample"
            raise InputError(f"{out_dir} is not empty{hint}; or choose a new folder")
        for child in out_dir.iterdir():
            if child.is_dir() and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{6}", child.name):
                shutil.rmtree(child)
        for name in ("ground_truth.json", "README.txt"):
            (out_dir / name).unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)


def generate_sample(  # noqa: C901 — split by issue 21's tidy-up
    out_dir: Path | str,
    params: SampleParameters | None = None,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> SampleSummary:
    """Write a synthetic gallery-dl scrape with planted structure into ``out_dir``.

    ``out_dir`` must be empty or missing; with ``overwrite`` a previous sample there (it has a
    ``ground_truth.json`` saying ``"synthetic": true``) is replaced. Raises
    :class:`ConfigError` for bad parameters and :class:`InputError` for an unusable folder.
    """
    params = params or SampleParameters()
    params.validate()
    out = Path(out_dir)
    _prepare(out, overwrite)
    report = progress or (lambda _message: None)
    gen = Generator(params)
    gen.build_communities()
    gen.build_users()
    gen.build_follows()
    gen.plant_bought()
    report(
        f"sample: {len(gen.users)} accounts in {len(gen.communities)} communities, "
        f"{sum(len(f) for f in gen.following)} follows"
    )

    writer = _Writer()
    folders = [folder_name(t) for t in gen.times]
    with_following = {com.members[0] for com in gen.communities if com.members}
    n_posts = observations = sidecars = follow_files = 0
    viral: list[dict[str, Any]] = []
    step = max(1, len(gen.users) // 10)
    for u in gen.users:
        posts = gen.posts_of(u)
        n_posts += len(posts)
        imaged: set[str] = set()
        for s, when in enumerate(gen.times):
            folder = out / folders[s] / "instagram" / u.username
            folder.mkdir(parents=True, exist_ok=True)
            writer.write(folder / "info.json", sidecar_bytes(gen.user_dict(u, when, posts, info=True)))
            user = gen.user_dict(u, when, posts, info=False)
            for post in posts:
                if post.taken_at > when - MIN_VISIBLE_AGE:
                    continue
                observations += 1
                for item, m in enumerate(post.media):
                    ext = "mp4" if m.video else "jpg"
                    stem = f"{post.post_id}_{m.media_id}" if len(post.media) > 1 else m.media_id
                    writer.write(
                        folder / f"{stem}.{ext}.json", sidecar_bytes(gen.sidecar(u, post, item, when, user))
                    )
                    sidecars += 1
                    if m.quality is not None and m.media_id not in imaged:
                        imaged.add(m.media_id)
                        writer.write(folder / f"{stem}.{ext}", _jpeg(m.quality, int(m.media_id) % 100_003))
            if s == 0:
                if gen.followers_of[u.index]:
                    writer.write(
                        folder / f"{u.username}.followers.json",
                        gen.follow_dump(gen.followers_of[u.index], "followers", u.bots),
                    )
                    follow_files += 1
                if u.index in with_following and gen.following[u.index]:
                    writer.write(
                        folder / f"{u.username}.following.json",
                        gen.follow_dump(gen.following[u.index], "following"),
                    )
                    follow_files += 1
        for post in posts:
            if post.viral:
                viral.append(
                    {
                        "shortcode": post.shortcode,
                        "post_id": post.post_id,
                        "author": u.username,
                        "community": u.community,
                        "posted_at": format_date(post.taken_at),
                        "hashtags": [
                            t.lower().lstrip("#") for t in sorted(set(TAG_RE.findall(post.caption)))
                        ],
                        "final_likes": int(post.final_likes),
                    }
                )
        if (u.index + 1) % step == 0:
            report(f"sample: {u.index + 1}/{len(gen.users)} accounts written")

    for bot in gen.bots:
        if bot.profiled:  # a profile scraped alongside (an audit of the followers): no posts
            for s, _when in enumerate(gen.times):
                folder = out / folders[s] / "instagram" / bot.username
                folder.mkdir(parents=True, exist_ok=True)
                writer.write(folder / "info.json", sidecar_bytes(gen.bot_dict(bot)))
    follows = sum(len(f) for f in gen.following) + sum(len(u.bots) for u in gen.users)
    summary = SampleSummary(
        out_dir=str(out),
        scrapes=folders,
        users=len(gen.users),
        communities=len(gen.communities),
        influencers=sum(len(c.influencers) for c in gen.communities),
        posts=n_posts,
        viral_posts=len(viral),
        observations=observations,
        sidecars=sidecars,
        follows=follows,
        follow_files=follow_files,
        images=gen.images_written,
        files=0,
        bytes=0,
        bought_audiences=sum(1 for u in gen.users if u.bought),
        bots=len(gen.bots),
    )
    truth = ground_truth(gen, params, folders, viral, summary)
    writer.write(out / "ground_truth.json", sidecar_bytes(truth))
    writer.write(out / "README.txt", readme_text(gen, params, folders, summary).encode("utf-8"))
    summary.files = writer.files
    summary.bytes = writer.bytes
    return summary
