"""Issue 18: the exports people use today, on the project's own fixtures (one test per tool of
the alias table), the one user-key rule, lists as lists, dates, and fuzz tests of the new
parsers (Zeeschuimer, Instagram's "Download your information", list cells, the format sniffer)."""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influence import values
from influence.loaders import csv_input, follows, gallery_dl, instagram_export, sniff, zeeschuimer
from influence.loaders.common import ParseStats
from influence.loaders.csv_input.cleaning import list_literal, split_list
from influence.loaders.records import FollowRecord, PostRecord, Record, Reject, ScrapeRecord, UserRecord
from influence.text import normalise_hashtag, normalise_username, user_key

FIXTURES = Path(__file__).parents[1] / "fixtures" / "real_world"
EXPORTS = FIXTURES / "exports"


def posts(records: list[Record]) -> dict[str, PostRecord]:
    return {r.id: r for r in records if isinstance(r, PostRecord)}


def parsed(path: Path, kind: str = "posts", **kw: Any) -> list[Record]:
    return list(csv_input.parse(path, kind, **kw))


# --------------------------------------------------------------------------- one test per tool


def test_apify_instagram_columns() -> None:
    (post,) = posts(parsed(EXPORTS / "apify_instagram.csv")).values()
    assert (post.id, post.author, post.type, post.likes, post.comments, post.views) == (
        "CyApify0001",
        "fixture.owner",
        "reel",
        40,
        4,
        900,
    )  # videoViewCount beats videoPlayCount
    assert post.features == ["tag.person"] and post.coauthors == ["co.maker"] and post.hashtags == ["fixture"]


def test_twint_columns_lists_and_zone_abbreviation() -> None:
    (post,) = posts(parsed(EXPORTS / "twint.csv")).values()
    assert post.posted_at == datetime(2022, 7, 1, 10, 0, tzinfo=UTC)  # CEST = +02:00
    assert (post.author, post.caption, post.likes, post.shares, post.comments) == (
        "fixture_bird",
        "Hello @Other_Bird #Summer",
        9,
        5,
        2,
    )
    assert post.mentions == ["other_bird"] and post.hashtags == ["summer"]


def test_apify_tiktok_columns() -> None:
    records = parsed(EXPORTS / "tiktok.csv")
    (post,) = posts(records).values()
    assert (post.author, post.likes, post.views, post.shares, post.comments) == (
        "fixture.dancer",
        77,
        1000,
        3,
        8,
    )
    assert post.posted_at == datetime(2023, 11, 5, 20, 15, tzinfo=UTC) and post.hashtags == ["one", "two"]
    assert [r.followers for r in records if isinstance(r, UserRecord)] == [500]


def test_phantombuster_follower_export() -> None:
    records = parsed(EXPORTS / "phantombuster_followers.csv", "follows")
    assert [(r.follower, r.followed) for r in records if isinstance(r, FollowRecord)] == [
        ("fan.one", "fixture.brand")
    ]
    (user,) = [r for r in records if isinstance(r, UserRecord)]
    assert (user.full_name, user.private, user.verified) == ("Fan One", False, False)


def test_excel_serial_date_with_a_separate_time_column() -> None:
    got = {k: p.posted_at for k, p in posts(parsed(EXPORTS / "excel_date_time.csv")).items()}
    assert got == {
        "CyExcel0001": datetime(2023, 3, 15, 12, 0, tzinfo=UTC),
        "CyExcel0002": datetime(2023, 3, 16, 18, 30, tzinfo=UTC),
    }


def test_every_column_has_a_destination_in_the_stats() -> None:
    stats = ParseStats()
    list(csv_input.parse(EXPORTS / "apify_instagram.csv", "posts", stats=stats))
    seen = stats.columns["csv posts"]
    assert seen["taggedUsers/0/username"] == "features (list item)"
    assert seen["taggedUsers/0/full_name"].startswith("ignored")
    assert seen["videoPlayCount"].startswith("ignored (views is read from 'videoViewCount')")


def test_posts_table_without_needed_columns_stops_when_asked() -> None:
    from influence.errors import InputError

    with pytest.raises(InputError, match="no author column, no date column"):
        parsed(FIXTURES / "name_text_tags_when.csv", accept_missing=False)
    assert len(posts(parsed(FIXTURES / "name_text_tags_when.csv"))) == 2  # the library default accepts


