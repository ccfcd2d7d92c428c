"""Real-world input shapes (issue 10): each kind of fault of ``shared/cases/real-world-inputs``
fixed in the parsers, tested on the project's own fixtures (``fixtures/real_world``).

The CLI tests of the same kinds against the real database are in
``test_real_world_load_cli.py``.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from influence import text, values
from influence.loaders import cells, csv_input
from influence.loaders.records import PostRecord, Record, Reject, UserRecord

FIXTURES = Path(__file__).parents[1] / "fixtures" / "real_world"


def _of(records: list[Record], kind: type) -> list:  # type: ignore[type-arg]
    return [r for r in records if isinstance(r, kind)]


# --------------------------------------------------------------------------- text in every script


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Sunrise ภูเขา #ภูเขา #यात्रा #hiking", ["ภูเขา", "यात्रा", "hiking"]),  # vowel signs, virama
        ("#தமிழ் #ಕನ್ನಡ #ສະບາຍດີ #မြန်မာ", ["தமிழ்", "ಕನ್ನಡ", "ສະບາຍດີ", "မြန်မာ"]),  # Tamil, Kannada, Lao, Burmese
        ("#عید_مبارک #שלום #Привет", ["عید_مبارک", "שלום", "привет"]),
        ("#travel✨ #coffee☕ #night.", ["travel", "coffee", "night"]),  # a tag ends at an emoji or a stop
        ("#می\u200cخواهم", ["می\u200cخواهم"]),  # ZWNJ inside a Persian tag is kept
    ],
)
def test_hashtags_in_any_script(caption: str, expected: list[str]) -> None:
    assert text.extract_hashtags(caption) == expected


def test_hashtags_are_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "#Café #café")
    assert text.extract_hashtags(decomposed) == ["café"]
    assert text.normalise_hashtag(unicodedata.normalize("NFD", "#Été")) == "été"
    assert text.extract_mentions(unicodedata.normalize("NFD", "merci @chef.anne")) == ["chef.anne"]


def test_instaloader_post_keeps_thai_and_hindi_hashtags(tmp_path: Path) -> None:
    from influence.loaders import instaloader

    post = FIXTURES / "instaloader_thai" / "2024-04-01_06-00-00_UTC.json"
    records = list(instaloader.parse(post))
    (p,) = _of(records, PostRecord)
    assert p.hashtags == ["ดอยสุเทพ", "नमस्ते", "trail"]


def test_gallery_dl_tags_cut_by_its_own_regex_do_not_drop_caption_tags() -> None:
    from influence.loaders import gallery_dl

    # gallery-dl's tags come from re.findall(r"#\w+"), which stops at a combining mark
    assert gallery_dl.hashtags_from(["#ภ", "#य", "#hiking"], "#ภูเขา #यात्रा #hiking") == [
        "ภูเขา",
        "यात्रा",
        "hiking",
    ]


# --------------------------------------------------------------------------- CSV as people write it


def test_excel_sep_line_sets_the_delimiter_and_placeholders_are_empty() -> None:
    records = list(csv_input.parse(FIXTURES / "excel_sep_accounts.csv", "accounts"))
    assert not _of(records, Reject)
    users = {u.id: u for u in _of(records, UserRecord)}
    assert set(users) == {"kiln.and.clay", "soup.kitchen.ok"}
    kiln, soup = users["kiln.and.clay"], users["soup.kitchen.ok"]
    assert (kiln.followers, kiln.following, kiln.posts_count) == (8120, 95, 310)
    assert (soup.followers, soup.following, soup.posts_count) == (77, 1402, 12)
    assert soup.verified is True and kiln.verified is False
    for user in (kiln, soup):  # None, -None, N/A cells are empty: no email/phone property at all
        assert "email" not in user.extra and "phone" not in user.extra
    assert "url" not in soup.extra and kiln.extra["url"] == "https://kiln.example"
    assert kiln.extra["business"] is True and soup.extra["business"] is False


def test_sep_line_keeps_file_line_numbers(tmp_path: Path) -> None:
    data = tmp_path / "a.csv"
    data.write_text("sep=,\nusername,followers\nok_user,10\nNot A Handle!,3\n")
    records = list(csv_input.parse(data, "accounts"))
    (bad,) = _of(records, Reject)
    assert bad.position == "line 4"


def test_decimal_commas_in_every_numeric_column() -> None:
    records = list(csv_input.parse(FIXTURES / "decimal_comma_roster.csv", "accounts"))
    assert not _of(records, Reject)
    users = {u.id: u for u in _of(records, UserRecord)}
    a, b = users["test_creator_a"], users["test_creator_b"]
    assert a.full_name == "Forsøk En" and a.followers == 2002 and b.followers == 7500
    assert a.extra["attr_engagement_rate"] == 4.25 and b.extra["attr_engagement_rate"] == 1.0
    assert a.extra["avg_likes"] == 2400 and b.extra["avg_likes"] == 880
    assert a.extra["_60_day_eng_rate"] == 0.025 and b.extra["_60_day_eng_rate"] == 0.005
    for name in ("attr_engagement_rate", "avg_likes", "_60_day_eng_rate"):  # one type per column
        assert {type(a.extra[name]), type(b.extra[name])} <= {int, float}
    assert a.extra["region"] == "Tromsø"


def test_a_column_is_typed_as_a_whole(tmp_path: Path) -> None:
    data = tmp_path / "a.csv"
    data.write_text("username,score,code\nu_one,1.5,12\nu_two,2,AB\nu_three,n/a,7\n")
    records = list(csv_input.parse(data, "accounts"))
    users = {u.id: u for u in _of(records, UserRecord)}
    assert [users[u].extra.get("score") for u in ("u_one", "u_two", "u_three")] == [1.5, 2.0, None]
    assert [users[u].extra.get("code") for u in ("u_one", "u_two", "u_three")] == [
        "12",
        "AB",
        "7",
    ]  # text column


@pytest.mark.parametrize(
    ("cells_in", "delimiter", "mark"),
    [
        (["3,5", "12"], ",", ","),
        (["1,234.5"], ",", "."),
        (["1.234,5"], ",", ","),
        (["1,234"], ",", "."),
        (["1,234"], ";", ","),
        (["0.45%"], ";", "."),
    ],
)
def test_decimal_mark_of_a_column(cells_in: list[str], delimiter: str, mark: str) -> None:
    assert cells.decimal_mark(cells_in, delimiter) == mark


@pytest.mark.parametrize(
    ("cell", "mark", "expected"),
    [
        ("3,5", ",", 3.5),
        ("1,2k", ",", 1200),
        ("1,39%", ",", 0.0139),
        ("1.234", ",", 1234),
        ("1.234", ".", 1.234),
        ("1 234,5", ",", 1234.5),
        ("12\u00a0500", ".", 12500),
        ("-4", ".", -4),
        ("abc", ".", None),
        ("1,2,3", ",", None),
    ],
)
def test_parse_number(cell: str, mark: str, expected: float | None) -> None:
    assert cells.parse_number(cell, mark) == expected


def test_mojibake_repaired_in_any_script() -> None:
    records = list(csv_input.parse(FIXTURES / "mojibake_posts.csv", "posts"))
    posts = {p.id: p for p in _of(records, PostRecord)}
    assert posts["CyTestMoji01"].caption == "Soup night 🍜 #dinner✨ #ต้มยำ"
    assert posts["CyTestMoji01"].hashtags == ["dinner", "ต้มยำ"]
    assert posts["CyTestMoji02"].caption == "Leftovers 😅 #lunch"
    # text that is right as it is stays as written
    assert csv_input.fix_text("“quoted” Zürich ½") == "“quoted” Zürich ½"


# --------------------------------------------------------------------------- dates


def test_epoch_milliseconds_are_dates() -> None:
    records = list(csv_input.parse(FIXTURES / "epoch_ms_posts.csv", "posts"))
    assert not _of(records, Reject)
    want = datetime(2023, 7, 1, 16, 0, tzinfo=UTC)
    assert [p.posted_at for p in _of(records, PostRecord)] == [want, want]


def test_day_first_column_decided_by_its_unambiguous_values() -> None:
    records = list(csv_input.parse(FIXTURES / "day_first_tweets.csv", "posts"))
    assert not _of(records, Reject)
    posts = {p.id: p for p in _of(records, PostRecord)}
    assert posts["1700000000000000011"].posted_at == datetime(2019, 3, 14, 17, 45, tzinfo=UTC)
    assert posts["1700000000000000012"].posted_at == datetime(
        2019, 4, 3, 8, 5, tzinfo=UTC
    )  # 3 April, not 4 March
    assert posts["1700000000000000011"].likes == 9 and posts["1700000000000000011"].shares == 2


def test_an_ambiguous_column_is_never_silently_month_first() -> None:
    records = list(csv_input.parse(FIXTURES / "ambiguous_dates.csv", "posts"))
    (post,) = _of(records, PostRecord)
    assert post.posted_at is None
    (bad,) = _of(records, Reject)
    assert "ambiguous date" in bad.reason and "--date-format" in bad.reason
    for fmt, want in (
        ("dayfirst", datetime(2019, 4, 3, 8, 5, tzinfo=UTC)),
        ("monthfirst", datetime(2019, 3, 4, 8, 5, tzinfo=UTC)),
        ("%d/%m/%Y %H:%M", datetime(2019, 4, 3, 8, 5, tzinfo=UTC)),
    ):
        (post,) = _of(
            list(csv_input.parse(FIXTURES / "ambiguous_dates.csv", "posts", date_format=fmt)), PostRecord
        )
        assert post.posted_at == want, fmt


def test_twitter_and_rfc_2822_dates() -> None:
    records = list(csv_input.parse(FIXTURES / "written_dates.csv", "posts"))
    assert not _of(records, Reject)
    posts = [p.posted_at for p in _of(records, PostRecord)]
    assert posts == [
        datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC),
        datetime(2018, 10, 11, 20, 19, 24, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1688227200000, datetime(2023, 7, 1, 16, tzinfo=UTC)),
        ("1688227200000", datetime(2023, 7, 1, 16, tzinfo=UTC)),
        ("2023-07-01T18:00:00+02:00", datetime(2023, 7, 1, 16, tzinfo=UTC)),
        ("Sat, 01 Jul 2023 16:00:00 GMT", datetime(2023, 7, 1, 16, tzinfo=UTC)),
        ("Sat Jul 01 16:00:00 +0000 2023", datetime(2023, 7, 1, 16, tzinfo=UTC)),
        ("27/12/2016 04:04", datetime(2016, 12, 27, 4, 4, tzinfo=UTC)),
        ("12/27/2016 04:04", datetime(2016, 12, 27, 4, 4, tzinfo=UTC)),
    ],
)
def test_to_datetime_reads_exporters_dates(raw: object, expected: datetime) -> None:
    assert values.to_datetime(raw) == expected


def test_to_datetime_refuses_numbers_and_words() -> None:
    for bad in ("5", "12", "yesterday", "05/01/2017"):
        with pytest.raises(ValueError):
            values.to_datetime(bad)
    assert values.date_order(["05/01/2017", "27/12/2016"]) == values.DAY_FIRST
    assert values.date_order(["05/01/2017", "12/27/2016"]) == values.MONTH_FIRST
    assert values.date_order(["05/01/2017"]) is None


# --------------------------------------------------------------------------- graph files


def _edges(records: list[Record]) -> set[tuple[str, str, float | None]]:
    from influence.loaders.records import FollowRecord

    return {(r.follower, r.followed, r.weight) for r in records if isinstance(r, FollowRecord)}


# chef.ana <-> chef_bo (5), chef.cy -> chef.ana (0.5): the same graph in every format
MIXED = {("chef.ana", "chef_bo", 5.0), ("chef_bo", "chef.ana", 5.0), ("chef.cy", "chef.ana", 0.5)}


def test_gexf_labels_attributes_weights_and_direction() -> None:
    from influence.loaders import follows

    assert follows.detect_format(FIXTURES / "collab.gexf") == "gexf"
    records = list(follows.parse(FIXTURES / "collab.gexf"))
    assert not _of(records, Reject)
    assert _edges(records) == MIXED
    users = {u.id: u for u in _of(records, UserRecord)}
    assert set(users) == {"chef.ana", "chef_bo", "chef.cy"}
    assert users["chef.ana"].username == "Chef.Ana" and users["chef.ana"].followers == 5400
    assert (
        users["chef.ana"].extra["niche"] == "baking" and users["chef_bo"].extra["niche"] == "food"
    )  # default


def test_gephi_edge_table_type_column() -> None:
    from influence.loaders import follows

    records = list(follows.parse(FIXTURES / "gephi_edges.csv"))
    assert not _of(records, Reject)
    assert _edges(records) == MIXED


def test_headerless_numeric_csv_is_a_snap_edge_list() -> None:
    from influence.loaders import follows

    assert follows.detect_format(FIXTURES / "snap_signed.csv") == "edgelist"
    records = list(follows.parse(FIXTURES / "snap_signed.csv"))
    assert not _of(records, Reject) and not _of(records, UserRecord)  # no junk nodes from a "header"
    assert _edges(records) == {("10", "20", 3.0), ("10", "30", 1.0), ("40", "10", 8.0)}


def test_gml_and_pajek_through_networkx() -> None:
    from influence.loaders import follows

    gml = list(follows.parse(FIXTURES / "collab.gml"))
    assert not _of(gml, Reject)
    assert _edges(gml) == {("chef.ana", "chef_bo", 5.0), ("chef_bo", "chef.ana", 5.0)}
    users = {u.id: u for u in _of(gml, UserRecord)}
    assert users["chef.ana"].followers == 5400 and users["chef_bo"].extra == {"niche": "grill"}
    net = list(follows.parse(FIXTURES / "collab.net"))
    assert not _of(net, Reject)
    assert _edges(net) == {("chef.cy", "chef.ana", 0.5), ("chef.ana", "chef_bo", 5.0)}


@pytest.mark.parametrize(
    ("name", "says"), [("collab.dot", "Graphviz DOT"), ("other.xml", "neither GraphML nor GEXF")]
)
def test_an_unsupported_graph_format_is_a_reject_that_names_it(name: str, says: str) -> None:
    from influence.loaders import follows

    records = list(follows.parse(FIXTURES / name))
    assert not _edges(records) and not _of(records, UserRecord)
    (bad,) = _of(records, Reject)
    assert says in bad.reason and "GraphML" in bad.reason


# --------------------------------------------------------------------------- instagram-profilecrawl versions


def test_profilecrawl_later_version_handle_lists_location_and_none() -> None:
    from influence.loaders import profilecrawl
    from influence.loaders.records import FollowRecord, LikeRecord

    records = list(profilecrawl.parse(FIXTURES / "profilecrawl_later"))
    users = {u.id: u for u in _of(records, UserRecord)}
    owner = users["oven.notes"]  # username is the handle, alias the display name
    assert owner.full_name == "Ovens" and "ovens" not in users
    assert owner.biography is None and "website" not in owner.extra  # the literal "None"
    assert owner.followers == 2 and owner.following == 1 and owner.posts_count == 40
    follows = {(f.follower, f.followed) for f in _of(records, FollowRecord)}
    assert follows == {("crumb_one", "oven.notes"), ("crumb.two", "oven.notes"), ("oven.notes", "flour.mill")}
    likes = {(like.user, like.post) for like in _of(records, LikeRecord)}
    assert likes == {("crumb_one", "CyTestCrawl1"), ("flour.mill", "CyTestCrawl1")}
    posts = {p.id: p for p in _of(records, PostRecord)}
    first, second = posts["CyTestCrawl1"], posts["CyTestCrawl2"]
    assert first.caption is None and first.author == "oven.notes"
    assert (first.location_id, first.location_name, first.location_slug) == (
        "112233",
        "Mill Cafe",
        "mill-cafe",
    )
    assert first.views is None and second.likes is None  # -1: not captured
    assert first.observed_at == datetime(2019, 4, 25, 12, 30, tzinfo=UTC)
    reasons = [r.reason for r in _of(records, Reject)]
    assert any("not a username" in r for r in reasons)  # "Not A Name!" in followers.list
    assert any(r.startswith("comments list not loaded: 1 comment") for r in reasons)


def test_profilecrawl_scrapped_key_is_the_crawl_time() -> None:
    from influence.loaders import profilecrawl

    records = list(profilecrawl.parse(FIXTURES / "profilecrawl_scrapped"))
    (post,) = _of(records, PostRecord)
    assert post.observed_at == datetime(2018, 11, 2, 6, 15, tzinfo=UTC)
    assert {u.id for u in _of(records, UserRecord)} == {"oven.notes"}


# --------------------------------------------------------------------------- gallery-dl, instaloader: nothing skipped in silence


def test_gallery_dl_url_list_named_as_a_follow_list_gives_follows() -> None:
    from influence.loaders import gallery_dl
    from influence.loaders.common import ParseStats
    from influence.loaders.records import FollowRecord

    for path in (FIXTURES / "gallery_dl_urls", FIXTURES / "gallery_dl_urls" / "corner.store.followers.txt"):
        records = list(gallery_dl.parse(path, stats=ParseStats()))
        follows = {(f.follower, f.followed) for f in _of(records, FollowRecord)}
        assert follows == {("tea.house.demo", "corner.store"), ("bread.club", "corner.store")}


def test_gallery_dl_url_list_of_posts_is_a_reject_that_says_how_to_dump() -> None:
    from influence.loaders import gallery_dl

    records = list(gallery_dl.parse(FIXTURES / "gallery_dl_urls" / "posts-urls.txt"))
    (bad,) = _of(records, Reject)
    assert "-g URL list" in bad.reason and "gallery-dl -j" in bad.reason
    folder = list(gallery_dl.parse(FIXTURES / "gallery_dl_urls"))  # in a folder load too, not skipped
    assert any("-g URL list" in r.reason for r in _of(folder, Reject))


def test_gallery_dl_metadata_in_txt_files_and_skips_counted_and_named() -> None:
    from influence.loaders import gallery_dl
    from influence.loaders.common import ParseStats

    named: list[tuple[str, str]] = []
    stats = ParseStats(on_skip=lambda file, why: named.append((file.name, why)))
    records = list(gallery_dl.parse(FIXTURES / "gallery_dl_txt", stats=stats))
    (post,) = _of(records, PostRecord)
    assert post.id == "CyTestTxt01" and post.author == "demo.dock" and post.hashtags == ["dock"]
    assert stats.skipped == {"media file": 1, "text file that is not metadata (not JSON)": 1}
    assert sorted(named) == [
        ("demo.dock_3300000000000000991.jpg", "media file"),
        ("notes.txt", "text file that is not metadata (not JSON)"),
    ]


def test_gallery_dl_saved_posts_keep_their_owner_by_platform_id() -> None:
    from influence.loaders import gallery_dl

    records = list(gallery_dl.parse(FIXTURES / "gallery_dl_saved"))
    (post,) = _of(records, PostRecord)  # the two files are one carousel post
    assert post.id == "CyTestSave01" and post.type == "carousel" and post.carousel_size == 2
    assert post.author is None and post.owner_id == "4440091"
    assert not _of(records, UserRecord)  # no phantom user for the missing username


def test_instaloader_comments_file() -> None:
    from influence.loaders import instaloader
    from influence.loaders.common import ParseStats

    folder = FIXTURES / "instaloader_comments"
    stats = ParseStats()
    records = list(instaloader.parse(folder, stats=stats))
    assert [p.id for p in _of(records, PostRecord)] == ["CyTestCmt001"]
    assert stats.skipped == {"comments file (the post keeps its count)": 1}
    (bad,) = _of(
        list(instaloader.parse(folder / "demo.hiker" / "2024-04-01_06-00-00_UTC_comments.json")), Reject
    )
    assert (
        bad.reason.startswith("comments file: not loaded")
        and "not an instaloader structure" not in bad.reason
    )


# --------------------------------------------------------------------------- one CSV reader: drafts and scrape --accounts


def test_predict_drafts_read_by_the_loaders_csv_reader() -> None:
    from influence.models.predict import read_drafts

    drafts = read_drafts(FIXTURES / "drafts_excel_cp1252.csv")  # sep=; line, cp1252, None / N/A
    assert [d["id"] for d in drafts] == ["d1", "d2"]
    assert drafts[0]["caption"] == "Café glaze test – new mug #ceramics"
    assert drafts[0]["author_followers"] == "8120"
    assert drafts[1]["caption"] == "" and drafts[1]["author_followers"] == ""


def test_scrape_accounts_read_by_the_loaders_csv_reader() -> None:
    from influence.ingest.scrape import read_accounts

    accounts, bad = read_accounts(FIXTURES / "excel_sep_accounts.csv")  # sep=; and a Username column
    assert accounts == ["kiln.and.clay", "soup.kitchen.ok"] and bad == []


# --------------------------------------------------------------------------- Kaggle and Meta posts tables


def test_kaggle_reach_table_content_ids_and_relative_ages() -> None:
    seen = datetime(2024, 1, 2, 12, tzinfo=UTC)
    records = list(csv_input.parse(FIXTURES / "kaggle_reach.csv", "posts", observed_at=seen))
    assert not _of(records, Reject)
    posts = {p.caption: p for p in _of(records, PostRecord)}
    assert set(posts) == {"Shop restock today", "Workbench tour", "Fixed it"}
    restock = posts["Shop restock today"]
    assert restock.id.startswith(csv_input.CONTENT_ID_PREFIX) and restock.shortcode is None
    assert (
        restock.posted_at == datetime(2024, 1, 2, 1, tzinfo=UTC) and restock.observed_at == seen
    )  # 11 hours
    assert posts["Workbench tour"].posted_at == datetime(2023, 12, 31, 12, tzinfo=UTC)  # 2 days
    assert restock.hashtags == ["handmade", "shop", "craft"] and restock.likes == 80
    assert {u.id: u.followers for u in _of(records, UserRecord)} == {"demo_maker": 1200, "demo_fixer": 340}
    again = list(csv_input.parse(FIXTURES / "kaggle_reach.csv", "posts", observed_at=seen))
    assert [p.id for p in _of(again, PostRecord)] == [p.id for p in _of(records, PostRecord)]  # stable ids


def test_relative_age_without_observation_time_uses_the_file_mtime(tmp_path: Path) -> None:
    import os

    data = tmp_path / "reach.csv"
    data.write_text("USERNAME,Caption,Time since posted,Likes\ndemo_maker,Hi,3 hours,5\n")
    when = datetime(2024, 3, 1, 12, tzinfo=UTC).timestamp()
    os.utime(data, (when, when))
    (post,) = _of(list(csv_input.parse(data, "posts")), PostRecord)
    assert post.posted_at == datetime(2024, 3, 1, 9, tzinfo=UTC)


def test_insights_export_with_a_constant_author_keeps_its_metrics() -> None:
    records = list(
        csv_input.parse(FIXTURES / "insights_export.csv", "posts", constants={"author": "demo.roaster"})
    )
    assert not _of(records, Reject)
    first, second = _of(records, PostRecord)
    assert first.author == second.author == "demo.roaster"
    assert (first.impressions, first.saves, first.shares, first.profile_visits, first.follows) == (
        3920,
        98,
        5,
        35,
        2,
    )
    assert first.likes == 162 and first.comments == 9 and first.hashtags == ["coffee", "brewing"]
    with pytest.raises(Exception, match="not a field of posts"):
        csv_input.parse(FIXTURES / "insights_export.csv", "posts", constants={"owner_name": "x"})


def test_meta_business_suite_export() -> None:
    records = list(csv_input.parse(FIXTURES / "meta_business_suite.csv", "posts"))
    assert not _of(records, Reject)
    posts = {p.id: p for p in _of(records, PostRecord)}
    assert set(posts) == {"CyTestMeta1", "CyTestMeta2"}  # the permalink's shortcode, not the numeric Post ID
    croissant = posts["CyTestMeta1"]
    assert croissant.media_id == "17900000000000501" and croissant.author == "demo.bakery"
    assert croissant.type == "image" and posts["CyTestMeta2"].type == "carousel"
    assert croissant.posted_at == datetime(2023, 7, 14, 9, tzinfo=UTC)  # month-first, decided by the column
    assert posts["CyTestMeta2"].posted_at == datetime(2023, 7, 3, 9, tzinfo=UTC)
    assert (croissant.impressions, croissant.reach, croissant.saves, croissant.follows) == (2100, 1800, 40, 3)


@pytest.mark.parametrize(
    ("raw", "hours"), [("11 hours", 11), ("2 days ago", 48), ("an hour", 1), ("30 minutes", 0.5), ("1w", 168)]
)
def test_to_age(raw: str, hours: float) -> None:
    assert values.to_age(raw).total_seconds() == hours * 3600


def test_csv_and_profilecrawl_folder_loads_count_the_files_they_skip(tmp_path: Path) -> None:
    from influence.loaders import profilecrawl
    from influence.loaders.common import ParseStats

    (tmp_path / "a.csv").write_text("username\nsome_one\n")
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")
    named: list[str] = []
    stats = ParseStats(on_skip=lambda file, why: named.append(f"{file.name}: {why}"))
    users = _of(list(csv_input.parse(tmp_path, "accounts", stats=stats)), UserRecord)
    assert [u.id for u in users] == ["some_one"]
    assert stats.skipped == {"not a .csv / .tsv file": 1} and named == ["notes.xlsx: not a .csv / .tsv file"]
    crawl = FIXTURES / "profilecrawl_later"
    stats = ParseStats()
    list(profilecrawl.parse(crawl, stats=stats))
    assert stats.files_parsed == 1 and stats.skipped == {}


@pytest.mark.parametrize(
    ("raw", "expected"), [("1,234,567", 1234567), ("1.234.567", 1234567), ("1,2k", 1200)]
)
def test_to_count_thousands_separators(raw: str, expected: int) -> None:
    assert values.to_count(raw) == expected
    with pytest.raises(ValueError):
        values.to_count("1,2,3")


def test_counts_with_thousands_separators_in_a_semicolon_file(tmp_path: Path) -> None:
    data = tmp_path / "a.csv"
    data.write_text("username;followers;score\nbig_one;1,234;2,5\nsmall_one;987;1\n")
    users = {u.id: u for u in _of(list(csv_input.parse(data, "accounts")), UserRecord)}
    assert users["big_one"].followers == 1234 and users["small_one"].followers == 987  # counts: a thousand
    assert users["big_one"].extra["score"] == 2.5  # the column shows its decimal comma


def test_edge_list_with_an_unknown_header_makes_no_junk_nodes(tmp_path: Path) -> None:
    from influence.loaders import follows

    data = tmp_path / "g.edges"
    data.write_text("Id Label\n1 2\n2 3 0.5\n")
    records = list(follows.parse(data))
    assert _edges(records) == {("1", "2", None), ("2", "3", 0.5)}
    (bad,) = _of(records, Reject)
    assert bad.position == "line 1" and "header" in bad.reason
