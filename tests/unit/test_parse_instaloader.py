"""instaloader parser: the three Post shapes, StoryItem, Profile, resume files, and the quirks
of ``reference/scraper-formats/README.md`` §2 (fixtures in ``tests/fixtures/instaloader/``,
written by ``make_fixtures.py``; the real-tool samples are read in place)."""

from __future__ import annotations

import json
import lzma
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from influence.loaders import instaloader
from influence.loaders.common import ParseStats
from influence.loaders.records import PostRecord, Record, ScrapeRecord
from parse_records import rejects, users

FIXTURES = Path(__file__).parents[1] / "fixtures" / "instaloader"
ALICE = FIXTURES / "tree" / "2024-05-03T120000" / "alice.travels"


def run(path: Path, stats: ParseStats | None = None) -> list[Record]:
    return list(instaloader.parse(path, stats=stats))


def posts(records: list[Record]) -> dict[str, PostRecord]:
    return {r.id: r for r in records if isinstance(r, PostRecord)}


# --------------------------------------------------------------------------- real-tool samples


def test_samples_iphone_and_normalised_shapes_agree(scraper_samples: Path) -> None:
    folder = scraper_samples / "instaloader"
    for shape in ("iphone", "normalized"):
        image = posts(run(folder / f"{shape}_image.json.xz"))["C1mAgEaBcDe"]
        assert (image.type, image.likes, image.comments, image.carousel_size) == ("image", 321, 12, 1), shape
        assert image.caption == "Sunset at the lake #sunset #nature with @friend_one", shape
        assert image.hashtags == ["sunset", "nature"] and image.mentions == ["friend_one"], shape
        assert image.features == ["friend_one"], shape
        assert (image.location_id, image.location_name, image.location_slug) == (
            "213385402",
            "Lake Zurich",
            "lake-zurich",
        )
        assert image.posted_at == datetime(2024, 5, 1, 10, 40, tzinfo=UTC), shape
        assert image.author == "example_user" and image.media_id == "3300000000000000001", shape
        assert (image.width, image.height) == (1080, 1350), shape
        assert image.views is None  # an image has no views
        carousel = posts(run(folder / f"{shape}_carousel.json.xz"))["C2cArOuSeL1"]
        assert (carousel.type, carousel.carousel_size, carousel.comments) == ("carousel", 2, 40), shape
        reel = posts(run(folder / f"{shape}_reel.json.xz"))["C3rEeLvId01"]
        assert (reel.type, reel.views, reel.comments, reel.likes) == ("reel", 456789, 321, 98765), shape
        assert reel.caption is None and reel.url == "https://www.instagram.com/reel/C3rEeLvId01/"


def test_sample_uncompressed_variant(scraper_samples: Path) -> None:
    recs = run(scraper_samples / "instaloader" / "iphone_image_uncompressed.json")
    assert recs[0].tool_version == "4.16"  # type: ignore[union-attr]
    assert posts(recs)["C1mAgEaBcDe"].comments == 12
    assert not rejects(recs)


def test_sample_profile(scraper_samples: Path) -> None:
    recs = run(scraper_samples / "instaloader" / "example_user_1234567890.json.xz")
    user = users(recs)["example_user"]
    assert (user.followers, user.following, user.posts_count) == (15234, 321, 245)
    assert (user.platform_id, user.verified, user.category) == ("1234567890", True, "Photographer")


def test_sample_folder_scrape_record_names_the_version(scraper_samples: Path) -> None:
    recs = run(scraper_samples / "instaloader")
    assert isinstance(recs[0], ScrapeRecord)
    assert (recs[0].source, recs[0].tool_version) == ("instaloader", "4.16")
    assert sum(isinstance(r, ScrapeRecord) for r in recs) == 1
    assert not rejects(recs)


# --------------------------------------------------------------------------- own fixtures


def test_profile_folder_from_a_dated_scrape() -> None:
    stats = ParseStats()
    recs = run(FIXTURES / "tree", stats)
    scrapes = [r for r in recs if isinstance(r, ScrapeRecord)]
    assert [s.started_at for s in scrapes] == [None, datetime(2024, 5, 3, 12, tzinfo=UTC)]
    assert all(s.tool_version == "4.16" for s in scrapes)
    got = posts(recs)
    assert set(got) == {"AAimage0001", "AAcarousel1", "AAreel00001", "story:3400000000000000001"}
    assert all(p.observed_at == datetime(2024, 5, 3, 12, tzinfo=UTC) for p in got.values())
    image = got["AAimage0001"]  # shape B: caption string, comments int, location in iphone_struct
    assert (image.likes, image.comments) == (120, 7)
    assert (image.location_id, image.location_slug) == ("111222333", "zermatt-village")
    assert image.features == ["bob_climbs"] and image.coauthors == ["collab_brand"]
    assert image.mentions == ["bob_climbs"]
    assert image.media_path == str(ALICE / "2024-04-30_08-00-00_UTC.jpg")
    carousel = got["AAcarousel1"]  # shape C: tags only in carousel_media
    assert carousel.features == ["bob_climbs", "carol.sees"] and carousel.carousel_size == 2
    assert carousel.hashtags == ["travel", "zürich"] and carousel.comments == 55
    assert carousel.media_path == str(ALICE / "2024-04-29_18-30-00_UTC_1.jpg")
    reel = got["AAreel00001"]
    assert reel.views == 2500000  # iphone_struct.play_count when video_view_count is absent
    story = got["story:3400000000000000001"]
    assert (story.type, story.views, story.author, story.shortcode) == ("story", 4321, "alice.travels", None)
    alice = users(recs)["alice.travels"]
    assert (alice.followers, alice.following, alice.posts_count, alice.verified) == (50210, 412, 733, True)
    assert not rejects(recs)
    # resume file, comments file, caption .txt, id file and media are skipped, not rejected
    assert stats.skipped["iterator_* resume file"] == 1
    assert stats.skipped["comments file (the post keeps its count)"] == 1
    assert (
        stats.skipped["media file"]
        + stats.skipped["caption or location .txt (in the post's .json)"]
        + stats.skipped["not a metadata file (.json / .json.xz)"]
        == 4
    )
    assert stats.skipped["caption or location .txt (in the post's .json)"] >= 1


