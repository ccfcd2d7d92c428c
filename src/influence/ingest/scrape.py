"""Scrape Instagram profiles with the ``gallery-dl`` executable, then load the result.

One run writes one dated folder, ``OUT/<YYYY-MM-DDTHHMMSS>/`` (UTC start time: the gallery-dl
loader takes every post's ``observed_at`` from it), laid out as gallery-dl writes it::

    OUT/2024-06-03T093000/
      gallery-dl.log                          gallery-dl's own output
      instagram/<user>/info.json              the profile (followers, following, posts count)
      instagram/<user>/<media_id>.jpg(.json)  posts: media (unless --no-media) and sidecars
      instagram/<user>/<user>.followers.json  `-j` dump of /USER/followers/ (only if asked)

Commands built (see :func:`profile_command`, :func:`follow_command`)::

    gallery-dl --write-metadata --write-info-json -O skip=true -o include=info,posts
               --post-range 1-N --sleep-request S-2S --sleep S/2-S [--cookies FILE]
               [--no-download] -d OUT/<stamp> https://www.instagram.com/USER/ …
    gallery-dl -j --child-range 1-M --sleep-request S-2S --cookies FILE
               https://www.instagram.com/USER/followers/   > …/USER.followers.json

``include=info,posts`` fetches the profile dict (``info.json``) and the posts; ``-O skip=true``
keeps the posts extractor from overwriting that ``info.json`` with its first post. Follower
lists must not be *downloaded* (each entry would queue the follower's whole profile), so they
are dumped with ``-j``, which needs login cookies. Re-scrapes go to a new dated folder, so
each run adds an observation of every post it sees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from influence.errors import ConfigError, InputError
from influence.loaders.records import Reject
from influence.text import normalise_username

if TYPE_CHECKING:
    from neo4j import Driver

    from influence.ingest import LoadSummary

Progress = Callable[[str], None]
Runner = Callable[..., "subprocess.CompletedProcess[Any]"]

INSTALL_HINT = (
    "install it with `pip install 'influence-graph[scrape]'` (gallery-dl 1.32) or give its path "
    "with --gallery-dl PATH"
)
PROFILE_URL = "https://www.instagram.com/{}/"
FOLLOW_URL = "https://www.instagram.com/{}/{}/"
LOG_NAME = "gallery-dl.log"


@dataclass(frozen=True)
class ScrapeOptions:
    """How to run gallery-dl. ``sleep`` is the base pause between requests, in seconds."""

    posts: int | None = 50  # newest N posts per account; None: all
    cookies: Path | None = None
    sleep: float = 3.0
    media: bool = True  # download media files (image quality features need them)
    followers: int = 0  # dump up to N followers per account (needs cookies); 0: none
    following: int = 0  # dump up to N followed accounts per account (needs cookies); 0: none
    executable: str = "gallery-dl"

    def validate(self) -> None:
        """Raise :class:`ConfigError` naming the first bad option."""
        if self.posts is not None and self.posts < 1:
            raise ConfigError(f"--posts must be at least 1, got {self.posts}")
        if self.sleep < 0:
            raise ConfigError(f"--sleep must be >= 0 seconds, got {self.sleep}")
        if self.followers < 0 or self.following < 0:
            raise ConfigError("--followers / --following must be >= 0")
        if (self.followers or self.following) and self.cookies is None:
            raise ConfigError(
                "follower lists need a logged-in session — pass --cookies FILE (cookies.txt exported "
                "from a browser where you are logged in to Instagram)"
            )
        if self.cookies is not None and not self.cookies.is_file():
            raise ConfigError(
                f"cookies file {self.cookies} does not exist — export cookies.txt from your browser"
            )


@dataclass
class ScrapeResult:
    """What one gallery-dl run produced."""

    folder: Path
    accounts: list[str]
    commands: list[list[str]] = field(default_factory=list)
    return_codes: list[int] = field(default_factory=list)
    metadata_files: int = 0
    media_files: int = 0
    follow_files: int = 0

    def rows(self) -> list[dict[str, Any]]:
        """``{"item", "value"}`` rows for a table."""
        failed = sum(1 for c in self.return_codes if c != 0)
        return [
            {"item": "scrape folder", "value": str(self.folder)},
            {"item": "accounts", "value": len(self.accounts)},
            {"item": "gallery-dl runs", "value": len(self.commands)},
            {"item": "gallery-dl runs with errors", "value": failed},
            {"item": "metadata files", "value": self.metadata_files},
            {"item": "media files", "value": self.media_files},
            {"item": "follow lists", "value": self.follow_files},
        ]


# --------------------------------------------------------------------------- accounts


def parse_accounts(names: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Usernames from ``@name``, ``name`` or profile URLs; (accounts, [(input, reason)]).

    Duplicates are dropped (first kept); blank entries and ``#`` comments are ignored.
    """
    accounts: dict[str, None] = {}
    bad: list[tuple[str, str]] = []
    for raw in names:
        item = raw.strip()
        if not item or item.startswith("#"):
            continue
        candidate = item
        if "instagram.com/" in candidate:
            candidate = candidate.split("instagram.com/", 1)[1].split("?", 1)[0].strip("/").split("/", 1)[0]
        name = normalise_username(candidate)
        if name is None:
            bad.append((item, "not an Instagram username (letters, digits, '.' and '_', at most 30)"))
        else:
            accounts[name] = None
    return list(accounts), bad


