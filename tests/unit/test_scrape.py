"""`influence scrape instagram`: the gallery-dl command lines, the run, and the load.

There is no network here, so a stand-in `gallery-dl` (tests/fixtures/fake_gallery_dl) that
checks its options and writes what the real tool writes is put first on PATH.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from influence.cli import cli
from influence.errors import ConfigError, InputError
from influence.ingest.scrape import (
    ScrapeOptions,
    follow_command,
    parse_accounts,
    profile_command,
    read_accounts,
    run_scrape,
)
from influence.loaders import gallery_dl
from influence.loaders.records import FollowRecord, PostRecord, Reject

STARTED = datetime(2024, 6, 3, 9, 30, 5, tzinfo=UTC)


def _argv(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


# --------------------------------------------------------------------------- command lines


def test_profile_command_has_metadata_info_range_sleeps_cookies(tmp_path: Path) -> None:
    opts = ScrapeOptions(posts=12, cookies=tmp_path / "c.txt", sleep=2.5, media=False)
    cmd = profile_command("gallery-dl", ["alice", "bob"], tmp_path / "2024-06-03T093005", opts)
    assert cmd == [
        "gallery-dl",
        "--write-metadata",
        "--write-info-json",
        "-O",
        "skip=true",
        "-o",
        "include=info,posts",
        "--post-range",
        "1-12",
        "--sleep-request",
        "2.5-5",
        "--sleep",
        "1.25-2.5",
        "--cookies",
        str(tmp_path / "c.txt"),
        "--no-download",
        "-d",
        str(tmp_path / "2024-06-03T093005"),
        "https://www.instagram.com/alice/",
        "https://www.instagram.com/bob/",
    ]
    with_media = profile_command("gallery-dl", ["alice"], tmp_path, ScrapeOptions(posts=None, sleep=0))
    assert "--no-download" not in with_media and "--post-range" not in with_media
    assert "--sleep" not in with_media and "--cookies" not in with_media


def test_follow_command_is_a_json_dump_never_a_download(tmp_path: Path) -> None:
    cmd = follow_command("gallery-dl", "alice", "followers", 200, ScrapeOptions(cookies=tmp_path, sleep=1))
    assert cmd == [
        "gallery-dl",
        "-j",
        "--child-range",
        "1-200",
        "--sleep-request",
        "1-2",
        "--cookies",
        str(tmp_path),
        "https://www.instagram.com/alice/followers/",
    ]
    assert "--write-metadata" not in cmd
    with pytest.raises(ValueError):
        follow_command("gallery-dl", "alice", "likes", 1, ScrapeOptions())


def test_options_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--cookies"):
        ScrapeOptions(followers=10).validate()
    with pytest.raises(ConfigError, match="does not exist"):
        ScrapeOptions(cookies=tmp_path / "missing.txt").validate()
    with pytest.raises(ConfigError, match="--posts"):
        ScrapeOptions(posts=0).validate()
    with pytest.raises(ConfigError, match="--sleep"):
        ScrapeOptions(sleep=-1).validate()


# --------------------------------------------------------------------------- accounts


def test_accounts_from_names_urls_and_text_files(tmp_path: Path) -> None:
    accounts, bad = parse_accounts(
        ["@Alice", "https://www.instagram.com/bob.b/?hl=en", "alice", " ", "# note", "not a name!"]
    )
    assert accounts == ["alice", "bob.b"]
    assert bad == [("not a name!", bad[0][1])] and "username" in bad[0][1]
    file = tmp_path / "accounts.txt"
    file.write_text("\ufeff# seeds\ncristiano\n@leomessi\n\nwww.instagram.com/natgeo/\n", encoding="utf-8")
    assert read_accounts(file) == (["cristiano", "leomessi", "natgeo"], [])


def test_accounts_from_the_wikipedia_csv(shared_data: Path) -> None:
    path = shared_data / "instagram-top-accounts" / "List of most-followed Instagram accounts.csv"
    accounts, bad = read_accounts(path)
    assert accounts[:3] == ["instagram", "cristiano", "leomessi"]
    assert len(accounts) >= 45 and all(a == a.lower() and not a.startswith("@") for a in accounts)
    assert all("no @username" in reason for _, reason in bad)  # the "As of …" footer row


def test_accounts_csv_without_usernames_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "x.csv"
    file.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="@usernames"):
        read_accounts(file)


# --------------------------------------------------------------------------- running the stand-in


def test_missing_gallery_dl_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"pip install 'influence-graph\[scrape\]'"):
        run_scrape(["alice"], tmp_path, ScrapeOptions(executable="no-such-gallery-dl-here"))
    result = CliRunner().invoke(
        cli,
        [
            "scrape",
            "instagram",
            "alice",
            "--no-load",
            "--out",
            str(tmp_path),
            "--gallery-dl",
            "no-such-gallery-dl-here",
        ],
    )
    assert result.exit_code == 1 and "pip install 'influence-graph[scrape]'" in result.output


def _real_gallery_dl() -> str:
    import shutil
    import sys

    found = shutil.which("gallery-dl") or str(Path(sys.executable).parent / "gallery-dl")
    if not Path(found).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("gallery-dl is not installed: `make venv` installs the scrape extra")
        pytest.skip("gallery-dl is not installed (pip install -e '.[scrape]')")
    return found


def test_installed_gallery_dl_is_in_the_tested_range() -> None:
    import re
    from importlib.metadata import version

    _real_gallery_dl()
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    low, high = re.search(r'"gallery-dl>=([\d.]+),<([\d.]+)"', pyproject).groups()  # type: ignore[union-attr]
    installed = tuple(int(x) for x in version("gallery-dl").split(".")[:2])
    assert tuple(int(x) for x in low.split(".")[:2]) <= installed < tuple(int(x) for x in high.split(".")[:2])


def test_real_gallery_dl_accepts_every_option_we_pass(tmp_path: Path) -> None:
    """The real executable parses both command lines (an unknown option exits 2 with "unrecognized
    arguments"); an unsupported URL then stops it before any network request."""
    exe = _real_gallery_dl()
    cookies = tmp_path / "cookies.txt"
    cookies.write_text("# Netscape HTTP Cookie File\n")
    options = ScrapeOptions(posts=5, cookies=cookies, sleep=1.0, media=False, followers=3)
    for cmd in (
        profile_command(exe, ["someone"], tmp_path / "out", options),
        follow_command(exe, "someone", "followers", 3, options),
    ):
        cmd = [c for c in cmd if "instagram.com" not in c] + ["https://unsupported.invalid/x"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        assert (
            out.returncode != 2 and "unrecognized" not in out.stderr and "error: argument" not in out.stderr
        ), out.stderr
        assert "Unsupported URL" in out.stderr


def test_run_scrape_writes_a_dated_folder_the_loader_reads(
    fake_gallery_dl: Path, tmp_path: Path, cookies: Path
) -> None:
    opts = ScrapeOptions(posts=2, cookies=cookies, sleep=0.5, followers=3)
    result = run_scrape(["alice", "bob"], tmp_path / "out", opts, started=STARTED)
    assert result.folder == tmp_path / "out" / "2024-06-03T093005"
    argv = _argv(fake_gallery_dl)
    assert argv[0][:11] == [
        "--write-metadata",
        "--write-info-json",
        "-O",
        "skip=true",
        "-o",
        "include=info,posts",
        "--post-range",
        "1-2",
        "--sleep-request",
        "0.5-1",
        "--sleep",
    ]
    assert ["--cookies", str(cookies)] == argv[0][12:14] and argv[0][-2:] == [
        "https://www.instagram.com/alice/",
        "https://www.instagram.com/bob/",
    ]
    assert [a[-1] for a in argv[1:]] == [
        "https://www.instagram.com/alice/followers/",
        "https://www.instagram.com/bob/followers/",
    ]
    assert result.return_codes == [0, 0, 0]
    assert (result.metadata_files, result.media_files, result.follow_files) == (6, 4, 2)
    assert (result.folder / "gallery-dl.log").is_file()
    records = list(gallery_dl.parse(result.folder))
    assert [r for r in records if isinstance(r, Reject)] == []
    posts = [r for r in records if isinstance(r, PostRecord)]
    assert len(posts) == 4 and {p.author for p in posts} == {"alice", "bob"}
    assert all(p.observed_at == STARTED.replace(microsecond=0) for p in posts)
    assert all(p.media_path for p in posts)
    follows = {(f.follower, f.followed) for f in records if isinstance(f, FollowRecord)}
    assert ("alice_follo_0", "alice") in follows and len(follows) == 6


def test_no_media_and_a_missing_account(
    fake_gallery_dl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_GALLERY_DL_MISSING", "ghost")
    result = run_scrape(["alice", "ghost"], tmp_path, ScrapeOptions(sleep=0, media=False), started=STARTED)
    assert "--no-download" in _argv(fake_gallery_dl)[0]
    assert result.return_codes == [8]  # recorded, and alice's files are still there
    assert result.media_files == 0 and result.metadata_files == 4
    assert "ghost" in (result.folder / "gallery-dl.log").read_text()
    monkeypatch.setenv("FAKE_GALLERY_DL_MISSING", "ghost,nobody")
    with pytest.raises(InputError, match="wrote no metadata"):
        run_scrape(["ghost", "nobody"], tmp_path / "2", ScrapeOptions(sleep=0), started=STARTED)


def test_cli_scrape_without_load(fake_gallery_dl: Path, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.txt"
    accounts.write_text("carol\nbad name\n")
    result = CliRunner().invoke(
        cli,
        [
            "scrape",
            "instagram",
            "alice",
            "--accounts",
            str(accounts),
            "--no-load",
            "--sleep",
            "0",
            "--posts",
            "1",
            "--out",
            str(tmp_path / "o"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {r["item"]: r["value"] for r in json.loads(result.stdout)}
    assert rows["accounts"] == 2 and rows["metadata files"] == 4  # 2 × (info.json + 1 post)
    assert "skipped 'bad name'" in result.stderr
    assert _argv(fake_gallery_dl)[0][-2:] == [
        "https://www.instagram.com/alice/",
        "https://www.instagram.com/carol/",
    ]


# --------------------------------------------------------------------------- into the graph
