"""Hostile input gives a bounded, clear result: decompression bombs, huge values, garbage bytes,
identifiers that are not identifiers, and too many dynamic property names (issue 11).

No database: the parsers and the row builders shared by ingest and the bulk export are checked
directly, and the loader's peak memory is measured in a child process.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import subprocess
import sys
from pathlib import Path

import pytest

from influence.loaders import follows, instaloader, limits
from influence.loaders.bulk import write_import
from influence.loaders.common import iter_json_values, load_json_values
from influence.loaders.ingest import RecordError, follow_row, post_row, reason_kind, user_row
from influence.loaders.records import FollowRecord, PostRecord, Reject, UserRecord

MiB = 1024 * 1024
#: Peak resident memory (VmHWM) a parser may reach on a decompression bomb: the interpreter and
#: its imports take ~60 MiB; decompression stops at the ratio limit (~60 MiB here).
BOMB_BOUND_MB = 150
#: ... and on a plain file under the 64 MiB document limit holding one 20 MB caption (measured
#: ~370 MB: the JSON text, the parsed value and the parser's copies of the caption).
PEAK_BOUND_MB = 450


def _xz_repeated(prefix: bytes, filler: bytes, copies: int, suffix: bytes) -> bytes:
    """An .xz file of concatenated streams: ``prefix + filler * copies + suffix`` when
    decompressed (a multi-stream file is valid .xz; compressing ``filler`` once keeps this fast)."""
    block = lzma.compress(filler, preset=0)
    return lzma.compress(prefix) + block * copies + lzma.compress(suffix)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bombs")
    zeros = root / "zeros" / "2024-05-01_10-00-00_UTC.json.xz"
    zeros.parent.mkdir()
    # 2 GiB of zeros in ~300 KB
    zeros.write_bytes(_xz_repeated(b"", bytes(64 * MiB), 32, b""))
    post = {
        "node": {
            "shortcode": "AAbomb00001", "id": "3300000000000000999", "__typename": "GraphImage",
            "is_video": False, "date": 1714464000, "caption": "@@CAPTION@@",
            "owner": {"id": "1000000009", "username": "bomber"}, "edge_media_preview_like": {"count": 5},
        },
        "instaloader": {"version": "4.16", "node_type": "Post"},
    }
    head, tail = json.dumps(post).encode().split(b"@@CAPTION@@")
    caption = root / "caption" / "2024-05-01_10-00-00_UTC.json.xz"
    caption.parent.mkdir()
    # a valid post whose caption is 1.5 GiB of "A"
    caption.write_bytes(_xz_repeated(head, b"A" * (64 * MiB), 24, tail))
    big = root / "big" / "2024-05-01_10-00-00_UTC.json"
    big.parent.mkdir()
    # under the document limit, but one caption of 20 MB
    big.write_bytes(head + b"A" * (20 * MiB) + tail)
    return {"zeros": zeros, "caption": caption, "big": big}


def _peak(loader: str, path: Path) -> dict[str, object]:
    """Run ``loader.parse(path)`` to the end in a child; its records, rejects and peak RSS (MB)."""
    code = f"""
import json, sys
from pathlib import Path
from influence.loaders import {loader} as m
from influence.loaders.records import Reject
rejects = []
records = 0
for r in m.parse(Path(sys.argv[1])):
    if isinstance(r, Reject):
        rejects.append(r.reason)
    else:
        records += 1