def read_accounts(path: Path | str) -> tuple[list[str], list[tuple[str, str]]]:
    """Accounts from a text file (one username per line) or a CSV with a column of ``@name``
    values (the Wikipedia list of most-followed accounts); (accounts, [(line, reason)]).

    In a CSV the column is the one whose header says ``username`` or, failing that, the one
    with most ``@`` values; rows without an ``@name`` there (a footnote row) are reported.
    """
    file = Path(path)
    if file.suffix.lower() not in (".csv", ".tsv"):
        try:
            text = file.read_text(encoding="utf-8-sig", errors="replace")
        except OSError as e:
            raise InputError(f"cannot read the accounts file {file}: {e.strerror or e}") from e
        return parse_accounts(text.splitlines())
    from influence.loaders.csv_input import read_rows

    rows: list[tuple[int, list[str]]] = []
    unreadable: list[tuple[str, str]] = []
    for item in read_rows(file):  # the loaders' CSV reader: sep= line, ; or tab, cp1252
        if isinstance(item, Reject):
            if item.position == "file" and "empty" not in item.reason:
                raise InputError(f"cannot read the accounts file {file}: {item.reason}")
            if item.position != "file":
                unreadable.append((item.position, item.reason))
            continue
        rows.append(item)
    if not rows:
        raise InputError(f"{file} is empty — list one username per line, or give a CSV with an @name column")
    header, body = rows[0][1], rows[1:]
    column = next((i for i, h in enumerate(header) if "username" in h.lower()), None)
    named = column is not None  # a username column: its values need no "@"
    if column is None:
        at_counts = [
            sum(1 for _, r in body if i < len(r) and r[i].strip().startswith("@")) for i in range(len(header))
        ]
        if not at_counts or max(at_counts) == 0:
            raise InputError(f"{file} has no column of @usernames — name it 'username' or list @name values")
        column = at_counts.index(max(at_counts))
    names: list[str] = []
    bad: list[tuple[str, str]] = []
    for n, row in body:
        value = row[column].strip() if column < len(row) else ""
        if value.startswith("@") or (named and normalise_username(value) is not None):
            names.append(value)
        elif any(cell.strip() for cell in row):
            bad.append((f"line {n}: {','.join(row)[:80]}", f"no @username in column {header[column]!r}"))
    accounts, invalid = parse_accounts(names)
    return accounts, unreadable + bad + invalid


# --------------------------------------------------------------------------- commands


def _num(value: float) -> str:
    return f"{value:g}"


def _sleeps(sleep: float) -> list[str]:
    # a random pause in a range looks less like a bot than a fixed one
    if sleep <= 0:
        return []
    return [
        "--sleep-request",
        f"{_num(sleep)}-{_num(2 * sleep)}",
        "--sleep",
        f"{_num(sleep / 2)}-{_num(sleep)}",
    ]


def profile_command(
    executable: str, accounts: Sequence[str], folder: Path, options: ScrapeOptions
) -> list[str]:
    """The gallery-dl command line that scrapes the profiles and posts of ``accounts``."""
    cmd = [executable, "--write-metadata", "--write-info-json", "-O", "skip=true", "-o", "include=info,posts"]
    if options.posts is not None:
        cmd += ["--post-range", f"1-{options.posts}"]
    cmd += _sleeps(options.sleep)
    if options.cookies is not None:
        cmd += ["--cookies", str(options.cookies)]
    if not options.media:
        cmd.append("--no-download")
    cmd += ["-d", str(folder)]
    cmd += [PROFILE_URL.format(a) for a in accounts]
    return cmd


def follow_command(executable: str, account: str, kind: str, limit: int, options: ScrapeOptions) -> list[str]:
    """The ``gallery-dl -j`` command line that lists ``account``'s followers or following."""
    if kind not in ("followers", "following"):
        raise ValueError(f"kind must be followers or following, not {kind!r}")
    cmd = [executable, "-j", "--child-range", f"1-{limit}"]
    if options.sleep > 0:
        cmd += ["--sleep-request", f"{_num(options.sleep)}-{_num(2 * options.sleep)}"]
    if options.cookies is not None:
        cmd += ["--cookies", str(options.cookies)]
    cmd.append(FOLLOW_URL.format(account, kind))
    return cmd


def find_executable(name: str) -> str:
    """The full path of gallery-dl, or :class:`ConfigError` saying how to install it."""
    found = shutil.which(name)
    if found is None and os.sep not in name:
        # installed with the package (the `scrape` extra) into a virtualenv that is not activated
        beside = Path(sys.executable).parent / name
        found = str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None
    if found is None:
        raise ConfigError(f"gallery-dl was not found ({name!r} is not on PATH) — {INSTALL_HINT}")
    return found


