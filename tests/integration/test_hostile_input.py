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

from influence.ingest import RecordError, follow_row, post_row, reason_kind, user_row
from influence.ingest.bulk import write_import
from influence.loaders import follows, instaloader, limits
from influence.loaders.common import iter_json_values, load_json_values
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
            "shortcode": "AAbomb00001",
            "id": "3300000000000000999",
            "__typename": "GraphImage",
            "is_video": False,
            "date": 1714464000,
            "caption": "@@CAPTION@@",
            "owner": {"id": "1000000009", "username": "bomber"},
            "edge_media_preview_like": {"count": 5},
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
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ},
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    print(f"{loader} {path.parent.name}: peak {result['peak_mb']:.0f} MB, rejects {result['rejects']}")
    return result


@pytest.mark.parametrize("loader", ["instaloader", "gallery_dl"])
@pytest.mark.parametrize("bomb", ["zeros", "caption"])
def test_decompression_bombs_are_one_reject_in_bounded_memory(
    bombs: dict[str, Path], loader: str, bomb: str
) -> None:
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
    assert any(
        line["reason"].startswith("value too long: caption has 20,971,520 characters") for line in lines
    )
    assert len(lines[0]["raw"]["caption"]) <= 2001  # the rejects file keeps a bounded excerpt
    assert summary.written["posts"] == 0
    assert summary.reasons["value too long"] == 1