def test_classic_graphql_node_and_instaloader_3() -> None:
    recs = run(FIXTURES / "old")
    got = posts(recs)
    old = got["OLDsidecar1"]  # shape A
    assert (old.type, old.carousel_size, old.likes, old.comments) == ("carousel", 3, 1045, 40)
    assert old.features == ["friend.one"]  # tagged on a child
    assert old.country == "CH"  # from location.address_json
    assert (old.width, old.height) == (1080, 1350)
    owner = users(recs)["old_timer"]  # the full owner Profile dict of a profile scrape
    assert (owner.followers, owner.following) == (15234, 321)
    v3 = got["V3shortcod"]
    assert (v3.likes, v3.comments, v3.author) == (64, 3, "v3_user")
    assert v3.posted_at == datetime(2017, 5, 1, tzinfo=UTC)
    scrape = recs[0]
    assert isinstance(scrape, ScrapeRecord) and scrape.tool_version == "4.10"
    assert not rejects(recs)


def test_odd_files() -> None:
    stats = ParseStats()
    recs = run(FIXTURES / "odd", stats)
    reasons = {Path(r.source).name: r.reason for r in rejects(recs) if "record kept" not in r.reason}
    assert "unknown instaloader node_type 'Highlight'" in reasons["highlight.json"]
    assert "without shortcode" in reasons["no_shortcode.json"]
    assert "not an instaloader structure" in reasons["not_instaloader.json"]
    assert "hashtag.json.xz" not in reasons and stats.skipped["Hashtag structure"] == 1
    bad = posts(recs)["AAimage0001"]  # bad values dropped, the post kept
    assert bad.comments is None and bad.likes is None and bad.posted_at is None
    kept = " | ".join(r.reason for r in rejects(recs) if "record kept" in r.reason)
    assert "comments: not a count: 'lots'" in kept and "negative count: -5" in kept and "not a date" in kept


def test_broken_xz_files(tmp_path: Path) -> None:
    good = (ALICE / "2024-04-30_08-00-00_UTC.json.xz").read_bytes()
    (tmp_path / "truncated.json.xz").write_bytes(good[: len(good) // 2])
    (tmp_path / "garbage.json.xz").write_bytes(b"this is not xz")
    with lzma.open(tmp_path / "badjson.json.xz", "wb") as f:
        f.write(b'{"node": {"shortcode": ')
    with lzma.open(tmp_path / "latin1.json.xz", "wb") as f:
        doc = json.loads(lzma.decompress(good))
        doc["node"]["caption"] = "caf\u00e9 #ok"
        f.write(json.dumps(doc, ensure_ascii=False).encode("latin-1"))  # not UTF-8
    stats = ParseStats()
    recs = run(tmp_path, stats)
    reasons = {Path(r.source).name: r.reason for r in rejects(recs)}
    assert "truncated" in reasons["truncated.json.xz"] or "not a valid .xz" in reasons["truncated.json.xz"]
    assert "not a valid .xz" in reasons["garbage.json.xz"]
    assert "invalid JSON" in reasons["badjson.json.xz"]
    post = posts(recs)["AAimage0001"]
    assert post.caption == "caf\ufffd #ok" and post.hashtags == ["ok"]  # bad byte replaced, rest kept
    assert stats.files_rejected == 3 and stats.files_parsed == 1


def test_mtime_fallback_and_a_mtime_set_to_the_post_date(tmp_path: Path) -> None:
    target = tmp_path / "alice.travels" / "2024-04-30_08-00-00_UTC.json.xz"
    target.parent.mkdir()
    shutil.copyfile(ALICE / target.name, target)
    when = datetime(2024, 5, 10, tzinfo=UTC).timestamp()
    os.utime(target, (when, when))
    assert posts(run(tmp_path))["AAimage0001"].observed_at == datetime(2024, 5, 10, tzinfo=UTC)
    posted = datetime(2024, 4, 30, 8, tzinfo=UTC).timestamp()
    os.utime(target, (posted, posted))  # a scraper that stamps files with the post date
    assert posts(run(tmp_path))["AAimage0001"].observed_at is None


def test_missing_path_and_scrape_ids_are_deterministic(tmp_path: Path) -> None:
    recs = run(tmp_path / "missing")
    assert isinstance(recs[0], ScrapeRecord) and "no such file" in rejects(recs)[0].reason
    first = [r.id for r in run(FIXTURES / "tree") if isinstance(r, ScrapeRecord)]
    again = [r.id for r in run(FIXTURES / "tree") if isinstance(r, ScrapeRecord)]
    assert first == again and first[1].endswith(":2024-05-03T120000")
