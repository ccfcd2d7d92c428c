"""instagram-profilecrawl parser: fixtures written for the quirks, the real 2017 crawl, fuzzing."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influence.loaders import profilecrawl
from influence.loaders.records import PostRecord, Record, Reject, ScrapeRecord, UserRecord

FIXTURES = Path(__file__).parents[1] / "fixtures" / "profilecrawl" / "crawl"


def _by_type(records: list[Record]) -> dict[type, list[Record]]:
    out: dict[type, list[Record]] = {}
    for r in records:
        out.setdefault(type(r), []).append(r)
    return out


@pytest.fixture(scope="module")
def fixture_records() -> list[Record]:
    return list(profilecrawl.parse(FIXTURES))


def test_scrape_record_first_and_deterministic(fixture_records: list[Record]) -> None:
    first = fixture_records[0]
    assert isinstance(first, ScrapeRecord)
    assert first.source == "profilecrawl"
    assert first.id == f"profilecrawl:{FIXTURES.resolve()}"
    assert list(profilecrawl.parse(FIXTURES))[0] == first
    assert not any(isinstance(r, ScrapeRecord) for r in fixture_records[1:])


def test_alias_is_handle_and_username_is_display_name(fixture_records: list[Record]) -> None:
    users = {u.id: u for u in _by_type(fixture_records)[UserRecord]}  # type: ignore[union-attr]
    alice = users["alice.climbs"]
    assert alice.username == "alice.climbs"
    assert alice.full_name == "Alice — climbing & coffee"
    assert alice.followers == 124_000  # "124k"
    assert alice.posts_count == 1234  # "1,234"
    assert alice.following == 310
    assert alice.private is False
    assert alice.biography == "Climber. Coffee. @bob_belay"
    assert alice.extra == {"website": "https://alice.example"}


def test_upstream_shape_username_is_handle(fixture_records: list[Record]) -> None:
    users = {u.id: u for u in _by_type(fixture_records)[UserRecord]}  # type: ignore[union-attr]
    tim = users["grossertim"]
    assert tim.full_name == "Tim Großmann"
    assert tim.followers == 560  # {"count": 560, "list": []}
    assert tim.posts_count == 127
    posts = [p for p in _by_type(fixture_records)[PostRecord] if p.author == "grossertim"]  # type: ignore[union-attr]
    assert [p.id for p in posts] == ["BQaaa3"]
    assert posts[0].likes == 284 and posts[0].comments == 12 and posts[0].caption == "Lunch"
    assert posts[0].hashtags == ["vegan", "food"]
    # the file's own crawl time wins over the inferred one
    assert posts[0].observed_at == datetime(2018, 2, 1, 10, tzinfo=UTC)


def test_posts(fixture_records: list[Record]) -> None:
    posts = {p.id: p for p in _by_type(fixture_records)[PostRecord]}  # type: ignore[union-attr]
    assert set(posts) == {"BTaaaa1", "BTbbbb2", "BQaaa3"}
    a = posts["BTaaaa1"]
    assert a.author == "alice.climbs"
    assert a.url == "https://www.instagram.com/p/BTaaaa1/"
    assert a.type == "carousel"
    assert a.likes == 2500 and a.comments == 12
    assert a.views is None  # the crawler writes 0 for "not captured"
    assert a.hashtags == ["bouldering", "fontainebleau"]
    assert a.mentions == ["bob_belay"]
    assert a.posted_at == datetime(2017, 4, 24, 5, tzinfo=UTC)
    assert a.language == "en"
    assert a.location_name == "Fontainebleau, France"
    assert a.location_slug == "fontainebleau,-france"
    b = posts["BTbbbb2"]
    assert b.type == "video"
    assert b.posted_at is None  # 1970 placeholder
    assert b.comments is None  # "many" is dropped, the post kept
    # empty source lists: taken from the caption (with a non-breaking space between tags)
    assert b.hashtags == ["trainingday", "hangboard"]
    assert b.mentions == ["gym.crew"]


def test_inferred_crawl_time_is_end_of_latest_post_day(fixture_records: list[Record]) -> None:
    scrape = fixture_records[0]
    assert isinstance(scrape, ScrapeRecord)
    # grossertim.json carries its own crawl time (2018-02-01T10:00Z), the latest in the input
    assert scrape.started_at == datetime(2018, 2, 1, 10, tzinfo=UTC)
    only_alice = list(profilecrawl.parse(FIXTURES / "alice.json"))
    assert only_alice[0].started_at == datetime(2017, 4, 25, 5, tzinfo=UTC)  # type: ignore[union-attr]
    assert all(
        p.observed_at == datetime(2017, 4, 25, 5, tzinfo=UTC) for p in only_alice if isinstance(p, PostRecord)
    )


def test_explicit_observed_at() -> None:
    when = datetime(2017, 4, 26, 23, tzinfo=UTC)
    records = list(profilecrawl.parse(FIXTURES / "alice.json", observed_at=when))
    assert records[0].started_at == when  # type: ignore[union-attr]
    assert {p.observed_at for p in records if isinstance(p, PostRecord)} == {when}


def test_rejects_carry_reasons(fixture_records: list[Record]) -> None:
    rejects = _by_type(fixture_records)[Reject]
    by_file = Counter(Path(r.source).name for r in rejects)  # type: ignore[union-attr]
    reasons = {(Path(r.source).name, r.position): r.reason for r in rejects}  # type: ignore[union-attr]
    assert "crawler error page" in reasons[("Sorry, something went wrong..json", "document")]
    assert "not a JSON file" in reasons[("broken.json", "file")]
    assert "expected a JSON object" in reasons[("notaprofile.json", "document")]
    assert "empty file" in reasons[("empty.json", "file")]
    assert "not a list" in reasons[("carol.json", "posts")]
    assert "/p/<shortcode>/" in reasons[("alice.json", "posts[2]")]
    assert "expected a post object" in reasons[("alice.json", "posts[3]")]
    assert ("alice.json", "posts[1].numberComments") in reasons
    assert by_file["alice.json"] == 3
    for r in rejects:
        json.dumps(r.raw)  # raw is JSON-serialisable for the rejects file  # type: ignore[union-attr]


def test_missing_path() -> None:
    records = list(profilecrawl.parse(Path("/nonexistent/profiles")))
    assert isinstance(records[0], ScrapeRecord)
    assert isinstance(records[1], Reject) and "no such file" in records[1].reason


def test_shortcode() -> None:
    assert profilecrawl.shortcode("https://www.instagram.com/p/BDfyL4fg54j/?taken-by=0vse") == "BDfyL4fg54j"
    assert profilecrawl.shortcode("https://instagram.com/reel/C1-x_y/") == "C1-x_y"
    assert profilecrawl.shortcode("https://example.com/p/abc/") is None
    assert profilecrawl.shortcode("no url") is None


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real_dir(shared_data: Path) -> Path:
    return shared_data / "instagram-profilecrawl-2017" / "profiles"


@pytest.fixture(scope="module")
def real_records(real_dir: Path) -> list[Record]:
    return list(profilecrawl.parse(real_dir))


def test_real_crawl_matches_raw_files(real_dir: Path, real_records: list[Record]) -> None:
    raw = {}
    for f in real_dir.glob("*.json"):
        raw[f.name] = json.loads(f.read_text(encoding="utf-8"))
    profiles = {d["alias"].lower(): d for d in raw.values() if " " not in d["alias"]}
    error_pages = [name for name, d in raw.items() if " " in d["alias"]]
    kinds = _by_type(real_records)
    users = {u.id: u for u in kinds[UserRecord]}  # type: ignore[union-attr]
    posts = kinds[PostRecord]
    assert set(users) == set(profiles)
    assert len(posts) == sum(len(d["posts"]) for d in profiles.values())
    rejects = kinds.get(Reject, [])
    assert sorted(Path(r.source).name for r in rejects) == sorted(error_pages)  # type: ignore[union-attr]
    assert error_pages, "the crawl holds at least one crawler error page"
    for handle, d in profiles.items():
        u = users[handle]
        assert (u.followers, u.following, u.posts_count) == (
            d["numberFollowers"],
            d["numberFollowing"],
            d["numberPosts"],
        )
        assert u.full_name == (d["username"].strip() or None if d["username"] else None)
    raw_posts = {
        p["url"].split("/p/")[1].split("/")[0]: (handle, p)
        for handle, d in profiles.items()
        for p in d["posts"]
    }
    assert {p.id for p in posts} == set(raw_posts)  # type: ignore[union-attr]
    for p in posts:
        handle, rp = raw_posts[p.id]  # type: ignore[union-attr]
        assert p.author == handle  # type: ignore[union-attr]
        assert p.likes == rp["numberLikes"] and p.comments == rp["numberComments"]  # type: ignore[union-attr]
        # Instagram hashtags are never all digits ("#1" is not one)
        expected = list(
            dict.fromkeys(t.lstrip("#").lower() for t in rp["tags"] if not t.lstrip("#").isdigit())
        )
        if expected:
            assert p.hashtags == expected  # type: ignore[union-attr]
    placeholders = sum(1 for d in profiles.values() for p in d["posts"] if p["date"].startswith("1970"))
    assert placeholders > 0
    assert sum(1 for p in posts if p.posted_at is None) == placeholders  # type: ignore[union-attr]


def test_real_crawl_time(real_records: list[Record]) -> None:
    scrape = real_records[0]
    assert isinstance(scrape, ScrapeRecord)
    # latest post date in the crawl is 2017-04-26 (US-Central midnight = 05:00Z): end of that day
    assert scrape.started_at == datetime(2017, 4, 27, 5, tzinfo=UTC)
    assert all(p.observed_at == scrape.started_at for p in real_records if isinstance(p, PostRecord))
    assert all(
        p.posted_at is None or p.posted_at < scrape.started_at  # type: ignore[operator]
        for p in real_records
        if isinstance(p, PostRecord)
    )


# --------------------------------------------------------------------------- fuzzing

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_post = st.fixed_dictionaries(
    {},
    optional={
        "url": st.one_of(st.text(max_size=30), st.just("https://www.instagram.com/p/Abc_1/"), _json),
        "numberLikes": _json,
        "numberComments": _json,
        "numberViews": _json,
        "isVideo": _json,
        "multipleImage": _json,
        "tags": _json,
        "mentions": _json,
        "description": _json,
        "localization": _json,
        "date": st.one_of(_json, st.just("2017-04-24T05:00:00.000Z")),
    },
)
_profile = st.fixed_dictionaries(
    {},
    optional={
        "alias": st.one_of(st.text(max_size=31), _json),
        "username": st.one_of(st.text(max_size=31), _json),
        "urlProfile": _json,
        "numberFollowers": _json,
        "numberFollowing": _json,
        "numberPosts": _json,
        "private": _json,
        "descriptionProfile": _json,
        "website": _json,
        "scraped": _json,
        "posts": st.one_of(st.lists(st.one_of(_post, _json), max_size=4), _json),
    },
)


def _check_stream(records: list[Record]) -> None:
    assert isinstance(records[0], ScrapeRecord)
    for r in records[1:]:
        assert isinstance(r, UserRecord | PostRecord | Reject)
        if isinstance(r, Reject):
            json.dumps(r.raw)
            assert r.reason


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.one_of(_profile, _json))
def test_fuzz_json_never_raises(doc: object) -> None:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "p.json"
        f.write_text(json.dumps(doc), encoding="utf-8")
        _check_stream(list(profilecrawl.parse(Path(d))))


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300))
def test_fuzz_bytes_never_raise(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "p.json").write_bytes(data)
        records = list(profilecrawl.parse(Path(d) / "p.json"))
        _check_stream(records)
        assert len(records) >= 2  # bytes either parse into something or are rejected


def test_every_key_is_reported_with_where_it_went(tmp_path: Path) -> None:
    from influence.loaders.common import ParseStats

    doc = {
        "alias": "ann",
        "username": "Ann",
        "numberFollowers": 10,
        "videos": [{"url": "x"}],
        "posts": [
            {
                "url": "https://www.instagram.com/p/Abc123/",
                "numberLikes": 3,
                "urlImage": "i.jpg",
                "date": "2017-04-01",
            }
        ],
    }
    (tmp_path / "ann.json").write_text(json.dumps(doc), encoding="utf-8")
    stats = ParseStats()
    list(profilecrawl.parse(tmp_path, stats=stats))
    profile, post = stats.columns["profilecrawl profile"], stats.columns["profilecrawl post"]
    assert profile["numberFollowers"] == "followers" and profile["videos"] == "ignored"
    assert post["numberLikes"] == "likes" and post["date"] == "postedAt" and post["urlImage"] == "ignored"
