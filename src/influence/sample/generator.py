"""The accounts, follows and posts of a seeded synthetic Instagram scrape: what is planted (pure:
no I/O; :mod:`influence.sample.gallery_json` renders them in gallery-dl's files).

:func:`influence.sample.write.generate_sample` ``(out_dir, SampleParameters(...))`` writes::

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

import math
import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from influence.sample.model import (
    BOT_FACTOR,
    BOT_MIN,
    BOUGHT_FACTOR,
    BOUGHT_LATER_FACTOR,
    EFFECT_SCALE,
    HISTORY_DAYS,
    IG_EPOCH_MS,
    MIN_VISIBLE_AGE,
    NOISE_SIGMA,
    RECENT_HOURS,
    RECENT_SHARE,
    TAU_HOURS,
    VIRAL_AGE_HOURS,
    VIRAL_TAU_HOURS,
    Account,
    Bot,
    Community,
    Media,
    Post,
    SampleParameters,
    ascii_slug,
    scrape_times,
    shortcode_from_id,
)
from influence.sample.vocab import (
    GLOBAL_HASHTAGS,
    NEGATIVE_EMOJIS,
    POSITIVE_EMOJIS,
    THEMES,
    TRENDING_HASHTAGS,
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class _Caption:
    """A post's caption and the content drivers it carries."""

    caption: str
    cta: bool
    n_emoji: int
    tags: list[str]
    positive: bool


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
        r = rng.random()
        kind, n_items = ("reel", 1) if r < 0.2 else (("post", rng.randint(2, 5)) if r < 0.4 else ("post", 1))
        if viral:
            kind, n_items = "reel", 1
        text = self._caption(u, com, viral)
        location = rng.choice(com.locations) if rng.random() < 0.45 else None
        coauthors = [] if viral or rng.random() >= 0.03 else [self._pick_user(u, 0.9)]
        coauthors = [c for c in coauthors if c != u.index]
        post_pk = self._next_media_id(when)
        media = self._media(u, when, kind, n_items, post_pk)
        quality = media[0].quality if media[0].quality is not None else rng.betavariate(2.0, 2.0)
        effect = self._content_effect(com, when, text, kind, n_items, quality)
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
            caption=text.caption,
            location=location,
            coauthors=coauthors,
            media=media,
            final_likes=final,
            tau_hours=tau,
            viral=viral,
        )

    def _caption(self, u: Account, com: Community, viral: bool) -> _Caption:
        """A caption in the community's language: a sentence, emojis, maybe a call to action,
        mentions and hashtags (3 % of ordinary posts have none)."""
        rng = self.rng
        theme = com.theme
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
        return _Caption(caption, cta, n_emoji, tags, positive)

    def _media(self, u: Account, when: datetime, kind: str, n_items: int, post_pk: int) -> list[Media]:
        """The post's media items (a carousel has several); the first image of some posts gets a
        planted image quality (and a JPEG on disk)."""
        rng = self.rng
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
        return media

    def _content_effect(
        self, com: Community, when: datetime, text: _Caption, kind: str, n_items: int, quality: float
    ) -> float:
        """How much the post's content lifts its engagement (a factor around 1; no randomness)."""
        tags = text.tags
        # trending hashtags and hashtags that reach other communities widen the audience
        trending = sum(t in self.trending for t in tags)
        reach = len({self.tag_community[t] for t in tags if t in self.tag_community} - {com.index})
        local_hour = (when.hour + com.theme.utc_offset) % 24
        hour_effect = 0.2 if 17 <= local_hour <= 21 else (-0.25 if local_hour <= 5 else 0.0)
        return math.exp(
            EFFECT_SCALE
            * (
                0.25 * text.cta
                + 0.08 * min(text.n_emoji, 3)
                + (0.2 if text.positive else -0.2)
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

    def bought_at(self, u: Account, when: datetime) -> int:
        """Bought followers shown at ``when``: the first purchase, then more from the second scrape."""
        if not u.bought:
            return 0
        return u.bought if when <= self.times[0] else int(u.bought * BOUGHT_LATER_FACTOR)
