"""`influence sample`: a seeded synthetic gallery-dl scrape with planted structure (no database)."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image, ImageStat

from influence.cli import cli
from influence.errors import ConfigError, InputError
from influence.loaders import gallery_dl
from influence.loaders.common import ParseStats
from influence.loaders.records import FollowRecord, PostRecord, Reject, UserRecord
from influence.sample import SampleParameters, generate_sample
from influence.sample.model import folder_name, scrape_times, shortcode_from_id
from influence.text import detect_language

PARAMS = SampleParameters(users=150, seed=7, images=60)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "out"
    generate_sample(out, PARAMS)
    return out


@pytest.fixture(scope="module")
def truth(sample: Path) -> dict[str, Any]:
    return json.loads((sample / "ground_truth.json").read_text(encoding="utf-8"))


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _sidecars(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.json") if p.name.endswith((".jpg.json", ".mp4.json")))


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_byte_identical_files(sample: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_sample(again, PARAMS)
    first, second = _tree(sample), _tree(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_another_seed_gives_another_sample(sample: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate_sample(other, SampleParameters(users=150, seed=8, images=60))
    a = json.loads((sample / "ground_truth.json").read_text())
    b = json.loads((other / "ground_truth.json").read_text())
    assert a["communities"] != b["communities"]


# --------------------------------------------------------------------------- format


def test_layout_one_dated_folder_per_scrape(sample: Path, truth: dict[str, Any]) -> None:
    folders = sorted(p.name for p in sample.iterdir() if p.is_dir())
    assert folders == [folder_name(t) for t in scrape_times(PARAMS.scrapes)]
    assert folders == ["2024-06-03T093000", "2024-06-03T153000", "2024-06-05T153000"]
    for folder in folders:
        users = sorted(p.name for p in (sample / folder / "instagram").iterdir())
        assert users == sorted(truth["communities"])
        assert all((sample / folder / "instagram" / u / "info.json").is_file() for u in users)
    assert "SYNTHETIC" in (sample / "README.txt").read_text()
    assert truth["synthetic"] is True and truth["seed"] == 7


def test_sidecars_mirror_gallery_dl_key_order_and_encoding(sample: Path, scraper_samples: Path) -> None:
    ref_dir = scraper_samples / "gallery-dl" / "via_profile_url" / "instagram" / "example_user"
    ref = json.loads((ref_dir / "3300000000000000001.jpg.json").read_text(encoding="utf-8"))
    ref_info = json.loads((ref_dir / "info.json").read_text(encoding="utf-8"))
    optional = {
        "tags",
        "location_id",
        "location_name",
        "location_slug",
        "location_url",
        "coauthors",
        "sidecar_media_id",
        "sidecar_shortcode",
    }
    date_re = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
    seen: Counter[str] = Counter()
    for path in _sidecars(sample / "2024-06-03T093000")[:400]:
        raw = path.read_text(encoding="utf-8")
        kw = json.loads(raw)
        assert raw == json.dumps(kw, indent=4, ensure_ascii=False) + "\n"  # gallery-dl's encoding
        # the reference sidecar's keys, in its order, minus the optional ones this post lacks
        expected = [k for k in ref if k not in optional or k in kw]
        core = [k for k in kw if k not in {"coauthors", "sidecar_media_id", "sidecar_shortcode"}]
        assert core == [
            k for k in expected if k not in {"coauthors", "sidecar_media_id", "sidecar_shortcode"}
        ]
        assert list(kw["user"]) == list(ref["user"])
        assert date_re.match(kw["post_date"]) and kw["date"] == kw["post_date"]
        assert kw["post_shortcode"] == shortcode_from_id(kw["post_id"])
        assert kw["subcategory"] == "posts" and kw["category"] == "instagram"
        if kw["count"] > 1:
            seen["carousel"] += 1
            assert path.name == f"{kw['post_id']}_{kw['media_id']}.{kw['extension']}.json"
            assert list(kw).index("sidecar_media_id") == list(kw).index("owner_id") - 2
        else:
            assert path.name == f"{kw['media_id']}.{kw['extension']}.json"
        if kw["type"] == "reel":
            seen["reel"] += 1
            assert kw["video_url"] and kw["extension"] == "mp4" and "/reel/" in kw["post_url"]
        if "tags" in kw:
            assert kw["tags"] == sorted(set(re.findall(r"#\w+", kw["description"])))
        seen["location"] += "location_id" in kw
    assert seen["carousel"] and seen["reel"] and seen["location"]
    info_path = next((sample / "2024-06-03T093000" / "instagram").iterdir()) / "info.json"
    info = json.loads(info_path.read_text(encoding="utf-8"))
    assert list(info) == list(ref_info) and info["category"] == "instagram" and info["subcategory"] == "info"


def test_follow_lists_are_gallery_dl_json_dumps(sample: Path, scraper_samples: Path) -> None:
    ref = json.loads((scraper_samples / "gallery-dl" / "dump_json_followers.json").read_text())
    files = sorted((sample / "2024-06-03T093000").rglob("*.followers.json"))
    assert files and sorted((sample / "2024-06-03T093000").rglob("*.following.json"))
    for path in files[:50]:
        raw = path.read_text(encoding="ascii")
        msgs = json.loads(raw)
        assert raw == json.dumps(msgs, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
        for code, url, kw in msgs:
            assert code == 6 and url == f"https://www.instagram.com/{kw['username']}"
            assert set(kw) == set(ref[0][2]) and kw["subcategory"] == "followers"
    # follow lists only in the first scrape: the follow graph is scraped once
    assert not list((sample / "2024-06-05T153000").rglob("*.followers.json"))


# --------------------------------------------------------------------------- planted structure


def _follow_edges(sample: Path) -> set[tuple[str, str]]:
    edges = set()
    for path in (sample / "2024-06-03T093000").rglob("*.follow*.json"):
        owner, kind = path.name[: -len(".json")].rsplit(".", 1)
        for _, _, kw in json.loads(path.read_text()):
            edges.add((kw["username"], owner) if kind == "followers" else (owner, kw["username"]))
    return edges


def test_communities_follow_mostly_inside(sample: Path, truth: dict[str, Any]) -> None:
    com = truth["communities"]
    sizes = Counter(com.values())
    edges = _follow_edges(sample)
    assert len(edges) == truth["counts"]["follows"]
    inside = sum(com[a] == com[b] for a, b in edges)
    pairs_in = sum(s * (s - 1) for s in sizes.values())
    pairs_out = len(com) * (len(com) - 1) - pairs_in
    density_in, density_out = inside / pairs_in, (len(edges) - inside) / pairs_out
    assert density_in > 8 * density_out


def test_influencers_are_followed_by_most_members_and_big(sample: Path, truth: dict[str, Any]) -> None:
    com = truth["communities"]
    edges = _follow_edges(sample)
    infl = truth["influencers"]
    assert len(infl) == 5 * PARAMS.influencers_per_community
    followers: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        followers[b].add(a)
    counts = {}
    for user in com:
        info = json.loads((sample / "2024-06-03T093000" / "instagram" / user / "info.json").read_text())
        counts[user] = info["follower_count"]
    ordinary = sorted(v for k, v in counts.items() if k not in infl)
    for user in infl:
        members = [u for u, c in com.items() if c == com[user] and u != user]
        assert len(followers[user] & set(members)) >= 0.6 * len(members)
        assert counts[user] > ordinary[int(0.95 * len(ordinary))]


def _posts(sample: Path) -> dict[str, dict[str, Any]]:
    """shortcode -> {author, tags, description, likes per scrape folder}."""
    posts: dict[str, dict[str, Any]] = {}
    for folder in sorted(p for p in sample.iterdir() if p.is_dir()):
        for path in _sidecars(folder):
            kw = json.loads(path.read_text(encoding="utf-8"))
            post = posts.setdefault(
                kw["post_shortcode"],
                {
                    "author": kw["username"],
                    "tags": kw.get("tags", []),
                    "description": kw["description"],
                    "likes": {},
                },
            )
            post["likes"][folder.name] = kw["likes"]
    return posts


def test_likes_grow_and_viral_posts_beat_their_author(sample: Path, truth: dict[str, Any]) -> None:
    posts = _posts(sample)
    assert len(posts) == truth["counts"]["posts"]
    assert sum(len(p["likes"]) for p in posts.values()) == truth["counts"]["observations"]
    for p in posts.values():
        series = [p["likes"][f] for f in sorted(p["likes"])]
        assert series == sorted(series)  # never falls between scrapes
    first, second = "2024-06-03T093000", "2024-06-03T153000"
    viral = truth["viral_posts"]
    assert len(viral) == PARAMS.n_viral
    vocab = {c["community"]: {t.lower() for t in c["hashtags"]} for c in truth["community_profiles"]}
    for code in viral:
        post = posts[code]
        others = [p for c, p in posts.items() if p["author"] == post["author"] and c != code]
        assert len(others) >= 4
        gain = post["likes"][second] - post["likes"][first]
        other_gains = [
            p["likes"].get(second, 0) - p["likes"].get(first, 0) for p in others if first in p["likes"]
        ]
        assert gain > 10 * max(1.0, statistics.median(other_gains))
        last = max(post["likes"])
        assert post["likes"][last] > 5 * statistics.median(p["likes"][max(p["likes"])] for p in others)
        tags = {t.lstrip("#").lower() for t in post["tags"]}
        assert sum(bool(tags & v) for v in vocab.values()) >= 3  # spans several communities


def test_captions_speak_their_community_language(sample: Path, truth: dict[str, Any]) -> None:
    lang = {c["community"]: c["language"] for c in truth["community_profiles"]}
    assert len(set(lang.values())) == 5
    hits = total = 0
    for p in _posts(sample).values():
        if p["description"]:
            total += 1
            hits += detect_language(p["description"]) == lang[truth["communities"][p["author"]]]
    assert total > 500 and hits / total >= 0.95


def test_some_posts_have_small_real_images(sample: Path, truth: dict[str, Any]) -> None:
    images = sorted(sample.rglob("*.jpg"))
    assert len(images) == truth["counts"]["images"] == 60
    brightness = []
    for path in images:
        with Image.open(path) as img:
            assert img.format == "JPEG" and img.size == (64, 64)
            brightness.append(ImageStat.Stat(img.convert("L")).mean[0])
        assert path.with_name(path.name + ".json").is_file()  # media next to its sidecar
    assert max(brightness) - min(brightness) > 40
    assert sum(p.stat().st_size for p in images) < 200_000


# --------------------------------------------------------------------------- the gallery-dl parser reads it


def test_every_scrape_parses_with_zero_rejects(sample: Path, truth: dict[str, Any]) -> None:
    posts: set[str] = set()
    users: set[str] = set()
    follows: set[tuple[str, str]] = set()
    observations = 0
    for folder in truth["scrapes"]:
        stats = ParseStats()
        for rec in gallery_dl.parse(sample / folder["folder"], stats=stats):
            assert not isinstance(rec, Reject), (rec.source, rec.reason)
            if isinstance(rec, PostRecord):
                posts.add(rec.id)
                observations += 1
                assert rec.observed_at is not None and folder_name(rec.observed_at) == folder["folder"]
            elif isinstance(rec, UserRecord):
                users.add(rec.id)
            elif isinstance(rec, FollowRecord):
                follows.add((rec.follower, rec.followed))
        assert stats.files_rejected == 0
    counts = truth["counts"]
    assert len(posts) == counts["posts"] and observations == counts["observations"]
    assert len(users) == counts["users"] and len(follows) == counts["follows"]
    assert posts >= set(truth["viral_posts"])


def test_whole_folder_parses_with_the_ground_truth_file_skipped(sample: Path) -> None:
    stats = ParseStats()
    rejects = [r for r in gallery_dl.parse(sample, stats=stats) if isinstance(r, Reject)]
    assert rejects == []
    assert stats.skipped.get("ground truth of a generated sample") == 1


# --------------------------------------------------------------------------- errors and CLI


@pytest.mark.parametrize(
    "bad",
    [
        SampleParameters(users=1),
        SampleParameters(scrapes=0),
        SampleParameters(communities=0),
        SampleParameters(users=10, communities=11),
        SampleParameters(p_in=1.5),
        SampleParameters(images=-1),
    ],
)
def test_bad_parameters_are_refused(bad: SampleParameters, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        generate_sample(tmp_path / "x", bad)


def test_refuses_a_non_empty_folder_unless_it_is_a_previous_sample(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(InputError, match="not empty"):
        generate_sample(tmp_path, SampleParameters(users=20, communities=2))
    out = tmp_path / "s"
    generate_sample(out, SampleParameters(users=20, communities=2, images=0))
    with pytest.raises(InputError, match="--force"):
        generate_sample(out, SampleParameters(users=20, communities=2, images=0))
    summary = generate_sample(out, SampleParameters(users=30, communities=2, images=0), overwrite=True)
    assert summary.users == 30
    assert len(json.loads((out / "ground_truth.json").read_text())["communities"]) == 30
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_cli_sample_writes_and_summarises(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(
        cli,
        [
            "--quiet",
            "sample",
            str(out),
            "--users",
            "40",
            "--seed",
            "3",
            "--scrapes",
            "2",
            "--posts-per-user",
            "3",
            "--communities",
            "3",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {r["item"]: r["value"] for r in json.loads(result.output)}
    assert rows["users"] == 40 and rows["communities"] == 3
    truth = json.loads((out / "ground_truth.json").read_text())
    assert truth["parameters"]["scrapes"] == 2 and len(truth["scrapes"]) == 2
    assert rows["posts"] == truth["counts"]["posts"]
    again = CliRunner().invoke(cli, ["sample", str(out), "--users", "40"])
    assert again.exit_code == 1 and "--force" in again.output


# --------------------------------------------------------------------------- into the graph
