"""gallery-dl parser: sidecar trees, -j dumps, profiles, follower lists, and every quirk of
``reference/scraper-formats/README.md`` §1 (fixtures in ``tests/fixtures/gallery_dl/``, written
by ``make_fixtures.py`` from the reference; the real-tool samples are read in place)."""

from __future__ import annotations

import json
import os
import shutil
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from influence.loaders import gallery_dl
from influence.loaders.common import ParseStats, dated_folder, folder_time, scrape_id
from influence.loaders.records import FollowRecord, PostRecord, Record, ScrapeRecord
from parse_records import rejects, users

FIXTURES = Path(__file__).parents[1] / "fixtures" / "gallery_dl"


def run(path: Path) -> list[Record]:
    return list(gallery_dl.parse(path))


def posts(records: list[Record]) -> dict[str, PostRecord]:
    out: dict[str, PostRecord] = {}
    for r in records:
        if isinstance(r, PostRecord):
            assert r.id not in out, f"post {r.id} emitted twice"
            out[r.id] = r
    return out


def follows(records: list[Record]) -> set[tuple[str, str]]:
    return {(r.follower, r.followed) for r in records if isinstance(r, FollowRecord)}


# --------------------------------------------------------------------------- real-tool samples


def test_sample_sidecars_fold_carousel_items_into_one_post(scraper_samples: Path) -> None:
    recs = run(scraper_samples / "gallery-dl" / "via_post_urls")
    assert isinstance(recs[0], ScrapeRecord) and recs[0].source == "gallery-dl"
    got = posts(recs)
    assert set(got) == {"C1mAgEaBcDe", "C2cArOuSeL1", "C3rEeLvId01"}
    carousel = got["C2cArOuSeL1"]
    assert (carousel.type, carousel.carousel_size, carousel.media_id) == (
        "carousel",
        2,
        "3300000000000000002",
    )
    assert carousel.features == ["friend_one"]  # tags are per item: item 1 has them, item 2 not
    assert carousel.coauthors == ["collab_partner"]
    assert carousel.hashtags == ["travel"]
    image = got["C1mAgEaBcDe"]
    assert image.type == "image" and image.likes == 321
    assert image.hashtags == ["sunset", "nature"] and image.mentions == ["friend_one"]
    assert image.posted_at == datetime(2024, 5, 1, 10, 40, tzinfo=UTC)
    assert (image.location_id, image.location_name, image.location_slug) == (
        "213385402",
        "Lake Zurich",
        "lake-zurich",
    )
    assert image.language == "en"
    assert image.media_path is None  # --no-download style: no media next to the sidecar
    reel = got["C3rEeLvId01"]
    assert reel.type == "reel" and reel.url == "https://www.instagram.com/reel/C3rEeLvId01/"
    assert reel.caption is None and reel.hashtags == []  # description "" and no tags key
    assert not rejects(recs)
    assert users(recs)["example_user"].platform_id == "1234567890"


def test_sample_profile_counts_skip_zero_legacy_counts(scraper_samples: Path) -> None:
    recs = run(scraper_samples / "gallery-dl" / "via_profile_url")
    user = users(recs)["example_user"]
    # count_followed etc. are 0 in 1.32.18: follower_count must win
    assert (user.followers, user.following, user.posts_count) == (15234, 321, 245)
    assert user.verified is True and user.private is False
    assert user.category == "Photographer"  # from the nested user dict of the sidecar


def test_sample_info_dump_has_clobbered_category(scraper_samples: Path) -> None:
    recs = run(scraper_samples / "gallery-dl" / "dump_json_info.json")
    user = users(recs)["example_user"]
    assert user.followers == 15234 and user.biography == "Photographer. @studio_x #travel"
    assert user.category is None  # the job overwrote it with "instagram"
    assert not rejects(recs)


def test_sample_post_dump_concatenated_arrays(scraper_samples: Path) -> None:
    recs = run(scraper_samples / "gallery-dl" / "dump_json_post_urls.txt")
    got = posts(recs)
    assert set(got) == {"C1mAgEaBcDe", "C2cArOuSeL1", "C3rEeLvId01"}
    assert got["C2cArOuSeL1"].carousel_size == 2 and got["C2cArOuSeL1"].type == "carousel"
    assert not rejects(recs)


