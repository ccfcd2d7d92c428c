"""Writing the synthetic sample: the folder checks, one folder per scrape and account with its
gallery-dl files, the bots' profiles, ``ground_truth.json`` and ``README.txt``; the figures of
what was written (:class:`SampleSummary`)."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from influence.errors import InputError
from influence.sample import gallery_json
from influence.sample.generator import Generator, Progress
from influence.sample.model import (
    MIN_VISIBLE_AGE,
    TAG_RE,
    Account,
    Post,
    SampleParameters,
    SampleSummary,
    folder_name,
    format_date,
    sidecar_bytes,
)
from influence.sample.truth import ground_truth, readme_text


@dataclass
class _Counts:
    """What the account folders held, counted while writing them."""

    posts: int = 0
    observations: int = 0
    sidecars: int = 0
    follow_files: int = 0
    viral: list[dict[str, Any]] = field(default_factory=list)


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


def generate_sample(
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
    folders = [folder_name(t) for t in gen.times]
    files = _SampleFiles(gen, out, folders)
    with_following = {com.members[0] for com in gen.communities if com.members}
    step = max(1, len(gen.users) // 10)
    for u in gen.users:
        files.account(u, u.index in with_following)
        if (u.index + 1) % step == 0:
            report(f"sample: {u.index + 1}/{len(gen.users)} accounts written")
    files.bots()
    summary = _summary(gen, out, folders, files.counts)
    truth = ground_truth(gen, params, folders, files.counts.viral, summary)
    files.write(out / "ground_truth.json", sidecar_bytes(truth))
    files.write(out / "README.txt", readme_text(gen, params, folders, summary).encode("utf-8"))
    summary.files = files.files
    summary.bytes = files.bytes
    return summary


class _SampleFiles:
    """Writes the files of one sample under ``out`` and counts what it wrote."""

    def __init__(self, gen: Generator, out: Path, folders: list[str]) -> None:
        self.gen, self.out, self.folders = gen, out, folders
        self.counts = _Counts()
        self.files = 0
        self.bytes = 0

    def write(self, path: Path, data: bytes) -> None:
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)

    def account(self, u: Account, with_following: bool) -> None:
        """One account's folder in every scrape: its profile, the sidecars (and a few images) of
        the posts visible then, and in the first scrape its follower (and following) dumps."""
        gen, counts = self.gen, self.counts
        posts = gen.posts_of(u)
        counts.posts += len(posts)
        imaged: set[str] = set()
        for s, when in enumerate(gen.times):
            folder = self.out / self.folders[s] / "instagram" / u.username
            folder.mkdir(parents=True, exist_ok=True)
            bought = gen.bought_at(u, when)
            profile = gallery_json.user_dict(u, when, posts, info=True, bought=bought)
            self.write(folder / "info.json", sidecar_bytes(profile))
            user = gallery_json.user_dict(u, when, posts, info=False, bought=bought)
            for post in posts:
                if post.taken_at <= when - MIN_VISIBLE_AGE:
                    counts.observations += 1
                    self._post(u, post, when, user, folder, imaged)
            if s == 0:
                self._follow_dumps(u, folder, with_following)
        counts.viral.extend(_viral_entry(u, post) for post in posts if post.viral)

    def _post(
        self, u: Account, post: Post, when: datetime, user: dict[str, Any], folder: Path, imaged: set[str]
    ) -> None:
        """The sidecar of each media item of ``post`` as scraped at ``when``, and its image once."""
        for item, m in enumerate(post.media):
            ext = "mp4" if m.video else "jpg"
            stem = f"{post.post_id}_{m.media_id}" if len(post.media) > 1 else m.media_id
            sidecar = gallery_json.sidecar(u, post, item, when, user, self.gen.users)
            self.write(folder / f"{stem}.{ext}.json", sidecar_bytes(sidecar))
            self.counts.sidecars += 1
            if m.quality is not None and m.media_id not in imaged:
                imaged.add(m.media_id)
                self.write(folder / f"{stem}.{ext}", gallery_json.jpeg(m.quality, int(m.media_id) % 100_003))

    def _follow_dumps(self, u: Account, folder: Path, with_following: bool) -> None:
        """The account's follower list (bots included), and its following list when it has one."""
        gen = self.gen
        if gen.followers_of[u.index]:
            self.write(
                folder / f"{u.username}.followers.json",
                gallery_json.follow_dump(gen.users, gen.bots, gen.followers_of[u.index], "followers", u.bots),
            )
            self.counts.follow_files += 1
        if with_following and gen.following[u.index]:
            self.write(
                folder / f"{u.username}.following.json",
                gallery_json.follow_dump(gen.users, gen.bots, gen.following[u.index], "following"),
            )
            self.counts.follow_files += 1

    def bots(self) -> None:
        """The profiles of the bots scraped alongside (an audit of the followers): no posts."""
        for bot in self.gen.bots:
            if bot.profiled:
                for s, _when in enumerate(self.gen.times):
                    folder = self.out / self.folders[s] / "instagram" / bot.username
                    folder.mkdir(parents=True, exist_ok=True)
                    self.write(folder / "info.json", sidecar_bytes(gallery_json.bot_dict(bot)))


def _viral_entry(u: Account, post: Post) -> dict[str, Any]:
    """A planted viral post as ``ground_truth.json`` lists it."""
    return {
        "shortcode": post.shortcode,
        "post_id": post.post_id,
        "author": u.username,
        "community": u.community,
        "posted_at": format_date(post.taken_at),
        "hashtags": [t.lower().lstrip("#") for t in sorted(set(TAG_RE.findall(post.caption)))],
        "final_likes": int(post.final_likes),
    }


def _summary(gen: Generator, out: Path, folders: list[str], counts: _Counts) -> SampleSummary:
    """The figures of the sample (files and bytes are filled in once everything is written)."""
    return SampleSummary(
        out_dir=str(out),
        scrapes=folders,
        users=len(gen.users),
        communities=len(gen.communities),
        influencers=sum(len(c.influencers) for c in gen.communities),
        posts=counts.posts,
        viral_posts=len(counts.viral),
        observations=counts.observations,
        sidecars=counts.sidecars,
        follows=sum(len(f) for f in gen.following) + sum(len(u.bots) for u in gen.users),
        follow_files=counts.follow_files,
        images=gen.images_written,
        files=0,
        bytes=0,
        bought_audiences=sum(1 for u in gen.users if u.bought),
        bots=len(gen.bots),
    )
