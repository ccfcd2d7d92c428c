"""Follow-graph parser: edge lists, CSV, GraphML, SNAP JSON; fixtures, the real graphs, fuzzing."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influence.errors import InputError
from influence.loaders import follows
from influence.loaders.records import FollowRecord, Record, Reject, ScrapeRecord, UserRecord

FIXTURES = Path(__file__).parents[1] / "fixtures" / "follows"


def _edges(records: list[Record]) -> list[tuple[str, str, float | None]]:
    return [(r.follower, r.followed, r.weight) for r in records if isinstance(r, FollowRecord)]


def _rejects(records: list[Record]) -> dict[str, str]:
    return {r.position: r.reason for r in records if isinstance(r, Reject)}


def test_unknown_format_raises() -> None:
    with pytest.raises(InputError, match="unknown follow-graph format"):
        follows.parse(FIXTURES / "graph.edgelist", "dot")


def test_detect_format() -> None:
    assert follows.detect_format(FIXTURES / "graph.edgelist") == "edgelist"
    assert follows.detect_format(FIXTURES / "graph.graphml") == "graphml"
    assert follows.detect_format(FIXTURES / "snap.json") == "json"
    assert follows.detect_format(FIXTURES / "nodes.csv") == "csv"
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "noext"
        p.write_text("<graphml/>")
        assert follows.detect_format(p) == "graphml"
        p.write_text("source,target\na,b\n")
        assert follows.detect_format(p) == "csv"
        p.write_text("1 2\n")
        assert follows.detect_format(p) == "edgelist"


def test_edgelist() -> None:
    records = list(follows.parse(FIXTURES / "graph.edgelist"))
    scrape = records[0]
    assert isinstance(scrape, ScrapeRecord) and scrape.source == "follows" and scrape.tool == "edgelist"
    assert scrape.id == f"follows:{(FIXTURES / 'graph.edgelist').resolve()}"
    assert _edges(records) == [
        ("alice", "bob", 0.5),
        ("bob", "carol", None),
        ("carol", "alice", 2.0),  # networkx data dict
        ("eve", "frank", None),
    ]
    reasons = _rejects(records)
    assert "two node ids" in reasons["line 6"]
    assert "not a finite number" in reasons["line 8 weight"]


def test_edgelist_header_line_skipped() -> None:
    records = list(follows.parse(FIXTURES / "header.edges"))
    assert _edges(records) == [("x", "y", 1.0)]
    assert not _rejects(records)


def test_graphml_nodes_and_edges() -> None:
    records = list(follows.parse(FIXTURES / "graph.graphml"))
    users = {u.id: u for u in records if isinstance(u, UserRecord)}
    n1 = users["n1"]
    assert n1.full_name == "Ann Lee" and n1.followers == 9107
    # attribute names made valid property names; "id" cannot overwrite the key
    assert n1.extra == {"party": "D", "vote_share": 0.61, "attr_id": "x"}
    assert users["n2"].extra == {"party": "I"}  # the key's default
    assert users["n2"].followers is None
    assert _edges(records) == [
        ("n1", "n2", 0.25),
        ("n2", "n1", None),
        ("n1", "n2", None),
    ]  # undirected edge: both ways
    reasons = _rejects(records)
    assert any("followers_count" in k for k in reasons)
    assert any("without source and target" in v for v in reasons.values())


def test_graphml_undirected_and_broken() -> None:
    assert _edges(list(follows.parse(FIXTURES / "undirected.graphml"))) == [
        ("a", "b", None),
        ("b", "a", None),
    ]
    records = list(follows.parse(FIXTURES / "broken.graphml"))
    assert _edges(records) == [("a", "b", None)]  # everything before the break is kept
    assert any("not valid XML" in r.reason for r in records if isinstance(r, Reject))


def test_snap_json() -> None:
    records = list(follows.parse(FIXTURES / "snap.json"))
    users = [u for u in records if isinstance(u, UserRecord)]
    assert [(u.id, u.username, u.extra) for u in users] == [
        ("0", "RepA", {"party": "D"}),
        ("1", "RepB", {"party": "R"}),
        ("2", "RepC", {"party": "D"}),
    ]
    assert _edges(records) == [("0", "1", 0.5), ("0", "2", 0.25), ("1", "0", 1.0)]
    assert "not a node index" in _rejects(records)["outList[2][0]"]
    nodes_only = list(follows.parse_nodes(FIXTURES / "snap.json"))
    assert not _edges(nodes_only) and len([u for u in nodes_only if isinstance(u, UserRecord)]) == 3


def test_parse_nodes_csv() -> None:
    records = list(follows.parse_nodes(FIXTURES / "nodes.csv"))
    assert isinstance(records[0], ScrapeRecord)
    users = [u for u in records if isinstance(u, UserRecord)]
    assert len(users) == 1
    u = users[0]
    assert (u.id, u.username, u.full_name, u.followers) == ("101", "RepA", "Ann A", 1200)
    assert u.extra == {"party": "D"}
    assert "node without an id" in _rejects(records)["line 3"]


def test_node_table_given_as_edges_says_what_to_do() -> None:
    records = list(follows.parse(FIXTURES / "nodes.csv"))
    assert "parse_nodes" in _rejects(records)["line 1"]


# --------------------------------------------------------------------------- real data


def test_real_congress_csv(shared_data: Path) -> None:
    folder = shared_data / "follow-graphs"
    with (folder / "congress-twitter-network-edges.csv").open(newline="") as f:
        raw_edges = [(r["source"], r["target"]) for r in csv.DictReader(f)]
    records = list(follows.parse(folder / "congress-twitter-network-edges.csv"))
    assert [(a, b) for a, b, _ in _edges(records)] == raw_edges
    assert not _rejects(records)
    with (folder / "congress-twitter-network-nodes.csv").open(newline="") as f:
        raw_nodes = list(csv.DictReader(f))
    users = [
        u
        for u in follows.parse_nodes(folder / "congress-twitter-network-nodes.csv")
        if isinstance(u, UserRecord)
    ]
    assert {u.id: u.extra["party"] for u in users} == {r["id_str"]: r["party"] for r in raw_nodes}
    assert {u.id: u.followers for u in users} == {r["id_str"]: int(r["followers_count"]) for r in raw_nodes}
    # every edge endpoint is a known node
    ids = {u.id for u in users}
    assert {a for a, _ in raw_edges} | {b for _, b in raw_edges} <= ids


def test_real_congress_edgelist_matches_json(shared_data: Path) -> None:
    folder = shared_data / "follow-graphs"
    raw = []
    for line in (folder / "congress.edgelist").read_text().splitlines():
        if line.strip():
            a, b, w = line.split()
            raw.append((a, b, float(w)))
    from_edgelist = _edges(list(follows.parse(folder / "congress.edgelist")))
    assert from_edgelist == raw
    records = list(follows.parse(folder / "congress_network_data.json"))
    assert sorted(_edges(records)) == sorted(raw)
    doc = json.loads((folder / "congress_network_data.json").read_text())[0]
    users = [u for u in records if isinstance(u, UserRecord)]
    assert [u.username for u in users] == doc["usernameList"]
    assert [u.extra["party"] for u in users] == doc["partyList"]


# --------------------------------------------------------------------------- fuzzing


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=st.sampled_from(follows.FORMATS), data=st.binary(max_size=400))
def test_fuzz_bytes_never_raise(fmt: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "g.dat"
        path.write_bytes(data)
        records = list(follows.parse(path, fmt))
        nodes = list(follows.parse_nodes(path))
    assert isinstance(records[0], ScrapeRecord) and isinstance(nodes[0], ScrapeRecord)


_xmlish = st.lists(
    st.sampled_from(
        ['<node id="a"/>', '<node id=""/>', '<edge source="a" target="b"/>', '<edge source="a"/>', "<data key='d0'>x</data>",
         '<key id="d0" for="node" attr.name="n-m" attr.type="int"/>', '<edge source="a" target="b"><data key="w">nan</data></edge>',
         "<hyperedge/>", "&amp;", "<node id='q'><data key='d0'>12</data></node>", "<!-- c -->"]
    ),
    max_size=8,
)  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(parts=_xmlish, undirected=st.booleans())
def test_fuzz_graphml_never_raises(parts: list[str], undirected: bool) -> None:
    body = "".join(parts)
    doc = (
        f'<graphml><graph edgedefault="{"undirected" if undirected else "directed"}">{body}</graph></graphml>'
    )
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "g.graphml"
        path.write_text(doc)
        records = list(follows.parse(path))
    assert isinstance(records[0], ScrapeRecord)
    for r in records[1:]:
        assert isinstance(r, FollowRecord | UserRecord | Reject)


def test_graphml_unknown_encoding_is_a_reject() -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "g.graphml"
        path.write_text('<?xml version="1.0" encoding="UTx-8"?><graphml/>')
        records = list(follows.parse(path))
    assert [type(r) for r in records] == [ScrapeRecord, Reject]