def test_sample_stories_and_highlight_are_keyed_on_media_id(scraper_samples: Path) -> None:
    recs = run(scraper_samples / "gallery-dl" / "dump_json_stories.json") + run(
        scraper_samples / "gallery-dl" / "dump_json_highlight.json"
    )
    got = posts(recs)
    assert set(got) == {"story:3400000000000000001", "story:3400000000000000002", "story:3200000000000000001"}
    assert "1234567890" not in {p.media_id for p in got.values()}  # the reel id (user id) is no post
    first = got["story:3400000000000000001"]
    assert first.type == "story" and first.author == "example_user" and first.features == ["friend_one"]
    assert first.posted_at == datetime(2024, 5, 4, 2, 33, 20, tzinfo=UTC)  # the item's date, not post_date
    highlight = got["story:3200000000000000001"]
    assert highlight.posted_at == datetime(2023, 7, 22, 4, 26, 40, tzinfo=UTC)
    assert not rejects(recs)  # "[Invalid DateTime]" expires is a null, not an error


def test_sample_followers_list_needs_a_named_file(scraper_samples: Path, tmp_path: Path) -> None:
    sample = scraper_samples / "gallery-dl" / "dump_json_followers.json"
    recs = run(sample)
    assert set(users(recs)) == {"friend_one", "friend_two"}
    assert not follows(recs)
    [rej] = rejects(recs)
    assert "does not say whose list" in rej.reason and "example_user" not in rej.reason
    named = tmp_path / "example_user.followers.json"
    shutil.copyfile(sample, named)
    recs = run(named)
    assert follows(recs) == {("friend_one", "example_user"), ("friend_two", "example_user")}
    assert not rejects(recs)


# --------------------------------------------------------------------------- own fixtures


def test_tree_has_one_scrape_per_dated_folder_and_deterministic_ids() -> None:
    recs = run(FIXTURES / "tree")
    scrapes = [r for r in recs if isinstance(r, ScrapeRecord)]
    assert recs[0] is scrapes[0]
    assert [s.started_at for s in scrapes[1:]] == [
        datetime(2024, 5, 1, 10, 40, tzinfo=UTC),
        datetime(2024, 5, 2, 10, 40, tzinfo=UTC),
    ]
    assert (
        scrapes[1].id == f"gallery-dl:{(FIXTURES / 'tree' / '2024-05-01T104000').resolve()}:2024-05-01T104000"
    )
    assert [s.id for s in scrapes] == [s.id for s in run(FIXTURES / "tree") if isinstance(s, ScrapeRecord)]
    # the same post in both scrapes: counts observed at each folder's time
    seen = [(r.observed_at, r.likes) for r in recs if isinstance(r, PostRecord) and r.id == "AAimage0001"]
    assert seen == [
        (datetime(2024, 5, 1, 10, 40, tzinfo=UTC), 120),
        (datetime(2024, 5, 2, 10, 40, tzinfo=UTC), 180),
    ]
    # each post follows the ScrapeRecord of its folder
    positions = {id(r): i for i, r in enumerate(recs)}
    second = next(r for r in recs if isinstance(r, PostRecord) and r.likes == 180)
    first = next(r for r in recs if isinstance(r, PostRecord) and r.likes == 120)
    assert (
        positions[id(scrapes[1])] < positions[id(first)] < positions[id(scrapes[2])] < positions[id(second)]
    )
    assert not rejects(recs)


