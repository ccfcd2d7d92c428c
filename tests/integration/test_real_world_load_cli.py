"""Issue 10: every case of ``../shared/cases/real-world-inputs`` gives its expected value through
``influence load …`` against the real test server (the graph is inspected after), plus the same
kinds on the project's own fixtures where the graph matters (owners linked by platform id, the
summary of skipped files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from influence import db
from influence.cli import cli
from load_output import summary_value

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[1] / "fixtures" / "real_world"


def load(env: dict[str, str], tmp_path: Path, *args: str) -> tuple[str, list[dict[str, object]]]:
    """Run `influence load ARGS`; return its stdout and the rejects it wrote."""
    rejects = tmp_path / "rejects.jsonl"
    rejects.unlink(missing_ok=True)
    result = CliRunner().invoke(
        cli, ["load", *args, "--quiet", "--rejects", str(rejects)], env=env, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    lines = rejects.read_text().splitlines() if rejects.exists() else []
    return result.stdout, [json.loads(line) for line in lines]


def rows(driver: Driver, query: str) -> list[dict[str, object]]:
    return [dict(r) for r in db.read(driver, query)]


def one(driver: Driver, query: str) -> object:
    return db.read(driver, query)[0][0]


def test_01_thai_and_hindi_hashtags(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    load(cli_env, tmp_path, "instaloader", str(real_world_cases / "01-thai-hashtags"))
    tags = one(clean_db, "MATCH (:Post {id: 'C9zFakeThai1'})-[:TAGGED]->(h) RETURN collect(h.name)")
    assert sorted(tags) == sorted(["ภูเขา", "यात्रा", "hiking"])  # type: ignore[arg-type]


def test_02_profilecrawl_username_is_the_handle(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    load(
        cli_env,
        tmp_path,
        "profilecrawl",
        str(real_world_cases / "02-profilecrawl-instapy-alias" / "profiles"),
    )
    assert rows(
        clean_db, "MATCH (u:User) WHERE u.fullName IS NOT NULL RETURN u.id AS id, u.fullName AS name"
    ) == [{"id": "marisol.bakes", "name": "Marisol"}]
    assert (
        one(clean_db, "MATCH (u:User)-[:POSTED]->(:Post {id: 'CaFakeCode01'}) RETURN u.id") == "marisol.bakes"
    )
    assert one(clean_db, "MATCH (u:User {id: 'marisol'}) RETURN count(u)") == 0


def test_03_profilecrawl_lists_location_and_none(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    case = real_world_cases / "03-profilecrawl-lists-location"
    _, rejects = load(cli_env, tmp_path, "profilecrawl", str(case / "profiles"))
    load(cli_env, tmp_path, "profilecrawl", str(case / "profiles-quick"))
    followers = one(
        clean_db, "MATCH (f:User)-[:FOLLOWS]->(:User {id: 'kai.lenn.photo'}) RETURN collect(f.id)"
    )
    assert sorted(followers) == ["fan.two", "fan_one", "fan_three"]  # type: ignore[arg-type]
    assert rows(
        clean_db, "MATCH (:Post {id: 'CbFakeCode02'})-[:AT]->(l:Location) RETURN l.id AS id, l.name AS name"
    ) == [{"id": "998877665", "name": "Harbour Bakery"}]
    likers = one(clean_db, "MATCH (u:User)-[:LIKED]->(:Post {id: 'CbFakeCode02'}) RETURN collect(u.id)")
    assert sorted(likers) == ["fan.two", "fan_one"]  # type: ignore[arg-type]
    assert any("comments list not loaded" in str(r["reason"]) for r in rejects)  # commenters reported
    assert one(clean_db, "MATCH (p:Post {id: 'CdFakeQuick1'}) RETURN p.caption") is None


def test_04_profilecrawl_scrapped_time(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    load(
        cli_env,
        tmp_path,
        "profilecrawl",
        str(real_world_cases / "04-profilecrawl-scrapped-time" / "profiles"),
    )
    at = one(clean_db, "MATCH (:Post {id: 'CcFakeCode03'})-[:HAS_OBSERVATION]->(o) RETURN toString(o.at)")
    assert at == "2018-09-10T08:00:00Z"


@pytest.mark.parametrize("which", ["folder", "file"])
def test_05_gallery_dl_url_list(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path, which: str
) -> None:
    scrape = real_world_cases / "05-gallery-dl-g-url-list" / "scrape"
    load(
        cli_env,
        tmp_path,
        "gallery-dl",
        str(scrape if which == "folder" else scrape / "shopkeeper.demo.following.txt"),
    )
    followed = one(clean_db, "MATCH (:User {id: 'shopkeeper.demo'})-[:FOLLOWS]->(u) RETURN collect(u.id)")
    assert sorted(followed) == ["lamp.maker.studio", "north_trail_runs", "okra.and.co"]  # type: ignore[arg-type]


def test_06_excel_sep_line(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "accounts",
        str(real_world_cases / "06-csv-excel-sep-line" / "User-downloaded.csv"),
    )
    got = rows(
        clean_db,
        "MATCH (u:User) RETURN u.id AS id, u.followers AS f, u.following AS g, u.postsCount AS p, "
        "u.email AS email, u.phone AS phone ORDER BY id",
    )
    assert got == [
        {"id": "lamp.maker.studio", "f": 15230, "g": 310, "p": 220, "email": None, "phone": None},
        {"id": "okra.and.co", "f": 980, "g": 1201, "p": 45, "email": None, "phone": None},
    ]


def test_07_decimal_commas(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "accounts",
        str(real_world_cases / "07-csv-decimal-comma" / "roster.csv"),
    )
    got = rows(
        clean_db,
        "MATCH (u:User {id: 'demo_creator_1'}) RETURN u.attr_engagement_rate AS rate, "
        "u.avg_likes AS likes, u._60_day_eng_rate AS rate60",
    )
    assert got == [{"rate": 3.5, "likes": 1200, "rate60": 0.0139}]
    types = one(
        clean_db,
        "MATCH (u:User) WHERE u.avg_likes IS NOT NULL "
        "RETURN collect(DISTINCT valueType(u.avg_likes)) + collect(DISTINCT valueType(u.attr_engagement_rate))",
    )
    assert all(not str(t).startswith("STRING") for t in types)  # type: ignore[union-attr]


def test_08_emoji_mojibake(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "posts",
        str(real_world_cases / "08-csv-emoji-mojibake" / "posts.csv"),
    )
    assert (
        one(clean_db, "MATCH (p:Post {id: 'CxFakeMoji01'}) RETURN p.caption")
        == "Golden hour again 🔥 #travel✨ #sunset"
    )
    tags = one(clean_db, "MATCH (h:Hashtag) RETURN collect(h.name)")
    assert sorted(tags) == ["coffee", "friends", "roadtrip", "sunset", "travel"]  # type: ignore[arg-type]


def _follow_edges(driver: Driver) -> set[tuple[str, str, float | None]]:
    return {
        (r["a"], r["b"], r["w"])
        for r in db.read(
            driver, "MATCH (a:User)-[f:FOLLOWS]->(b:User) RETURN a.id AS a, b.id AS b, f.weight AS w"
        )
    }


SAME_GRAPH = {
    ("demo_runner_a", "demo_runner_b", 3.0),
    ("demo_runner_b", "demo_runner_a", 3.0),
    ("demo_runner_b", "demo_runner_c", 1.0),
    ("demo_runner_c", "demo_runner_b", 1.0),
    ("demo_runner_c", "demo_runner_a", 2.0),
}


def test_09_gexf(clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path) -> None:
    load(cli_env, tmp_path, "follows", str(real_world_cases / "09-gexf-as-graphml" / "mentions.gexf"))
    assert _follow_edges(clean_db) == SAME_GRAPH
    assert one(clean_db, "MATCH (u:User {id: 'demo_runner_a'}) RETURN u.followers") == 1200
    assert one(clean_db, "MATCH (u:User) WHERE u.id STARTS WITH 'n' RETURN count(u)") == 0  # no bare ids


def test_10_gephi_edge_table_is_the_same_graph_as_graphml(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    case = real_world_cases / "10-gephi-edges-csv-undirected"
    load(cli_env, tmp_path, "follows", str(case / "edges.csv"))
    from_csv = _follow_edges(clean_db)
    db.reset(clean_db)
    db.init_schema(clean_db)
    load(cli_env, tmp_path, "follows", str(case / "same.graphml"))
    assert from_csv == _follow_edges(clean_db) == SAME_GRAPH


def test_11_headerless_snap_csv(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    _, rejects = load(
        cli_env,
        tmp_path,
        "follows",
        str(real_world_cases / "11-headerless-csv-edgelist" / "soc-sign-demo.csv"),
    )
    assert not rejects
    assert _follow_edges(clean_db) == {("6", "2", 4.0), ("6", "5", 2.0), ("1", "15", 1.0), ("4", "3", 7.0)}


def test_12_saved_posts_owner_by_platform_id(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    out, _ = load(cli_env, tmp_path, "gallery-dl", str(real_world_cases / "12-gallery-dl-saved-null-owner"))
    assert one(clean_db, "MATCH (p:Post) RETURN count(p)") == 1  # one carousel post
    assert rows(
        clean_db, "MATCH (p:Post {id: 'CiFakeSave01'}) RETURN p.ownerId AS owner, p.type AS type"
    ) == [{"owner": "4440001", "type": "carousel"}]
    assert summary_value(out, "posts awaiting their owner's profile (owner id only)") == 1


def test_own_saved_posts_are_linked_when_the_owner_profile_loads(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out, _ = load(cli_env, tmp_path, "gallery-dl", str(FIXTURES / "gallery_dl_saved"))
    assert summary_value(out, "posts awaiting their owner's profile (owner id only)") == 1
    assert one(clean_db, "MATCH (p:Post {id: 'CyTestSave01'})<-[:POSTED]-(u) RETURN count(u)") == 0
    out, _ = load(cli_env, tmp_path, "gallery-dl", str(FIXTURES / "gallery_dl_owner"))
    assert "awaiting their owner" not in out
    assert one(clean_db, "MATCH (u:User)-[:POSTED]->(:Post {id: 'CyTestSave01'}) RETURN u.id") == "flea.finds"
    assert one(clean_db, "MATCH (p:AwaitingOwner) RETURN count(p)") == 0


def test_14_epoch_milliseconds(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    _, rejects = load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "posts",
        str(real_world_cases / "14-csv-epoch-milliseconds" / "posts.csv"),
    )
    assert not rejects
    got = one(clean_db, "MATCH (p:Post) RETURN collect(DISTINCT toString(p.postedAt))")
    assert got == ["2023-06-01T18:00:00Z"]


def test_15_day_first_dates(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    _, rejects = load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "posts",
        str(real_world_cases / "15-csv-day-first-dates" / "tweets.csv"),
    )
    assert not rejects
    got = rows(clean_db, "MATCH (p:Post) RETURN p.id AS id, toString(p.postedAt) AS at ORDER BY id")
    assert got == [
        {"id": "1662000000000000002", "at": "2016-12-27T04:04:00Z"},
        {"id": "1662000000000000003", "at": "2017-01-05T09:30:00Z"},
    ]


def test_date_format_option(clean_db: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "posts",
        "--date-format",
        "monthfirst",
        str(FIXTURES / "ambiguous_dates.csv"),
    )
    assert one(clean_db, "MATCH (p:Post) RETURN toString(p.postedAt)") == "2019-03-04T08:05:00Z"


def test_17_instaloader_comments_file(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    file = (
        real_world_cases
        / "17-instaloader-comments-file"
        / "demo.traveller"
        / "2024-05-01_10-40-00_UTC_comments.json"
    )
    result = CliRunner().invoke(
        cli,
        ["load", "instaloader", str(file), "--quiet", "--rejects", str(tmp_path / "r.jsonl")],
        env=cli_env,
        catch_exceptions=False,
    )
    assert result.exit_code == 1  # nothing usable: a comments file alone
    (reject,) = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert reject["reason"].startswith("comments file: not loaded")
    out, _ = load(cli_env, tmp_path, "instaloader", str(FIXTURES / "instaloader_comments"))
    assert summary_value(out, "  skipped: comments file (the post keeps its count)") == 1


def test_19_metadata_txt_in_folder_loads(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    load(cli_env, tmp_path, "gallery-dl", str(real_world_cases / "19-gallery-dl-metadata-txt-and-append"))
    ids = one(clean_db, "MATCH (p:Post) RETURN collect(p.id)")
    assert sorted(ids) == ["C9FakeApp02", "C9FakeApp03", "C9FakeTxt01"]  # type: ignore[arg-type]


def test_skipped_files_counted_in_the_summary_and_named_with_verbose(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "load",
            "gallery-dl",
            str(FIXTURES / "gallery_dl_txt"),
            "--verbose",
            "--rejects",
            str(tmp_path / "r.jsonl"),
        ],
        env=cli_env,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert summary_value(result.stdout, "skipped on purpose") == 2
    assert summary_value(result.stdout, "  skipped: media file") == 1
    assert "notes.txt: text file that is not metadata (not JSON)" in result.stderr
    assert "demo.dock_3300000000000000991.jpg: media file" in result.stderr


def test_kaggle_table_without_post_ids(clean_db: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    out, rejects = load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "posts",
        "--observed-at",
        "2024-01-02T12:00:00Z",
        str(FIXTURES / "kaggle_reach.csv"),
    )
    assert not rejects
    assert summary_value(out, "posts keyed by a content id (no post id column)") == 3
    got = rows(
        clean_db,
        "MATCH (u:User)-[:POSTED]->(p:Post {caption: 'Shop restock today'}) "
        "RETURN u.followers AS f, toString(p.postedAt) AS at, COUNT { (p)-[:HAS_OBSERVATION]->() } AS obs",
    )
    assert got == [{"f": 1200, "at": "2024-01-02T01:00:00Z", "obs": 1}]
    load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "posts",
        "--observed-at",
        "2024-01-02T12:00:00Z",
        str(FIXTURES / "kaggle_reach.csv"),
    )
    assert one(clean_db, "MATCH (p:Post) RETURN count(p)") == 3  # reloading adds no duplicate


def test_insights_export_with_set_author(clean_db: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "posts",
        "--set",
        "author=demo.roaster",
        "--accept-missing",
        str(FIXTURES / "insights_export.csv"),
    )
    got = rows(
        clean_db,
        "MATCH (:User {id: 'demo.roaster'})-[:POSTED]->(p:Post) RETURN p.impressions AS i, p.saves AS s, "
        "p.profileVisits AS v, p.follows AS f ORDER BY i",
    )
    assert got == [{"i": 3920, "s": 98, "v": 35, "f": 2}, {"i": 5394, "s": 194, "v": 48, "f": 10}]


# --------------------------------------------------------------------------- issue 18: cases 20–29


def test_20_gallery_dl_avatar_is_not_a_post(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    out, rejects = load(
        cli_env, tmp_path, "gallery-dl", str(real_world_cases / "20-gallery-dl-avatar-sidecar" / "instagram")
    )
    got = rows(
        clean_db,
        "MATCH (u:User)-[:POSTED]->(p:Post) RETURN u.id AS author, p.id AS id, p.likes AS likes, "
        "toString(p.postedAt) AS at",
    )
    assert got == [{"author": "demo.pier", "id": "C2od683zYHH", "likes": 532, "at": "2024-02-04T18:40:00Z"}]
    assert summary_value(out, "  skipped: profile picture (subcategory avatar), not a post") == 1


def test_21_apify_instagram_posts(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    out, rejects = load(
        cli_env, tmp_path, "csv", "--kind", "posts", str(real_world_cases / "21-apify-instagram-posts-csv")
    )
    assert not rejects
    got = rows(
        clean_db,
        "MATCH (p:Post) RETURN p.id AS id, p.type AS type, p.likes AS likes, p.comments AS comments, "
        "p.views AS views, toString(p.postedAt) AS at ORDER BY id",
    )
    assert got == [
        {
            "id": "C2od683zYHH",
            "type": "carousel",
            "likes": 532,
            "comments": 14,
            "views": None,
            "at": "2024-02-04T18:40:00Z",
        },
        {
            "id": "C2od683zYHI",
            "type": "reel",
            "likes": 1204,
            "comments": 31,
            "views": 20411,
            "at": "2024-02-06T09:15:30Z",
        },
    ]
    assert one(clean_db, "MATCH (:Post {id: 'C2od683zYHH'})-[:FEATURES]->(u) RETURN collect(u.id)") == [
        "okra.and.co"
    ]
    assert one(clean_db, "MATCH (:Post {id: 'C2od683zYHH'})-[:MENTIONS]->(u) RETURN collect(u.id)") == [
        "lamp.maker.studio"
    ]
    assert one(clean_db, "MATCH (:Post {id: 'C2od683zYHH'})-[:AT]->(l) RETURN l.id") == "998877665"
    assert rows(
        clean_db,
        "MATCH (u:User)-[r:POSTED]->(:Post {id: 'C2od683zYHI'}) RETURN u.id AS u, r.coauthor AS c ORDER BY u",
    ) == [{"u": "demo.pier", "c": None}, {"u": "north_trail_runs", "c": True}]
    assert (
        "ignored (15, not loaded): inputUrl, shortCode, firstComment" in out
    )  # named, not dropped in silence


@pytest.mark.parametrize("how", ["follows", "csv"])
def test_22_profile_urls_are_usernames(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path, how: str
) -> None:
    file = str(real_world_cases / "22-phantombuster-follower-csv" / "result.csv")
    if how == "follows":
        load(cli_env, tmp_path, "follows", file)
    else:
        load(
            cli_env,
            tmp_path,
            "csv",
            "--kind",
            "follows",
            "--map",
            "username=follower",
            "--map",
            "query=followed",
            file,
        )
    followers = one(clean_db, "MATCH (f:User)-[:FOLLOWS]->(:User {id: 'demo.pier'}) RETURN collect(f.id)")
    assert sorted(followers) == ["lamp.maker.studio", "north_trail_runs", "okra.and.co"]  # type: ignore[arg-type]
    assert one(clean_db, "MATCH (u:User) WHERE u.id CONTAINS '/' RETURN count(u)") == 0
    if how == "csv":
        assert rows(
            clean_db,
            "MATCH (u:User {id: 'okra.and.co'}) RETURN u.fullName AS n, u.verified AS v, u.private AS p",
        ) == [{"n": "Okra & Co", "v": True, "p": False}]


@pytest.mark.parametrize("name", ["follows.graphml", "gephi-export.graphml"])
def test_23_graphml_names_and_labels_are_usernames(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path, name: str
) -> None:
    load(cli_env, tmp_path, "follows", str(real_world_cases / "23-graphml-igraph-gephi-names" / name))
    assert _follow_edges(clean_db) == {
        ("lamp.maker.studio", "demo.pier", 1.0),
        ("okra.and.co", "demo.pier", 2.0),
        ("demo.pier", "okra.and.co", 1.0),
    }
    assert one(clean_db, "MATCH (u:User {id: 'demo.pier'}) RETURN u.followers") == 15230
    keys = one(clean_db, "MATCH (u:User) UNWIND keys(u) AS k RETURN collect(DISTINCT k)")
    assert not {"x", "y", "r", "g", "b", "size", "fullName"} & set(keys)  # type: ignore[arg-type]
    if name.startswith("gephi"):
        assert one(clean_db, "MATCH (u:User {id: 'demo.pier'}) RETURN u.platformId") == "5512340001"


def test_24_twint(clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path) -> None:
    _, rejects = load(
        cli_env, tmp_path, "csv", "--kind", "posts", str(real_world_cases / "24-twint-csv" / "tweets.csv")
    )
    assert not rejects
    got = rows(
        clean_db,
        "MATCH (u:User)-[:POSTED]->(p:Post) RETURN p.id AS id, u.id AS author, toString(p.postedAt) AS at, "
        "p.likes AS likes, p.shares AS shares, p.comments AS comments, p.caption AS caption ORDER BY id",
    )
    assert got == [
        {
            "id": "1366652112223334445",
            "author": "demo_pier",
            "at": "2021-03-04T05:06:07Z",
            "likes": 148,
            "shares": 12,
            "comments": 3,
            "caption": "Golden hour at the pier #Sunset #pierlife with @lamp_maker",
        },
        {
            "id": "1366700011122233344",
            "author": "demo_pier",
            "at": "2021-03-04T08:20:00Z",
            "likes": 27,
            "shares": 1,
            "comments": 0,
            "caption": "Coffee's on. #coffee",
        },
    ]
    assert one(clean_db, "MATCH (:Post)-[:MENTIONS]->(u) RETURN collect(u.id)") == ["lamp_maker"]
    assert (
        one(
            clean_db,
            "MATCH (u:User) WHERE u.id IN ['id', 'name', 'screen_name', 'lamp', 'maker', '2233445566'] "
            "RETURN count(u)",
        )
        == 0
    )


def test_25_tiktok_export_names(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    load(cli_env, tmp_path, "csv", "--kind", "posts", str(real_world_cases / "25-apify-tiktok-csv"))
    got = rows(
        clean_db,
        "MATCH (u:User)-[:POSTED]->(p:Post) RETURN p.id AS id, u.id AS author, toString(p.postedAt) AS at, "
        "p.likes AS likes, p.views AS views, p.shares AS shares, p.comments AS comments ORDER BY at",
    )
    assert got == [
        {
            "id": "7331122334455667788",
            "author": "demo.pier",
            "at": "2024-02-04T18:40:00Z",
            "likes": 5321,
            "views": 120400,
            "shares": 88,
            "comments": 64,
        },
        {
            "id": "7331999888777666555",
            "author": "demo.pier",
            "at": "2024-02-06T09:35:30Z",
            "likes": 912,
            "views": 18800,
            "shares": 11,
            "comments": 17,
        },
    ]
    tags = one(clean_db, "MATCH (:Post {id: '7331122334455667788'})-[:TAGGED]->(h) RETURN collect(h.name)")
    assert sorted(tags) == ["pierlife", "sunset"]  # type: ignore[arg-type]


def test_posts_table_without_author_date_or_engagement_stops(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "load",
            "csv",
            "--kind",
            "posts",
            str(FIXTURES / "name_text_tags_when.csv"),
            "--quiet",
            "--rejects",
            str(tmp_path / "r.jsonl"),
        ],
        env=cli_env,
    )
    assert result.exit_code == 1
    assert "no author column, no date column, no engagement column" in result.output
    assert "--accept-missing" in result.output
    assert one(clean_db, "MATCH (p:Post) RETURN count(p)") == 0  # nothing written
    load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "posts",
        "--accept-missing",
        str(FIXTURES / "name_text_tags_when.csv"),
    )
    assert one(clean_db, "MATCH (p:Post) RETURN count(p)") == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("posts.csv", ["2024-02-04T18:40:00Z", "2024-02-06T09:15:30Z", "2024-02-13T06:02:00Z"]),
        ("posts-date-only.csv", ["2024-02-04T00:00:00Z", "2024-02-06T00:00:00Z"]),
    ],
)
def test_26_excel_serial_dates(
    clean_db: Driver,
    cli_env: dict[str, str],
    real_world_cases: Path,
    tmp_path: Path,
    name: str,
    expected: list[str],
) -> None:
    _, rejects = load(
        cli_env,
        tmp_path,
        "csv",
        "--kind",
        "posts",
        str(real_world_cases / "26-csv-excel-serial-dates" / name),
    )
    assert not rejects
    assert (
        one(clean_db, "MATCH (p:Post) WITH toString(p.postedAt) AS at ORDER BY at RETURN collect(at)")
        == expected
    )


def test_27_instagram_export_posts(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    folder = next((real_world_cases / "27-instagram-dyi-posts-json").glob("instagram-*"))
    _, rejects = load(cli_env, tmp_path, "instagram-export", str(folder))
    assert not rejects
    got = rows(
        clean_db,
        "MATCH (u:User)-[:POSTED]->(p:Post) RETURN u.id AS author, p.type AS type, p.caption AS caption, "
        "toString(p.postedAt) AS at ORDER BY at",
    )
    assert got == [
        {
            "author": "demo.pier",
            "type": "carousel",
            "at": "2024-02-04T18:40:00Z",
            "caption": "Sunset at the pier 🌅 #pierlife #sunset — merci @okra.and.co",
        },
        {
            "author": "demo.pier",
            "type": "image",
            "at": "2024-02-13T06:02:00Z",
            "caption": "Fresh batch, 6am ☕ #café",
        },
    ]
    tags = one(clean_db, "MATCH (h:Hashtag) RETURN collect(h.name)")
    assert sorted(tags) == ["café", "pierlife", "sunset"]  # type: ignore[arg-type]


def test_28_zeeschuimer(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    file = next((real_world_cases / "28-zeeschuimer-instagram-ndjson").glob("*.ndjson"))
    _, rejects = load(cli_env, tmp_path, "zeeschuimer", str(file))
    assert not rejects
    got = rows(
        clean_db,
        "MATCH (u:User)-[r:POSTED]->(p:Post) WHERE r.coauthor IS NULL RETURN p.id AS id, u.id AS author, "
        "p.type AS type, toString(p.postedAt) AS at, p.likes AS likes, p.comments AS comments, "
        "p.views AS views, toString(p.lastObservedAt) AS seen ORDER BY id",
    )
    assert got == [
        {
            "id": "C3fiNox0kGR",
            "author": "demo.pier",
            "type": "image",
            "at": "2024-02-18T11:00:00Z",
            "likes": 812,
            "comments": 23,
            "views": None,
            "seen": "2024-02-22T14:34:56.123Z",
        },
        {
            "id": "C3fiNox0kGS",
            "author": "demo.pier",
            "type": "carousel",
            "at": "2024-02-19T17:15:00Z",
            "likes": 1450,
            "comments": 61,
            "views": None,
            "seen": "2024-02-22T14:34:56.535Z",
        },
        {
            "id": "C3fiNox0kGT",
            "author": "demo.pier",
            "type": "reel",
            "at": "2024-02-20T08:30:15Z",
            "likes": 2310,
            "comments": 88,
            "views": 48820,
            "seen": "2024-02-22T14:34:57.1Z",
        },
        {
            "id": "C3fiNox0kGU",
            "author": "demo.pier",
            "type": "image",
            "at": "2024-02-21T14:00:00Z",
            "likes": None,
            "comments": 17,
            "views": None,
            "seen": "2024-02-22T14:34:57.433Z",
        },
    ]
    assert one(clean_db, "MATCH (:Post {id: 'C3fiNox0kGR'})-[:FEATURES]->(u) RETURN collect(u.id)") == [
        "okra.and.co"
    ]
    assert one(clean_db, "MATCH (:Post {id: 'C3fiNox0kGT'})-[:FEATURES]->(u) RETURN collect(u.id)") == [
        "north_trail_runs"
    ]
    assert one(
        clean_db, "MATCH (u)-[:POSTED {coauthor: true}]->(:Post {id: 'C3fiNox0kGS'}) RETURN collect(u.id)"
    ) == ["lamp.maker.studio"]
    assert rows(
        clean_db, "MATCH (:Post {id: 'C3fiNox0kGR'})-[:AT]->(l) RETURN l.id AS id, l.name AS name"
    ) == [{"id": "998877665", "name": "Harbour Pier"}]


def test_zeeschuimer_tiktok_lines_are_counted_as_skipped(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out, _ = load(cli_env, tmp_path, "zeeschuimer", str(FIXTURES / "zeeschuimer_mixed.ndjson"))
    assert summary_value(out, "  skipped: tiktok item, not loaded (Instagram only)") == 1
    assert one(clean_db, "MATCH (p:Post) RETURN collect(p.id)") == ["CzTestZee01"]


def test_29_instagram_export_followers(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    folder = next((real_world_cases / "29-instagram-dyi-followers-json").glob("instagram-*"))
    out, rejects = load(cli_env, tmp_path, "instagram-export", str(folder))
    assert not rejects
    followers = one(
        clean_db, "MATCH (f:User)-[:FOLLOWS]->(:User {id: 'demo.own.brand'}) RETURN collect(f.id)"
    )
    assert sorted(followers) == ["demo.fan.alpha", "demo.fan.beta", "demo.fan_gamma"]  # type: ignore[arg-type]
    assert (
        one(clean_db, "MATCH (u:User {id: 'demo.own.brand'}) RETURN u.fullName") == "Demo Own Brand Café ☕"
    )
    assert "ignored (1, not loaded): timestamp" in out  # the follow time is reported, not stored


def test_instagram_export_newer_following_form(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    load(cli_env, tmp_path, "instagram-export", str(FIXTURES / "instagram-demo.brand-2025-01-02-Zz9"))
    followed = one(clean_db, "MATCH (:User {id: 'demo.brand'})-[:FOLLOWS]->(u) RETURN collect(u.id)")
    assert sorted(followed) == ["new.form.user", "older.form.user"]  # type: ignore[arg-type]


def test_instaloader_post_known_by_owner_id_is_reported_then_linked(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out, _ = load(cli_env, tmp_path, "instaloader", str(FIXTURES / "instaloader_owner_id"))
    assert summary_value(out, "posts awaiting their owner's profile (owner id only)") == 1
    out, _ = load(cli_env, tmp_path, "instaloader", str(FIXTURES / "instaloader_owner_profile"))
    assert "awaiting their owner" not in out
    assert one(clean_db, "MATCH (u:User)-[:POSTED]->(:Post {id: 'CxOwnerId01'}) RETURN u.id") == "pier.owner"


def test_pajek_mixing_arcs_and_edges(clean_db: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    load(cli_env, tmp_path, "follows", str(FIXTURES / "mixed_arcs_edges.net"))
    assert _follow_edges(clean_db) == {("ana", "bo", 1.0), ("bo", "cy", 2.0), ("cy", "bo", 2.0)}


def test_wrong_loader_is_named(
    clean_db: Driver, cli_env: dict[str, str], real_world_cases: Path, tmp_path: Path
) -> None:
    file = next((real_world_cases / "28-zeeschuimer-instagram-ndjson").glob("*.ndjson"))
    result = CliRunner().invoke(
        cli, ["load", "gallery-dl", str(file), "--quiet", "--rejects", str(tmp_path / "r.jsonl")], env=cli_env
    )
    assert result.exit_code == 1
    assert f"load it with `influence load zeeschuimer {file}`" in result.output