@pytest.mark.parametrize(
    ("suffix", "compress"), [(".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress)]
)
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
    for bad, kind in [
        ("a\x00b", "invalid id"),
        ("\ufffd\ufffd", "invalid id"),
        ("x" * 300, "invalid id"),
        ("tab\there", "invalid id"),
    ]:
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
    post = {
        "node": {
            "shortcode": "AAgood00001",
            "id": "1",
            "__typename": "GraphImage",
            "date": 1714464000,
            "caption": "hello #tag",
            "owner": {"id": "9", "username": "alice"},
        },
        "instaloader": {"version": "4.16", "node_type": "Post"},
    }
    (folder / "2024-05-01_10-00-00_UTC.json").write_text(json.dumps(post))
    (folder / "2024-05-02_10-00-00_UTC.json.xz").write_bytes(lzma.compress(bytes(3 * MiB)))
    rejects = tmp_path / "rejects.jsonl"
    result = CliRunner().invoke(
        cli,
        [
            "load",
            "instaloader",
            str(tmp_path / "scrape"),
            "--bulk",
            str(tmp_path / "out"),
            "--rejects",
            str(rejects),
            "--max-document-mb",
            "2",
            "--max-ratio",
            "1e6",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "rejected: decompressed file too large" in result.output
    assert "\nposts " in result.output
    reasons = [json.loads(line)["reason"] for line in rejects.read_text().splitlines()]
    assert len(reasons) == 1 and "over 2 MiB" in reasons[0]


# --------------------------------------------------------------------------- issue 19: every format, rejects, models


def _peak_of(code: str, *args: str) -> dict[str, object]:
    """Run ``code`` (which sets ``out``, a JSON-able dict) in a child; ``out`` with its peak RSS in MB."""
    wrapper = (
        code
        + """
out["peak_mb"] = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps(out))
"""
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys\nfrom pathlib import Path\n" + wrapper, *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    print(f"peak {result['peak_mb']:.0f} MB: {str(result)[:300]}")
    return result


_FOLLOWS = """
from influence.loaders import follows
from influence.loaders.records import FollowRecord, Reject, UserRecord
edges, users, rejects = [], 0, []
for r in follows.parse(Path(sys.argv[1]), sys.argv[2]):
    if isinstance(r, Reject):
        rejects.append(r.reason[:1000])
    elif isinstance(r, FollowRecord):
        edges.append([r.follower, r.followed])
    elif isinstance(r, UserRecord):
        users += 1
out = {"edges": edges[:20], "n_edges": len(edges), "users": users, "rejects": rejects[:20]}
"""
#: Peak RSS a loader may reach on one hostile line / element / file (issue 19: under 1 GB; the
#: interpreter with networkx and the loaders imported takes ~100 MB).
LINE_BOUND_MB = 250


def _write_big(path: Path, head: bytes, unit: bytes, total: int, tail: bytes) -> Path:
    with path.open("wb") as f:
        f.write(head)
        block = unit * (MiB // len(unit))
        for _ in range(total // len(block)):
            f.write(block)
        f.write(tail)
    return path


def test_a_100_mb_csv_line_is_one_reject_in_bounded_memory(tmp_path: Path) -> None:
    path = _write_big(
        tmp_path / "follows.csv", b"source,target\nalice,bob\n" + b"carol,", b"x", 100 * MiB, b"\ndave,erin\n"
    )
    result = _peak_of(_FOLLOWS, str(path), "csv")
    assert result["edges"] == [["alice", "bob"], ["dave", "erin"]]
    rejects = result["rejects"]
    assert (
        isinstance(rejects, list) and len(rejects) == 1 and rejects[0].startswith("line too long: 104,857,6")
    )
    assert float(result["peak_mb"]) < LINE_BOUND_MB  # type: ignore[arg-type]


def test_a_100_mb_edge_list_line_is_a_reject_never_a_truncated_edge(tmp_path: Path) -> None:
    path = _write_big(tmp_path / "g.edgelist", b"alice bob\n", b"a b ", 100 * MiB, b"\ncarol dave\n")
    result = _peak_of(_FOLLOWS, str(path), "edgelist")
    assert result["edges"] == [["alice", "bob"], ["carol", "dave"]]  # no a->b from the long line
    assert len(result["rejects"]) == 1 and str(result["rejects"][0]).startswith("line too long")  # type: ignore[index]
    assert float(result["peak_mb"]) < LINE_BOUND_MB  # type: ignore[arg-type]
    # under the line limit, a line of many tokens is not one edge either
    short = tmp_path / "tokens.edgelist"
    short.write_text("alice bob\n" + "a b " * 1000 + "\n")
    got = list(follows.parse(short, "edgelist"))
    assert [(r.follower, r.followed) for r in got if isinstance(r, FollowRecord)] == [("alice", "bob")]
    assert any(isinstance(r, Reject) and r.reason.startswith("too many fields: 2,000") for r in got)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_a_node_with_3_million_data_children_is_one_reject_in_bounded_memory(
    tmp_path: Path, fmt: str
) -> None:
    if fmt == "graphml":
        head = (
            b'<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            b'<key id="d0" for="node" attr.name="x" attr.type="string"/><graph edgedefault="directed">'
            b'<node id="ok1"/><node id="huge">'
        )
        unit, tail = (
            b'<data key="d0">v</data>',
            b'</node><node id="ok2"/><edge source="ok1" target="ok2"/></graph></graphml>',
        )
    else:
        head = (
            b'<?xml version="1.0"?><gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="directed">'
            b'<attributes class="node"><attribute id="0" title="x" type="string"/></attributes><nodes>'
            b'<node id="ok1" label="ok1"/><node id="huge" label="huge"><attvalues>'
        )
        unit = b'<attvalue for="0" value="v"/>'
        tail = (
            b'</attvalues></node><node id="ok2" label="ok2"/></nodes><edges><edge source="ok1" target="ok2"/>'
            b"</edges></graph></gexf>"
        )
    # issue 19's probe held 3 M children (69 MB): 1.5 GB before; measured after: 52 MB (GraphML),
    # 42 MB (GEXF) in ~110 s each on the 2-core box. The test keeps a tenth of it (the parse is
    # ~10 µs per XML event) under a limit of a tenth: the same ratio, the same code path.
    path = _write_big(tmp_path / f"g.{fmt}", head, unit, 300_000 * len(unit) // MiB * MiB, tail)
    assert path.stat().st_size > 6 * MiB
    result = _peak_of(
        _FOLLOWS.replace(
            "for r in", "limits.using(limits.Limits(max_line_bytes=100_000)).__enter__()\nfor r in"
        ).replace("from influence.loaders import follows", "from influence.loaders import follows, limits"),
        str(path),
        fmt,
    )
    assert result["edges"] == [["ok1", "ok2"]] and result["users"] == 2
    rejects = result["rejects"]
    assert (
        isinstance(rejects, list) and len(rejects) == 1 and rejects[0].startswith("element too large: <node>")
    )
    assert float(result["peak_mb"]) < 120  # type: ignore[arg-type]  # the interpreter and loaders: ~40 MB


@pytest.mark.parametrize(("fmt", "suffix"), [("gml", ".gml"), ("pajek", ".net")])
def test_gml_and_pajek_over_the_file_budget_are_refused_with_the_way_out(
    tmp_path: Path, fmt: str, suffix: str
) -> None:
    nodes = 300_000 if fmt == "gml" else 1_000_000  # 27 MB of GML, 17 MB of Pajek
    path = tmp_path / f"big{suffix}"
    with path.open("w") as f:
        if fmt == "gml":
            f.write("graph [\n  directed 1\n")
            for i in range(nodes):
                f.write(f'  node [\n    id {i}\n    label "user{i}"\n  ]\n')
            for i in range(nodes - 1):
                f.write(f"  edge [\n    source {i}\n    target {i + 1}\n  ]\n")
            f.write("]\n")
        else:
            f.write(f"*Vertices {nodes}\n")
            f.writelines(f'{i + 1} "user{i}"\n' for i in range(nodes))
            f.write("*Arcs\n")
            f.writelines(f"{i + 1} {i + 2}\n" for i in range(nodes - 1))
    assert path.stat().st_size > limits.DEFAULT.max_graph_file_bytes
    result = _peak_of(_FOLLOWS, str(path), fmt)
    rejects = result["rejects"]
    assert isinstance(rejects, list) and len(rejects) == 1 and result["n_edges"] == 0
    assert (
        rejects[0].startswith("file too large")
        and "edge list" in rejects[0]
        and "--max-graph-file-mb" in rejects[0]
    )
    assert float(result["peak_mb"]) < LINE_BOUND_MB  # type: ignore[arg-type]
    # a small graph loads (networkx reads it whole); the budget is the file's size
    small = tmp_path / f"small{suffix}"
    small.write_text(
        'graph [ directed 1 node [ id 0 label "a" ] node [ id 1 label "b" ] edge [ source 0 target 1 ] ]'
        if fmt == "gml"
        else '*Vertices 2\n1 "a"\n2 "b"\n*Arcs\n1 2\n'
    )
    assert [(r.follower, r.followed) for r in follows.parse(small, fmt) if isinstance(r, FollowRecord)] == [
        ("a", "b")
    ]
    with limits.using(limits.Limits(max_graph_file_bytes=20)):
        assert [r.reason[:15] for r in follows.parse(small, fmt) if isinstance(r, Reject)] == [
            "file too large:"
        ]


def test_the_rejects_file_is_capped_and_the_rest_counted_by_reason(tmp_path: Path) -> None:
    from influence.loaders import csv_input

    path = tmp_path / "users.csv"
    with path.open("w") as f:
        f.write("username,followers\n")
        f.writelines(f"user{i},not-a-number-{i}\n" if i % 2 else f"bad id {i}\x01,5\n" for i in range(20_000))
    rejects = tmp_path / "rejects.jsonl"
    with limits.using(limits.Limits(max_rejects=1_000)):
        summary = write_import(csv_input.records(path, "accounts", None), tmp_path / "out", rejects)
    lines = rejects.read_text().splitlines()
    assert len(lines) == 1_000
    assert summary.rejects_unwritten == summary.rejected - 1_000 > 0
    assert sum(summary.reasons.values()) == summary.rejected
    assert any(
        "rejects not written" in row["item"] and row["value"] == summary.rejects_unwritten
        for row in summary.rows()
    )
    capped = tmp_path / "capped.jsonl"
    with limits.using(limits.Limits(max_rejects_bytes=50_000)):
        summary = write_import(csv_input.records(path, "accounts", None), tmp_path / "out2", capped)
    assert 40_000 < capped.stat().st_size <= 50_000 and summary.rejects_unwritten > 0


def test_a_full_disk_under_the_rejects_file_is_an_error_naming_it(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    from click.testing import CliRunner

    from influence.cli import cli

    csv_file = tmp_path / "edges.csv"
    csv_file.write_text("source,target\n" + "".join(f"a{i},\n" for i in range(50_000)))
    result = CliRunner().invoke(
        cli,
        ["load", "follows", str(csv_file), "--bulk", str(tmp_path / "out"), "--rejects", "/dev/full", "-q"],
    )
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: cannot write the rejects file /dev/full: the disk holding it is full"
    )
    assert "free space on that disk" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, OSError)


def _model(tmp_path: Path) -> Path:
    """A model folder that passes the checks before its files are parsed."""
    folder = tmp_path / "model"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            b'{"format": "influence-virality-model", "n": ' + b"9" * 100_000 + b"}", id="100000-digit number"
        ),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested 100000 deep"),
        pytest.param(b"\xff\xfe not utf-8", id="not UTF-8"),
        pytest.param(
            b'{"format": "influence-virality-model", "format_version": 3, "files": {"s": 1}}',
            id="wrong shape",
        ),
    ],
)
def test_every_malformed_model_json_is_a_model_error_naming_the_file(tmp_path: Path, content: bytes) -> None:
    from influence.errors import ModelError
    from influence.models import store

    folder = _model(tmp_path)
    (folder / "model.json").write_bytes(content)
    with pytest.raises(ModelError) as e:
        store.load(folder)
    assert str(folder / "model.json") in str(e.value)


def test_huge_model_files_are_refused_before_reading(tmp_path: Path) -> None:
    from influence.errors import ModelError
    from influence.models import store

    folder = _model(tmp_path)
    meta = folder / "model.json"
    with meta.open("wb") as f:
        f.truncate(1024 * MiB)  # sparse: 1 GiB without the disk space
    code = """
from influence.errors import ModelError
from influence.models import store
try:
    store.load(Path(sys.argv[1]))
    out = {"error": None}
except ModelError as e:
    out = {"error": str(e)}
"""
    result = _peak_of(code, str(folder))
    assert "1,024 MiB, over the 16 MiB" in str(result["error"])
    assert float(result["peak_mb"]) < 400  # type: ignore[arg-type]  # xgboost and pandas imported: ~250 MB
    meta.write_text(
        json.dumps(
            {
                "format": store.FORMAT,
                "format_version": store.FORMAT_VERSION,
                "features": {"s": ["a"]},
                "files": {"s": {"classifier": {"path": "s.classifier.ubj", "sha256": "0"}}},
            }
        )
    )
    with (folder / "s.classifier.ubj").open("wb") as f:
        f.truncate(1024 * MiB)
    with pytest.raises(ModelError, match=r"s\.classifier\.ubj is 1,024 MiB, over the 128 MiB"):
        store.load(folder)


def test_a_server_gone_during_a_model_read_is_a_connection_error(tmp_path: Path) -> None:
    """``predict`` and ``train`` read the graph through graphread: a stopped server is the one
    translated error (what to run), never the driver's traceback."""
    import socket

    from neo4j import GraphDatabase

    from influence.errors import ConnectionFailed
    from influence.models import graphread

    with socket.socket() as s:  # a port nobody listens on: the server is gone
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with GraphDatabase.driver(
        f"bolt://127.0.0.1:{port}", auth=("neo4j", "x"), max_transaction_retry_time=0.5
    ) as driver:
        with pytest.raises(
            ConnectionFailed, match="(?s)became unreachable during the model.s graph read.*influence db start"
        ):
            graphread.read_posts(driver, ["p1"])
        with pytest.raises(ConnectionFailed):
            graphread.read_post_ids(driver)


def test_query_returns_within_its_timeout_whatever_the_driver_does() -> None:
    """A server that accepts the connection and never answers (the driver would wait for its own
    timeouts, and retry): ``run_read_only`` still returns within ``timeout`` + the grace."""
    import socket
    import time

    from neo4j import GraphDatabase

    from influence import db
    from influence.errors import QueryError

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        driver = GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", "x"))
        started = time.monotonic()
        with pytest.raises(QueryError, match=r"did not finish within 0\.5 s \(rule: transaction timeout\)"):
            db.run_read_only(driver, "RETURN 1", timeout=0.5)
        db.close_within(driver, 2)  # what the CLI does on exit: the stuck connection does not hold it
        assert time.monotonic() - started < 0.5 + db.QUERY_GRACE + 2 + 3