def test_tree_post_fields() -> None:
    recs = run(FIXTURES / "tree" / "2024-05-01T104000")
    got = posts(recs)
    image = got["AAimage0001"]
    assert image.author == "alice.travels"  # lower-cased username
    # tags keep '#' and case, and hold the URL fragment '#day2': normalised and dropped
    assert image.hashtags == ["alps", "hikingadventures"]
    assert image.mentions == ["bob_climbs"] and image.features == ["bob_climbs"]
    assert image.media_path and image.media_path.endswith("3300000000000000101.jpg")
    assert image.observed_at == datetime(2024, 5, 1, 10, 40, tzinfo=UTC)
    carousel = got["AAcarousel1"]
    assert carousel.features == ["bob_climbs", "carol.sees"]  # union over items, no duplicate
    assert carousel.hashtags == ["travel", "zürich"]
    assert carousel.media_path and carousel.media_path.endswith("_3300000000000000112.mp4")
    assert carousel.location_id is None
    reel = got["AAreel00001"]
    assert reel.type == "reel" and reel.caption is None
    u = users(recs)
    assert u["bob_climbs"].platform_id == "1000000002"  # int id coerced to str
    alice = u["alice.travels"]
    assert (alice.followers, alice.following, alice.posts_count, alice.category) == (
        50210,
        412,
        733,
        "Photographer",
    )
    assert alice.username == "Alice.Travels"
    assert u["collab_brand"].full_name == "Collab Brand"


def test_old_gallery_dl_versions() -> None:
    recs = run(FIXTURES / "old")
    post = posts(recs)["OLDvideo001"]
    assert post.type == "video"  # no "type" key: typename / video_url
    assert post.posted_at == datetime(2021, 6, 1, 9, tzinfo=UTC)  # no post_date: date
    assert (post.location_id, post.location_name, post.location_slug) == ("444", None, "old-town")
    assert post.hashtags == ["throwback"]
    u = users(recs)
    assert (u["legacy_user"].followers, u["legacy_user"].following, u["legacy_user"].posts_count) == (
        321,
        12,
        40,
    )
    assert (u["edge_only"].followers, u["edge_only"].following, u["edge_only"].posts_count) == (999, 9, 3)
    assert not rejects(recs)


def test_dump_directory_without_files_error_and_unknown_messages() -> None:
    recs = run(FIXTURES / "dumps" / "posts.json")
    got = posts(recs)
    assert set(got) == {"AAimage0001", "AAreel00001"}
    assert got["AAimage0001"].features == ["bob_climbs"]
    reel = got["AAreel00001"]  # only the [2] message: post-level fields
    assert reel.type == "reel" and reel.hashtags == ["été"] and reel.caption == "Ça va? 😀 #été"
    reasons = [r.reason for r in rejects(recs)]
    assert any("NotFoundError: Requested post could not be found" in r for r in reasons)
    assert any("unknown gallery-dl message type 7" in r for r in reasons)
    assert any("without a metadata object" in r for r in reasons)
    assert len(reasons) == 3


def test_json_lines_dump_survives_a_broken_line() -> None:
    recs = run(FIXTURES / "dumps" / "carousel.jsonl")
    [rej] = rejects(recs)
    assert rej.position == "line 2" and "invalid JSON" in rej.reason
    assert "broken.jpg" in rej.raw
    post = posts(recs)["AAcarousel1"]
    assert post.carousel_size == 2 and post.features == ["bob_climbs", "carol.sees"]


def test_follow_lists_target_from_file_name_or_folder() -> None:
    recs = run(FIXTURES / "dumps" / "alice.travels.followers.json")
    assert follows(recs) == {("bob_climbs", "alice.travels"), ("carol.sees", "alice.travels")}
    assert users(recs)["carol.sees"].platform_id == "1000000003"  # username taken from the queue URL
    recs = run(FIXTURES / "dumps" / "alice.travels-following.jsonl")
    assert follows(recs) == {("alice.travels", "collab_brand")}
    recs = run(FIXTURES / "dumps" / "alice.travels" / "followers.json")
    assert follows(recs) == {("bob_climbs", "alice.travels")}
    recs = run(FIXTURES / "dumps" / "unnamed_list.json")
    assert not follows(recs) and set(users(recs)) == {"bob_climbs", "carol.sees"}
    assert "<username>.followers.json" in rejects(recs)[0].reason


def test_tagged_dump_user_dict_is_the_target_not_the_owner() -> None:
    recs = run(FIXTURES / "dumps" / "tagged.json")
    post = posts(recs)["AAtagged001"]
    assert post.author == "someone_else"
    u = users(recs)
    assert u["alice.travels"].followers == 50210  # the embedded user is alice's profile
    assert u["someone_else"].followers is None