def test_igraph_names_and_drawing_attributes() -> None:
    records = list(follows.parse(EXPORTS / "igraph.graphml"))
    users = [r for r in records if isinstance(r, UserRecord)]
    assert [(u.id, u.extra) for u in users] == [("fixture.a", {}), ("fixture.b", {})]
    assert [(r.follower, r.followed) for r in records if isinstance(r, FollowRecord)] == [
        ("fixture.a", "fixture.b")
    ]


def test_gallery_dl_avatar_is_counted_not_loaded() -> None:
    stats = ParseStats()
    got = posts(list(gallery_dl.parse(EXPORTS / "gallery_dl_avatar", stats=stats)))
    assert list(got) == ["CyPost00001"]
    assert stats.skipped == {"profile picture (subcategory avatar), not a post": 1}


def test_instagram_export_folder_and_zip(tmp_path: Path) -> None:
    folder = EXPORTS / "instagram-fixture.owner-2024-01-01-Ab12"
    archive = tmp_path / (folder.name + ".zip")
    with zipfile.ZipFile(archive, "w") as z:
        for f in folder.rglob("*"):
            if f.is_file():
                z.write(f, f.relative_to(folder).as_posix())
    for path in (folder, archive):
        (post,) = posts(list(instagram_export.parse(path))).values()
        assert (post.author, post.type, post.caption) == ("fixture.owner", "video", "Café video ☕")
        assert post.id.startswith("ig-export:")


def test_zeeschuimer_partial_and_tiktok_lines() -> None:
    stats = ParseStats()
    got = posts(list(zeeschuimer.parse(FIXTURES / "zeeschuimer_mixed.ndjson", stats=stats)))
    (post,) = got.values()
    assert (post.id, post.likes, post.comments, post.views) == ("CzTestZee01", 5, 1, None)
    assert post.observed_at == datetime(2024, 2, 22, 14, 34, 56, 123000, tzinfo=UTC)
    assert stats.skipped == {"tiktok item, not loaded (Instagram only)": 1}


@pytest.mark.parametrize(
    ("path", "loader"),
    [
        (FIXTURES / "zeeschuimer_mixed.ndjson", "zeeschuimer"),
        (EXPORTS / "instagram-fixture.owner-2024-01-01-Ab12", "instagram-export"),
        (EXPORTS / "gallery_dl_avatar", "gallery-dl"),
        (FIXTURES / "instaloader_owner_profile", "instaloader"),
        (FIXTURES / "profilecrawl_scrapped", "profilecrawl"),
    ],
)
def test_sniff_names_the_loader(path: Path, loader: str) -> None:
    assert sniff.guess(path) == loader


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    "written",
    [
        "https://www.instagram.com/Demo.Pier/",
        "instagram.com/demo.pier?hl=en",
        "https://m.instagram.com/_u/demo.pier/",
        "@Demo.Pier",
        " demo.pier ",
        "http://instagr.am/demo.pier#top",
    ],
)
def test_one_user_key_rule(written: str) -> None:
    assert normalise_username(written) == "demo.pier"
    assert csv_input.node_id(written) == "demo.pier"


def test_a_post_link_is_not_a_user() -> None:
    assert normalise_username("https://www.instagram.com/p/C2od683zYHH/") is None


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("['a', 'b']", ["a", "b"]),
        ('["a", "b"]', ["a", "b"]),
        ("[{'screen_name': 'x_y', 'name': 'X Y', 'id': '1'}]", ["x_y"]),
        ('[{"user": {"username": "Tagged.One"}}]', ["tagged.one"]),
        ("[]", []),
        ("a, b c", ["a", "b", "c"]),
    ],
)
def test_lists_as_lists(cell: str, names: list[str]) -> None:
    assert split_list(cell, normalise_username) == names


def test_zone_abbreviations() -> None:
    assert values.to_datetime("2021-03-04 06:06:07 CET") == datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert values.to_datetime("2021-03-04 06:06:07 EST") == datetime(2021, 3, 4, 11, 6, 7, tzinfo=UTC)
    with pytest.raises(ValueError, match="ambiguous time-zone abbreviation 'IST'"):
        values.to_datetime("2021-03-04 06:06:07 IST")
    with pytest.raises(ValueError, match="unknown time-zone abbreviation 'QQT'"):
        values.to_datetime("2021-03-04 06:06:07 QQT")


