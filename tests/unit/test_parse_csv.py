"""CSV parser: accounts, posts, follows, observations; fixtures, the real tables, fuzzing."""

from __future__ import annotations

import csv
import json
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influence.errors import InputError
from influence.loaders import csv_input
from influence.loaders.records import (
    FollowRecord,
    ObservationRecord,
    PostRecord,
    Record,
    Reject,
    ScrapeRecord,
    UserRecord,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "csv"


def _of(records: list[Record], kind: type) -> list:  # type: ignore[type-arg]
    return [r for r in records if isinstance(r, kind)]


def test_kinds_and_default_mappings() -> None:
    assert csv_input.KINDS == ("accounts", "posts", "follows", "observations", "likes", "comments")
    for kind in csv_input.KINDS:
        assert set(csv_input.DEFAULT_MAPPINGS[kind].values()) <= {*csv_input.FIELDS[kind], csv_input.IGNORE}


def test_bad_kind_or_mapping_raise_before_reading() -> None:
    with pytest.raises(InputError, match="unknown CSV kind"):
        csv_input.parse(FIXTURES / "posts.csv", "tweets")
    with pytest.raises(InputError, match="not a field of posts"):
        csv_input.parse(FIXTURES / "posts.csv", "posts", {"caption": "body_text"})


def test_wikipedia_top_accounts() -> None:
    records = list(csv_input.parse(FIXTURES / "top_accounts.csv", "accounts"))
    scrape = records[0]
    assert isinstance(scrape, ScrapeRecord) and scrape.source == "csv"
    assert scrape.id == f"csv:{(FIXTURES / 'top_accounts.csv').resolve()}"
    users = {u.id: u for u in _of(records, UserRecord)}
    assert set(users) == {"instagram", "cristiano", "dwaynejohnson"}
    ig = users["instagram"]
    assert ig.followers == 586_000_000  # "Followers(millions)[2]"
    assert ig.full_name == "Instagram" and ig.category == "Social media platform"
    assert ig.country == "US" and ig.extra == {"rank": 1, "country_name": "United States"}
    rock = users["dwaynejohnson"]
    assert rock.followers == 383_500_000
    assert rock.country == "TT"  # first of two countries run together
    assert rock.extra["country_name"] == "Trinidad and Tobago United States"  # nbsp → space
    rejects = _of(records, Reject)
    reasons = {r.position: r.reason for r in rejects}
    assert "not a username" in reasons["line 5"]
    assert "footer row" in reasons["line 6"]
    assert len(rejects) == 2


def test_kaggle_influencers_semicolon_bom_crlf_suffixes() -> None:
    records = list(csv_input.parse(FIXTURES / "influencers.csv", "accounts"))
    users = {u.id: u for u in _of(records, UserRecord)}
    cr = users["cristiano"]
    assert (cr.followers, cr.posts_count) == (475_800_000, 3300)
    assert cr.extra["_60_day_eng_rate"] == pytest.approx(0.0139)
    assert cr.extra["total_likes"] == 29_000_000_000
    assert cr.extra["rank"] == 1
    assert cr.extra["attr_followers"] == 12  # a second "Followers" column cannot shadow the field
    assert cr.country == "CI" and cr.extra["country_name"] == "Côte d'Ivoire"  # mojibake repaired
    messi = users["leomessi"]
    assert messi.followers is None and messi.posts_count == 890
    assert "_60_day_eng_rate" not in messi.extra  # NaN% is missing, not a value
    bad = _of(records, Reject)
    assert [(r.position, "not a count" in r.reason) for r in bad] == [("line 3 followers", True)]


def test_mapping_overrides() -> None:
    records = list(
        csv_input.parse(
            FIXTURES / "top_accounts.csv", "accounts", {"Owner": "-", "Rank": "-", "Country/Continent": "-"}
        )
    )
    ig = next(u for u in _of(records, UserRecord) if u.id == "instagram")
    assert ig.full_name is None and ig.country is None and ig.extra == {}


def test_posts() -> None:
    records = list(csv_input.parse(FIXTURES / "posts.csv", "posts"))
    posts = {p.id: p for p in _of(records, PostRecord)}
    assert set(posts) == {"CxYz_1", "CxYz_2"}
    a = posts["CxYz_1"]
    assert a.author == "alice.climbs" and a.likes == 1200 and a.comments == 30
    assert a.hashtags == ["climbing", "sunset", "rock"]
    assert a.mentions == ["bob"]
    assert a.posted_at == datetime(2023, 9, 1, 18, tzinfo=UTC)
    assert a.location_name == "Fontainebleau"
    b = posts["CxYz_2"]
    assert b.posted_at is None  # 1970 placeholder
    assert b.comments is None and b.language == "en"
    reasons = {r.position: r.reason for r in _of(records, Reject)}
    assert "not a count" in reasons["line 3 comments"]
    assert "no post id" in reasons["line 4"]


def test_observations_generic() -> None:
    records = list(csv_input.parse(FIXTURES / "observations.csv", "observations"))
    obs = _of(records, ObservationRecord)
    assert [(o.post, o.at.hour, o.likes, o.comments) for o in obs] == [
        ("CxYz_1", 19, 100, 3),
        ("CxYz_1", 20, 250, 9),
    ]
    assert [p.id for p in _of(records, PostRecord)] == ["CxYz_1"]  # one post, yielded once
    reasons = {r.position: r.reason for r in _of(records, Reject)}
    assert "usable time" in reasons["line 4"]
    assert "header has 4 columns" in reasons["line 5"]


def test_reddit_observations() -> None:
    records = list(csv_input.parse(FIXTURES / "reddit.csv", "observations"))
    posts = {p.id: p for p in _of(records, PostRecord)}
    assert set(posts) == {"reddit:18vi8zh", "reddit:18vh5xr", "reddit:18vzzzz"}
    est = posts["reddit:18vi8zh"]
    assert est.author == "reddit:r/europe"
    assert est.caption == "Estonia has fully legalized same-sex marriages!"
    # from `created` (Unix seconds); created_date says 10:02, which is wrong
    assert est.posted_at == datetime(2023, 12, 31, 22, 2, 8, tzinfo=UTC)
    assert est.likes is None and est.observed_at is None  # counts travel in the observations
    assert est.url == "https://www.reddit.com/comments/18vi8zh/"
    assert (est.type, posts["reddit:18vh5xr"].type, posts["reddit:18vzzzz"].type) == (
        "image",
        "video",
        "text",
    )
    obs = _of(records, ObservationRecord)
    assert [(o.post, o.at, o.likes, o.comments) for o in obs[:2]] == [
        ("reddit:18vi8zh", datetime(2023, 12, 31, 23, tzinfo=UTC), 1062, 207),
        ("reddit:18vi8zh", datetime(2024, 1, 1, 0, tzinfo=UTC), 1500, 260),
    ]
    assert len(obs) == 4
    assert [r.position for r in _of(records, Reject)] == ["line 6"]


def test_follows_kind() -> None:
    records = list(csv_input.parse(FIXTURES / "edges.csv", "follows"))
    edges = [(f.follower, f.followed, f.weight) for f in _of(records, FollowRecord)]
    assert edges == [("alice", "bob", 2.0), ("bob", "alice", None), ("dave", "alice", None)]
    reasons = {r.position: r.reason for r in _of(records, Reject)}
    assert "without a follower and a followed" in reasons["line 4"]
    assert "not a number" in reasons["line 5 weight"]


def test_split_list_non_breaking_spaces() -> None:
    from influence.text import normalise_hashtag

    assert csv_input.split_list("#Travel\u00a0#Food\u00a0#travel", normalise_hashtag) == ["travel", "food"]
    assert csv_input.split_list("a, b;c|#d", normalise_hashtag) == ["a", "b", "c", "d"]


def test_typed_and_property_names() -> None:
    assert csv_input.typed("12") == 12 and csv_input.typed("1.5") == 1.5
    assert csv_input.typed("8.7m") == 8_700_000 and csv_input.typed("2.5%") == pytest.approx(0.025)
    assert csv_input.typed("NaN%") is None and csv_input.typed("true") is True
    assert csv_input.property_name("Audience Country") == "audience_country"
    assert csv_input.property_name("60_day_eng_rate") == "_60_day_eng_rate"
    assert csv_input.property_name("[2]") is None
    assert csv_input.extra_name("fullName") == "attr_fullname"


# --------------------------------------------------------------------------- real data


def _raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_real_wikipedia_list(shared_data: Path) -> None:
    path = shared_data / "instagram-top-accounts" / "List of most-followed Instagram accounts.csv"
    raw = _raw_rows(path)
    records = list(csv_input.parse(path, "accounts"))
    users = _of(records, UserRecord)
    footer = [r for r in raw if r["Rank"].startswith("As of")]
    assert len(footer) == 1
    assert len(users) == len(raw) - 1
    expected = {
        r["Username"].lstrip("@").lower(): round(float(r["Followers(millions)[2]"]) * 1e6)
        for r in raw
        if r not in footer
    }
    assert {u.id: u.followers for u in users} == expected
    rejects = _of(records, Reject)
    assert len(rejects) == 1 and "footer row" in rejects[0].reason
    assert sum(1 for u in users if u.country == "US") == sum(
        1 for r in raw if r["Country/Continent"] == "United States"
    )


def test_real_kaggle_tables(shared_data: Path) -> None:
    folder = shared_data / "instagram-top-accounts"
    raw = _raw_rows(folder / "instagram_global_top_1000.csv")
    users = _of(list(csv_input.parse(folder / "instagram_global_top_1000.csv", "accounts")), UserRecord)
    assert {u.id: u.followers for u in users} == {
        r["User Account Name"].lower(): int(r["Followers"]) for r in raw
    }
    assert all(u.country is None for u in users)  # "Audience Country" is the audience's, not the account's
    assert sum("audience_country" in u.extra for u in users) == sum(
        1 for r in raw if r["Audience Country"].strip()
    )
    raw = _raw_rows(folder / "top_insta_influencers_data.csv")
    records = list(csv_input.parse(folder / "top_insta_influencers_data.csv", "accounts"))
    users = _of(records, UserRecord)
    rejects = _of(records, Reject)
    assert len(users) + len(rejects) == len(raw)
    assert all("not a username" in r.reason for r in rejects)
    by_id = {u.id: u for u in users}
    assert by_id["cristiano"].followers == 475_800_000 and by_id["cristiano"].posts_count == 3300


def test_real_reddit_observations(shared_data: Path) -> None:
    folder = shared_data / "engagement-timeseries"
    files = sorted(folder.glob("*.csv"))
    raw = [r for f in files for r in _raw_rows(f)]
    records = list(csv_input.parse(folder, "observations"))
    obs = _of(records, ObservationRecord)
    assert len(obs) == len(raw)
    assert not _of(records, Reject)
    assert {o.post for o in obs} == {f"reddit:{r['id']}" for r in raw}
    first = raw[0]
    assert (obs[0].likes, obs[0].comments) == (int(first["score"]), int(first["num_comments"]))
    assert obs[0].at == datetime.strptime(first["date"], "%Y-%m-%dT%H").replace(tzinfo=UTC)
    posts = {p.id: p for p in _of(records, PostRecord)}
    created = {f"reddit:{r['id']}": int(r["created"]) for r in raw}
    assert all(p.posted_at == datetime.fromtimestamp(created[p.id], UTC) for p in posts.values())
    # one PostRecord per post per file
    per_file = sum(len({r["id"] for r in _raw_rows(f)}) for f in files)
    assert len(_of(records, PostRecord)) == per_file
    assert Counter(p.author for p in posts.values()).most_common(1)[0][0].startswith("reddit:r/")


# --------------------------------------------------------------------------- fuzzing

_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "1.2k", "NaN%", "@name", "#a\u00a0#b", "1970-01-01", "2023-12-31T23", "1704060128", "x,y", '"']
    ),
)
_headers = st.lists(
    st.sampled_from(
        ["username", "id", "followers", "Followers(millions)", "post_id", "at", "likes", "source", "target", "weight", "date",
         "score", "created", "subreddit_display_name", "title", "hashtags", "", "x"]
    ),
    min_size=1,
    max_size=6,
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(csv_input.KINDS),
    header=_headers,
    rows=st.lists(st.lists(_cell, max_size=7), max_size=6),
)
def test_fuzz_rows_never_raise(kind: str, header: list[str], rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "f.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
        records = list(csv_input.parse(path, kind))
    assert isinstance(records[0], ScrapeRecord)
    for r in records[1:]:
        assert not isinstance(r, ScrapeRecord)
        if isinstance(r, Reject):
            json.dumps(r.raw)


@settings(max_examples=100, deadline=None)
@given(kind=st.sampled_from(csv_input.KINDS), data=st.binary(max_size=300))
def test_fuzz_bytes_never_raise(kind: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "f.csv"
        path.write_bytes(data)
        records = list(csv_input.parse(path, kind))
    assert isinstance(records[0], ScrapeRecord)
    assert all(isinstance(r, Record) for r in records)  # type: ignore[arg-type]