def test_other_site_metadata_is_rejected() -> None:
    recs = run(FIXTURES / "dumps" / "twitter.json")
    [rej] = rejects(recs)
    assert "not Instagram metadata" in rej.reason and rej.raw["category"] == "twitter"


# --------------------------------------------------------------------------- bad input


def _sidecar(**overrides: object) -> dict[str, object]:
    base = json.loads(
        (
            FIXTURES
            / "tree"
            / "2024-05-01T104000"
            / "instagram"
            / "alice.travels"
            / "3300000000000000101.jpg.json"
        ).read_text()
    )
    base.update(overrides)
    return base


def test_bad_bytes_boms_and_broken_files(tmp_path: Path) -> None:
    good = json.dumps(_sidecar(), ensure_ascii=False).encode()
    (tmp_path / "badbytes.jpg.json").write_bytes(good.replace(b"Sunrise", b"Sun\xffrise"))
    ps_dump = json.dumps([[3, "u", _sidecar(post_shortcode="UTF16code1", post_id="9")]])
    (tmp_path / "powershell.json").write_bytes(b"\xff\xfe" + ps_dump.encode("utf-16-le"))
    (tmp_path / "bom.json").write_bytes(
        b"\xef\xbb\xbf" + json.dumps(_sidecar(post_shortcode="BOMcode001", post_id="8")).encode()
    )
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "truncated.json").write_bytes(good[:100])
    (tmp_path / "number.json").write_text("42")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "notes.txt").write_text("not a dump")
    stats = ParseStats()
    recs = list(gallery_dl.parse(tmp_path, stats=stats))
    got = posts(recs)
    assert got["AAimage0001"].caption.startswith("Sun\ufffdrise")
    assert "UTF16code1" in got and "BOMcode001" in got
    by_file = {Path(r.source).name: r.reason for r in rejects(recs)}
    assert set(by_file) == {"empty.json", "truncated.json", "number.json"}
    assert "empty file" in by_file["empty.json"]
    assert "invalid JSON" in by_file["truncated.json"]
    assert "got a number" in by_file["number.json"]
    assert stats.files_seen == 8 and stats.files_skipped == 2
    assert stats.files_parsed + stats.files_rejected + stats.files_skipped == stats.files_seen


def test_wrong_types_reject_the_field_and_keep_the_post(tmp_path: Path) -> None:
    kw = _sidecar(likes="many", tagged_users="bob", width=-3, post_date="the 31st", description=5, tags="#x")
    (tmp_path / "1.jpg.json").write_text(json.dumps(kw))
    recs = run(tmp_path)
    post = posts(recs)["AAimage0001"]
    assert post.likes is None and post.features == [] and post.width is None and post.caption is None
    assert post.posted_at == datetime(2024, 4, 30, 8, tzinfo=UTC)  # "date" still parsed
    reasons = " | ".join(r.reason for r in rejects(recs))
    for field in ("likes", "tagged_users", "width", "post_date", "description"):
        assert f"{field}:" in reasons
    assert all("record kept" in r.reason for r in rejects(recs))


def test_missing_keys_are_rejected_with_a_reason(tmp_path: Path) -> None:
    kw = _sidecar()
    for key in ("post_shortcode", "post_url", "shortcode"):
        del kw[key]
    kw["sidecar_media_id"] = "1"
    (tmp_path / "a.jpg.json").write_text(json.dumps(kw))
    (tmp_path / "b.json").write_text(json.dumps({"hello": "world"}))
    (tmp_path / "c.json").write_text(json.dumps({"username": "not a valid name!"}))
    (tmp_path / "d.json").write_text(
        json.dumps(
            [[3, "u", {"type": "story", "post_url": "https://www.instagram.com/stories/x/", "num": 1}]]
        )
    )
    recs = run(tmp_path)
    assert not posts(recs)
    reasons = {Path(r.source).name: r.reason for r in rejects(recs)}
    assert "cannot key it" in reasons["a.jpg.json"]
    assert "no post_shortcode, media_id or username" in reasons["b.json"]
    assert "invalid username" in reasons["c.json"]
    assert "story item without media_id" in reasons["d.json"]