def test_excel_serials() -> None:
    assert values.to_datetime("45326.7777777778") == datetime(2024, 2, 4, 18, 40, tzinfo=UTC)
    with pytest.raises(ValueError, match="Excel"):
        values.to_datetime("12345")


# --------------------------------------------------------------------------- fuzz

PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)
ITEM_KEYS = sorted(zeeschuimer.ITEM_KEYS) + ["like_and_view_counts_disabled", "_zs_partial"]
items = st.dictionaries(st.sampled_from(ITEM_KEYS), json_values, max_size=12)
lines = st.fixed_dictionaries(
    {"data": items | json_values},
    optional={
        "timestamp_collected": scalars,
        "source_platform": st.sampled_from(["instagram.com", "tiktok.com", ""]) | scalars,
    },
)


def _contract(records: list[Record]) -> None:
    assert isinstance(records[0], ScrapeRecord)
    for r in records:
        if isinstance(r, Reject):
            assert r.reason
            json.dumps(r.raw, allow_nan=False)
        elif isinstance(r, PostRecord):
            assert r.author is None or normalise_username(r.author) == r.author
            assert all(normalise_hashtag(t) == t for t in r.hashtags)
            for count in (r.likes, r.comments, r.views):
                assert count is None or (isinstance(count, int) and count >= 0)
        elif isinstance(r, FollowRecord):
            assert (
                normalise_username(r.follower) == r.follower and normalise_username(r.followed) == r.followed
            )


@PROPS
@given(docs=st.lists(lines | json_values, min_size=1, max_size=4))
def test_fuzz_zeeschuimer(docs: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "x.ndjson"
        file.write_text("\n".join(json.dumps(d) for d in docs))
        _contract(list(zeeschuimer.parse(file)))
        sniff.guess(file)


people = st.fixed_dictionaries(
    {},
    optional={
        "title": scalars,
        "string_list_data": st.lists(
            st.dictionaries(st.sampled_from(["href", "value", "timestamp"]), scalars), max_size=2
        )
        | json_values,
    },
)
export_posts = st.fixed_dictionaries(
    {},
    optional={
        "media": st.lists(
            st.dictionaries(st.sampled_from(["uri", "creation_timestamp", "title"]), scalars), max_size=3
        )
        | json_values,
        "title": scalars,
        "creation_timestamp": scalars,
    },
)


@PROPS
@given(
    followers=st.lists(people, max_size=4) | json_values,
    posts_doc=st.lists(export_posts, max_size=3) | json_values,
    following=st.dictionaries(st.just("relationships_following"), st.lists(people, max_size=3)) | json_values,
)
def test_fuzz_instagram_export(followers: Any, posts_doc: Any, following: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "instagram-fuzz.user-2024-01-01-X1"
        (root / "connections" / "followers_and_following").mkdir(parents=True)
        (root / "content").mkdir()
        (root / "connections" / "followers_and_following" / "followers_1.json").write_text(
            json.dumps(followers)
        )
        (root / "connections" / "followers_and_following" / "following.json").write_text(
            json.dumps(following)
        )
        (root / "content" / "posts_1.json").write_text(json.dumps(posts_doc))
        _contract(list(instagram_export.parse(root)))
        assert sniff.guess(root) == "instagram-export"


@PROPS
@given(cell=st.text(max_size=80) | json_values.map(json.dumps) | json_values.map(repr))
def test_fuzz_list_cells(cell: str) -> None:
    for name in split_list(cell, normalise_username):
        assert normalise_username(name) == name
    got = list_literal(cell)
    assert got is None or isinstance(got, list)


@PROPS
@given(value=st.text(max_size=60))
def test_fuzz_user_key_and_dates(value: str) -> None:
    assert isinstance(user_key(value), str)
    name = normalise_username(value)
    assert name is None or normalise_username(name) == name
    try:
        got = values.to_datetime(value)
    except ValueError:
        return
    assert got is None or got.tzinfo is not None


def test_instagram_export_reels() -> None:
    (post,) = posts(list(instagram_export.parse(EXPORTS / "instagram-reel.owner-2024-05-01-Q1"))).values()
    assert (post.author, post.type, post.hashtags) == ("reel.owner", "reel", ["go"])
    assert post.posted_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