def scrape_folder(out_dir: Path | str, started: datetime) -> Path:
    """``OUT/<YYYY-MM-DDTHHMMSS>``: the dated folder of a scrape started at ``started`` (UTC)."""
    return Path(out_dir) / started.astimezone(UTC).strftime("%Y-%m-%dT%H%M%S")


# --------------------------------------------------------------------------- running


def run_scrape(
    accounts: Sequence[str],
    out_dir: Path | str,
    options: ScrapeOptions | None = None,
    *,
    started: datetime | None = None,
    progress: Progress | None = None,
    runner: Runner = subprocess.run,
) -> ScrapeResult:
    """Run gallery-dl for ``accounts`` into a new dated folder under ``out_dir``.

    A gallery-dl run that exits with an error (a private or missing account, a rate limit) is
    recorded in :attr:`ScrapeResult.return_codes` and its output kept in ``gallery-dl.log``;
    the scrape fails (:class:`InputError`) only when nothing at all was written.
    """
    options = options or ScrapeOptions()
    options.validate()
    if not accounts:
        raise InputError("no accounts to scrape — give usernames or --accounts FILE")
    report = progress or (lambda _message: None)
    exe = find_executable(options.executable)
    when = started or datetime.now(UTC)
    folder = scrape_folder(out_dir, when)
    if folder.exists():
        raise InputError(f"{folder} exists already — wait a second and run again, or choose another --out")
    folder.mkdir(parents=True)
    result = ScrapeResult(folder=folder, accounts=list(accounts))
    if options.cookies is None:
        report("scrape: no --cookies; Instagram refuses most anonymous requests, expect errors")
    log_path = folder / LOG_NAME
    with log_path.open("ab") as log:
        cmd = profile_command(exe, accounts, folder, options)
        report(f"scrape: {len(accounts)} account(s) into {folder}")
        result.commands.append(cmd)
        result.return_codes.append(runner(cmd, stdout=log, stderr=subprocess.STDOUT, check=False).returncode)
        for kind, limit in (("followers", options.followers), ("following", options.following)):
            if not limit:
                continue
            for account in accounts:
                target = folder / "instagram" / account / f"{account}.{kind}.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                cmd = follow_command(exe, account, kind, limit, options)
                report(f"scrape: {kind} of {account}")
                result.commands.append(cmd)
                with target.open("wb") as out:
                    code = runner(cmd, stdout=out, stderr=log, check=False).returncode
                result.return_codes.append(code)
                if target.stat().st_size == 0:
                    target.unlink()
    for file in (folder / "instagram").rglob("*") if (folder / "instagram").is_dir() else ():
        if not file.is_file():
            continue
        if file.name.endswith((".followers.json", ".following.json")):
            result.follow_files += 1
        elif file.suffix == ".json":
            result.metadata_files += 1
        else:
            result.media_files += 1
    if result.metadata_files == 0 and result.follow_files == 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
        raise InputError(
            "gallery-dl wrote no metadata (exit codes "
            f"{', '.join(map(str, result.return_codes))}); its last lines:\n  "
            + "\n  ".join(tail)
            + f"\nFull log: {log_path}. Check the usernames and pass fresh --cookies."
        )
    return result


@dataclass
class ScrapeAndLoad:
    """A scrape and the load of its folder."""

    scrape: ScrapeResult
    load: LoadSummary

    def rows(self) -> list[dict[str, Any]]:
        """Scrape rows followed by the load summary rows."""
        return self.scrape.rows() + self.load.rows()


def scrape_and_load(
    driver: Driver,
    accounts: Sequence[str],
    out_dir: Path | str,
    rejects_path: Path,
    options: ScrapeOptions | None = None,
    *,
    database: str | None = None,
    started: datetime | None = None,
    progress: Progress | None = None,
    runner: Runner = subprocess.run,
    load_progress: Callable[[LoadSummary], None] | None = None,
) -> ScrapeAndLoad:
    """:func:`run_scrape`, then load the new folder with the gallery-dl loader.

    Rejected records are appended to ``rejects_path`` (JSON Lines, created only when needed;
    keep it outside ``out_dir``, where a later load of the whole tree would read it).
    ``progress`` gets the scrape's lines, ``load_progress`` the load's live summary.
    """
    from influence.ingest import ingest
    from influence.loaders import gallery_dl
    from influence.loaders.common import ParseStats

    report = progress or (lambda _message: None)
    result = run_scrape(accounts, out_dir, options, started=started, progress=report, runner=runner)
    stats = ParseStats()
    summary = ingest(
        driver, gallery_dl.parse(result.folder, stats=stats), rejects_path, database, progress=load_progress
    )
    summary.files = stats.files_parsed
    summary.skipped = dict(stats.skipped)
    return ScrapeAndLoad(result, summary)
