"""The synthetic sample's parameters, constants and in-memory model (accounts, posts, media).

Shared by :mod:`influence.sample.generator` (which builds them), :mod:`influence.sample.write` (which
writes them, through :mod:`influence.sample.gallery_json`) and
:mod:`influence.sample.truth` (which records what was planted). Pure: no I/O.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from influence.errors import ConfigError
from influence.sample.vocab import Theme

#: The first scrape of every sample (no clock is read, so runs are byte-identical).
FIRST_SCRAPE = datetime(2024, 6, 3, 9, 30, 0, tzinfo=UTC)
#: Hours between scrapes: 6 h, then 48 h, then a week for each further scrape.
SCRAPE_GAPS_HOURS: tuple[int, ...] = (6, 48)
LATER_GAP_HOURS = 168
#: Older posts are spread over this many days before the first scrape.
HISTORY_DAYS = 60
#: Share of posts published in the :data:`RECENT_HOURS` before a scrape (other than the last),
#: so that their early engagement is observed: a velocity means something only for posts
#: scraped soon after publication (the criteria key ``max_first_observation_hours``).
RECENT_SHARE = 0.85
RECENT_HOURS = 36.0
#: Planted viral posts are published this many hours before the first scrape, spread evenly
#: (so some fall in the training part of a time-ordered split and some in its test part).
VIRAL_AGE_HOURS = (1.0, 21.0)
#: Engagement growth: likes(age) = final · (1 − exp(−age / τ)); τ in hours (ordinary, viral),
#: and the spread (log-normal σ) of a post's engagement around what its content predicts.
TAU_HOURS = 40.0
VIRAL_TAU_HOURS = 8.0
#: Bought audiences: followers bought before the first scrape, as a multiple of the account's
#: genuine followers (likes still come from the genuine ones), and the factor a second purchase
#: lifts that by from the second scrape on (the follower-count jump).
BOUGHT_FACTOR = (4.0, 8.0)
BOUGHT_LATER_FACTOR = 1.8
#: Bots in a bought account's follower list: this multiple of its genuine followers (at least
#: BOT_MIN), drawn from one shared pool (bot farms sell the same bots to many buyers).
BOT_FACTOR = 3.0
BOT_MIN = 30
NOISE_SIGMA = 0.2
#: Strength of the content effects (call to action, emojis, sentiment, media type, hour,
#: hashtags, trends, image quality) on a post's engagement, as a factor on their log effects.
EFFECT_SCALE = 0.6
#: A post shows up in a scrape once it is this old.
MIN_VISIBLE_AGE = timedelta(minutes=10)
#: Instagram media ids carry a millisecond timestamp since this epoch in their top bits.
IG_EPOCH_MS = 1314220021721
_SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
TAG_RE = re.compile(r"#\w+")  # gallery-dl's own hashtag rule for the `tags` key
_DATE_FMT = "%Y-%m-%d %H:%M:%S"
_FOLDER_FMT = "%Y-%m-%dT%H%M%S"


@dataclass(frozen=True)
class SampleParameters:
    """Knobs of the generator; :meth:`validate` says which value is out of range."""

    users: int = 300
    seed: int = 42
    scrapes: int = 3
    posts_per_user: float = 8.0  # mean posts per account (log-normal around it)
    communities: int = 5
    influencers_per_community: int = 3
    viral_posts: int | None = None  # default: max(3, users // 20)
    p_in: float = 0.85  # share of an account's follows that stay inside its community
    mean_follows: float = 12.0  # mean in-sample accounts followed (besides the influencers)
    influencer_follow_p: float = 0.8  # chance a member follows each influencer of its community
    images: int = 400  # at most this many JPEG files (0: none)
    image_fraction: float = 0.25  # share of image posts that get a JPEG, until `images` is reached
    bought_audiences: int = 0  # ordinary accounts given bot followers and inflated follower counts

    def validate(self) -> None:
        """Raise :class:`ConfigError` naming the first bad value."""
        checks: list[tuple[bool, str]] = [
            (self.users >= 2, f"--users must be at least 2, got {self.users}"),
            (self.scrapes >= 1, f"--scrapes must be at least 1, got {self.scrapes}"),
            (self.posts_per_user > 0, f"--posts-per-user must be > 0, got {self.posts_per_user}"),
            (
                1 <= self.communities <= self.users,
                f"--communities must be between 1 and the number of users ({self.users}), got {self.communities}",
            ),
            (
                self.influencers_per_community >= 0,
                f"--influencers must be >= 0, got {self.influencers_per_community}",
            ),
            (
                self.viral_posts is None or self.viral_posts >= 0,
                f"--viral-posts must be >= 0, got {self.viral_posts}",
            ),
            (0.0 <= self.p_in <= 1.0, f"p_in must be within 0..1, got {self.p_in}"),
            (self.mean_follows > 0, f"mean_follows must be > 0, got {self.mean_follows}"),
            (
                0.0 <= self.influencer_follow_p <= 1.0,
                f"influencer_follow_p must be within 0..1, got {self.influencer_follow_p}",
            ),
            (self.images >= 0, f"--images must be >= 0, got {self.images}"),
            (
                0.0 <= self.image_fraction <= 1.0,
                f"image_fraction must be within 0..1, got {self.image_fraction}",
            ),
            (self.bought_audiences >= 0, f"--bought-audiences must be >= 0, got {self.bought_audiences}"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)

    @property
    def n_viral(self) -> int:
        """How many viral posts are planted."""
        return self.viral_posts if self.viral_posts is not None else max(3, self.users // 20)


@dataclass
class SampleSummary:
    """What :func:`generate_sample` wrote."""

    out_dir: str
    scrapes: list[str]
    users: int
    communities: int
    influencers: int
    posts: int
    viral_posts: int
    observations: int  # post × scrape pairs (one Observation each once loaded)
    sidecars: int
    follows: int  # distinct (follower, followed) pairs
    follow_files: int
    images: int
    files: int
    bytes: int
    bought_audiences: int = 0
    bots: int = 0  # bot accounts in follower lists (half of them with a profile folder)

    def as_rows(self) -> list[dict[str, Any]]:
        """One ``{"item", "value"}`` row per field, for a table."""
        return [
            {"item": k, "value": ", ".join(v) if isinstance(v, list) else v} for k, v in asdict(self).items()
        ]


# --------------------------------------------------------------------------- ids and formats


def shortcode_from_id(media_id: int | str) -> str:
    """Instagram's URL code of a media id (gallery-dl's ``shortcode_from_id``)."""
    num = int(media_id)
    out = ""
    while num:
        num, rem = divmod(num, 64)
        out = _SHORTCODE_ALPHABET[rem] + out
    return out


def scrape_times(n: int) -> list[datetime]:
    """The UTC times of ``n`` scrapes: the fixed first one, then 6 h, 48 h, a week apart."""
    times = [FIRST_SCRAPE]
    for i in range(1, n):
        gap = SCRAPE_GAPS_HOURS[i - 1] if i - 1 < len(SCRAPE_GAPS_HOURS) else LATER_GAP_HOURS
        times.append(times[-1] + timedelta(hours=gap))
    return times


def folder_name(when: datetime) -> str:
    """``2024-06-03T093000``: the dated folder of one scrape."""
    return when.strftime(_FOLDER_FMT)


def format_date(when: datetime) -> str:
    return when.strftime(_DATE_FMT)


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def sidecar_bytes(obj: dict[str, Any]) -> bytes:
    return (json.dumps(obj, indent=4, ensure_ascii=False) + "\n").encode("utf-8")


def dump_bytes(messages: list[Any]) -> bytes:
    return (json.dumps(messages, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")


# --------------------------------------------------------------------------- model


@dataclass(slots=True)
class Community:
    index: int
    theme: Theme
    hashtags: tuple[str, ...]
    locations: list[tuple[str, str]]  # (id, name)
    members: list[int] = field(default_factory=list)
    influencers: list[int] = field(default_factory=list)
    cum_weights: list[float] = field(default_factory=list)


@dataclass(slots=True)
class Account:
    index: int
    pk: str
    username: str
    full_name: str
    community: int
    followers: int
    following: int
    older_posts: int
    n_posts: int
    biography: str
    category: str
    external_url: str | None
    business: bool
    influencer: bool = False
    verified: bool = False
    viral: bool = False
    viral_slot: int = -1  # which of the evenly spread viral publication times is this author's
    pin: bool = False
    bought: int = 0  # followers bought before the first scrape (a second purchase lands after it)
    bots: list[int] = field(default_factory=list)  # indexes into Generator.bots following it


@dataclass(slots=True)
class Bot:
    """A bought follower: no posts; with a profile (following thousands) or never seen as one."""

    pk: str
    username: str
    full_name: str
    following: int
    profiled: bool


@dataclass(slots=True)
class Media:
    media_id: str
    shortcode: str
    video: bool
    width: int
    height: int
    stem: str
    pop: str
    tagged: list[int]
    quality: float | None = None  # set when a JPEG is written for it


@dataclass(slots=True)
class Post:
    post_id: str
    shortcode: str
    kind: str  # "post" | "reel"
    taken_at: datetime
    caption: str
    location: tuple[str, str] | None
    coauthors: list[int]
    media: list[Media]
    final_likes: float
    tau_hours: float
    viral: bool
    pinned: bool = False

    def likes_at(self, when: datetime) -> int:
        age_h = (when - self.taken_at).total_seconds() / 3600.0
        if age_h <= 0:
            return 0
        return int(round(self.final_likes * (1.0 - math.exp(-age_h / self.tau_hours))))