def test_missing_path_is_a_reject(tmp_path: Path) -> None:
    recs = run(tmp_path / "nope")
    assert isinstance(recs[0], ScrapeRecord)
    assert "no such file" in rejects(recs)[0].reason


def test_observed_at_falls_back_to_mtime_but_not_before_the_post(tmp_path: Path) -> None:
    path = tmp_path / "1.jpg.json"
    path.write_text(json.dumps(_sidecar()))
    later = datetime(2024, 6, 1, tzinfo=UTC).timestamp()
    os.utime(path, (later, later))
    assert posts(run(tmp_path))["AAimage0001"].observed_at == datetime(2024, 6, 1, tzinfo=UTC)
    earlier = datetime(2024, 4, 1, tzinfo=UTC).timestamp()  # before post_date 2024-04-30
    os.utime(path, (earlier, earlier))
    assert posts(run(tmp_path))["AAimage0001"].observed_at is None


def test_audio_and_preview_files_are_not_media_items(tmp_path: Path) -> None:
    image = _sidecar(count=2)
    audio = _sidecar(
        count=2, num=2, media_id="3300000000000000101", extension="m4a", audio_url="https://x/a.m4a"
    )
    (tmp_path / "3300000000000000101.jpg.json").write_text(json.dumps(image))
    (tmp_path / "3300000000000000101.m4a.json").write_text(json.dumps(audio))
    preview = _sidecar(media_id="3300000000000000101p", video_url=None)
    (tmp_path / "3300000000000000101p.jpg.json").write_text(json.dumps(preview))
    got = posts(run(tmp_path))
    assert got["AAimage0001"].carousel_size == 1 and got["AAimage0001"].type == "image"


# --------------------------------------------------------------------------- helpers and streaming


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2024-05-01T104000", datetime(2024, 5, 1, 10, 40, tzinfo=UTC)),
        ("2024-05-01T1040", datetime(2024, 5, 1, 10, 40, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-13-01", None),
        ("2024-05-01_10-40-00_UTC", None),  # instaloader's file names are post dates, not scrapes
        ("example_user", None),
    ],
)
def test_folder_time(name: str, expected: datetime | None) -> None:
    assert folder_time(name) == expected


def test_dated_folder_is_the_deepest_and_scrape_id_uses_it(tmp_path: Path) -> None:
    path = tmp_path / "2024-01-01" / "out" / "2024-05-01T104000" / "instagram" / "x"
    found = dated_folder(path)
    assert found is not None and found[0].name == "2024-05-01T104000"
    assert scrape_id("gallery-dl", path) == f"gallery-dl:{path.resolve()}:2024-05-01T104000"
    assert scrape_id("gallery-dl", tmp_path) == f"gallery-dl:{tmp_path.resolve()}:"


def test_parse_is_lazy_and_memory_stays_flat(tmp_path: Path) -> None:
    template = _sidecar()

    def write(root: Path, n_folders: int) -> None:
        # one folder per account, as gallery-dl lays them out; 20 posts each
        for f in range(n_folders):
            folder = root / "instagram" / f"user{f}"
            folder.mkdir(parents=True)
            for i in range(20):
                kw = {
                    **template,
                    "post_id": f"{f}{i}",
                    "post_shortcode": f"P{f:04d}{i:04d}",
                    "media_id": f"{f}{i}",
                    "username": f"user{f}",
                    "owner_id": str(f),
                }
                (folder / f"{f}{i}.jpg.json").write_text(json.dumps(kw))

    write(tmp_path / "small", 5)
    write(tmp_path / "big", 50)

    def peak(root: Path) -> int:
        tracemalloc.start()
        n = sum(1 for r in gallery_dl.parse(root) if isinstance(r, PostRecord))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert n == 20 * len(list((root / "instagram").iterdir()))
        return top

    peak(tmp_path / "small")  # warm caches (language model) before measuring
    small, big = peak(tmp_path / "small"), peak(tmp_path / "big")
    assert big < small * 3, (small, big)  # 10x the files, far less than 10x the memory
    it = gallery_dl.parse(tmp_path / "big")
    assert isinstance(next(it), ScrapeRecord)