# VmHWM is this process's own peak (ru_maxrss would carry the forking parent's over exec)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
print(json.dumps({{"records": records, "rejects": rejects, "peak_mb": peak}}))
"""
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=600,
                         env={**os.environ}, check=True)
    result: dict[str, object] = json.loads(out.stdout)
    print(f"{loader} {path.parent.name}: peak {result['peak_mb']:.0f} MB, rejects {result['rejects']}")
    return result


@pytest.mark.parametrize("loader", ["instaloader", "gallery_dl"])
@pytest.mark.parametrize("bomb", ["zeros", "caption"])
def test_decompression_bombs_are_one_reject_in_bounded_memory(bombs: dict[str, Path], loader: str, bomb: str) -> None:
    path = bombs[bomb]
    assert path.stat().st_size < 1 * MiB
    result = _peak(loader, path)
    rejects = result["rejects"]
    assert isinstance(rejects, list) and len(rejects) == 1
    assert reason_kind(rejects[0]) in {"compression ratio too high", "decompressed file too large"}
    assert "decompression bomb" in rejects[0]
    assert float(result["peak_mb"]) < BOMB_BOUND_MB  # type: ignore[arg-type]


def test_a_20_mb_caption_rejects_the_post_not_the_load(bombs: dict[str, Path], tmp_path: Path) -> None:
    result = _peak("instaloader", bombs["big"])
    assert float(result["peak_mb"]) < PEAK_BOUND_MB  # type: ignore[arg-type]
    # the post reaches the row builder shared by ingest and bulk export, which refuses it
    rejects = tmp_path / "rejects.jsonl"
    summary = write_import(instaloader.parse(bombs["big"]), tmp_path / "import", rejects)
    lines = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert any(line["reason"].startswith("value too long: caption has 20,971,520 characters") for line in lines)
    assert len(lines[0]["raw"]["caption"]) <= 2001  # the rejects file keeps a bounded excerpt
    assert summary.written["posts"] == 0
    assert summary.reasons["value too long"] == 1


@pytest.mark.parametrize(("suffix", "compress"), [(".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress)])
def test_every_codec_streams_within_the_limits(tmp_path: Path, suffix: str, compress: object) -> None:
    path = tmp_path / f"posts.json{suffix}"
    path.write_bytes(compress(bytes(8 * MiB)))  # type: ignore[operator]
    with pytest.raises(limits.LimitExceeded, match="compression ratio too high"):
        limits.read_bounded(path)
    with pytest.raises(limits.LimitExceeded, match="decompressed file too large"):
        limits.read_bounded(path, limits.Limits(max_document_bytes=2 * MiB, max_ratio=1e9))
    assert len(limits.read_bounded(path, limits.Limits(max_ratio=1e9))) == 8 * MiB


def test_limits_are_configurable_and_plain_files_are_bounded_too(tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text("\n".join(json.dumps({"n": i}) for i in range(10)))
    with limits.using(limits.Limits(max_document_bytes=50)):
        got = list(load_json_values(path))
    assert len(got) == 1 and isinstance(got[0], Reject) and got[0].reason.startswith("file too large")
    with limits.using(limits.Limits(max_records_per_file=3)):
        got = list(load_json_values(path))
    assert [type(g).__name__ for g in got] == ["tuple"] * 3 + ["Reject"]
    assert isinstance(got[-1], Reject) and got[-1].reason.startswith("too many records in one file")
    assert len(list(load_json_values(path))) == 10
    with pytest.raises(ValueError, match="must be positive"):
        limits.Limits(max_ratio=0)


def test_random_bytes_are_not_a_graph(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(os.urandom(2 * MiB))
    got = list(follows.parse(path, "edgelist"))
    assert not any(isinstance(r, FollowRecord | UserRecord) for r in got)
    rejects = [r for r in got if isinstance(r, Reject)]
    assert len(rejects) == 1 and reason_kind(rejects[0].reason) == "not a text file"


def test_invalid_json_lines_are_summarised_by_kind(tmp_path: Path) -> None:
    text = "\n".join(["{not json"] * 50 + ['{"ok": 1}'] + ["[1, 2"] * 30)
    kinds = {reason_kind(r.reason) for r in iter_json_values(text, "x.jsonl") if isinstance(r, Reject)}
    assert kinds == {"invalid JSON"}
    rejected = [r for r in iter_json_values(text, "x.jsonl") if isinstance(r, Reject)]
    assert "at line 1 column 2" in rejected[0].reason  # the position stays in the reason and the file


def test_identifiers_must_look_like_identifiers() -> None:
    for bad, kind in [("a\x00b", "invalid id"), ("\ufffd\ufffd", "invalid id"), ("x" * 300, "invalid id"),
                      ("tab\there", "invalid id")]:
        with pytest.raises(RecordError) as e:
            follow_row(FollowRecord(follower=bad, followed="ok"))
        assert reason_kind(str(e.value)) == kind
    assert follow_row(FollowRecord(follower="Ünïcode name", followed="42"))["follower"] == "Ünïcode name"
    # Instagram sources: user ids are usernames
    insta = "gallery-dl:/tmp/scrape:"
    with pytest.raises(RecordError, match="invalid username"):
        user_row(UserRecord(id="not a username!"), insta)
    with pytest.raises(RecordError, match="invalid username"):
        post_row(PostRecord(id="AAx", author="Bad Author"), insta)
    assert user_row(UserRecord(id="ok.user_1"), insta)[0]["id"] == "ok.user_1"
    assert user_row(UserRecord(id="Any Name"), "csv:/tmp/a.csv")[0]["id"] == "Any Name"


def test_long_lists_and_texts_are_refused() -> None:
    with pytest.raises(RecordError, match="list too long: hashtags has 5,000 entries"):
        post_row(PostRecord(id="AAx", hashtags=[f"t{i}" for i in range(5000)]), None)
    with pytest.raises(RecordError, match="value too long: biography"):
        user_row(UserRecord(id="u", biography="b" * 30_000), None)
    with limits.using(limits.Limits(max_text_chars=40_000, max_list_items=10_000)):
        assert post_row(PostRecord(id="AAx", hashtags=[f"t{i}" for i in range(5000)]), None)
        assert user_row(UserRecord(id="u", biography="b" * 30_000), None)


def test_dynamic_property_names_are_bounded_per_load() -> None:
    names: set[str] = set()
    with limits.using(limits.Limits(max_extra_properties=3)):
        row, dropped = user_row(UserRecord(id="u1", extra={f"c{i}": i for i in range(10)}), None, names)
        assert row["extra"] == {"c0": 0, "c1": 1, "c2": 2}
        assert len(dropped) == 1 and dropped[0].startswith("too many extra property names: 7 new names")
        row, dropped = user_row(UserRecord(id="u2", extra={"c1": 5, "c9": 9}), None, names)
        assert row["extra"] == {"c1": 5} and len(dropped) == 1
    assert names == {"c0", "c1", "c2"}



def test_load_cli_applies_the_limit_options(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from influence.cli import cli

    folder = tmp_path / "scrape" / "alice"
    folder.mkdir(parents=True)
    post = {"node": {"shortcode": "AAgood00001", "id": "1", "__typename": "GraphImage", "date": 1714464000,
                     "caption": "hello #tag", "owner": {"id": "9", "username": "alice"}},
            "instaloader": {"version": "4.16", "node_type": "Post"}}
    (folder / "2024-05-01_10-00-00_UTC.json").write_text(json.dumps(post))
    (folder / "2024-05-02_10-00-00_UTC.json.xz").write_bytes(lzma.compress(bytes(3 * MiB)))
    rejects = tmp_path / "rejects.jsonl"
    result = CliRunner().invoke(cli, [
        "load", "instaloader", str(tmp_path / "scrape"), "--bulk", str(tmp_path / "out"),
        "--rejects", str(rejects), "--max-document-mb", "2", "--max-ratio", "1e6",
    ])
    assert result.exit_code == 0, result.output
    assert "rejected: decompressed file too large" in result.output
    assert "\nposts " in result.output
    reasons = [json.loads(line)["reason"] for line in rejects.read_text().splitlines()]
    assert len(reasons) == 1 and "over 2 MiB" in reasons[0]
