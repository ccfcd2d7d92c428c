"""The graph model is written once: the Bolt writer's rows and Cypher, the bulk import's headers
and the CSV mapping all agree with :mod:`influence.graph_model` (a property added or renamed in
one place only fails here)."""

from __future__ import annotations

import csv
import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

from influence import cypher
from influence import graph_model as gm
from influence.ingest.bulk import write_import
from influence.ingest.rows import post_row, scrape_row, user_row
from influence.loaders.csv_input.columns import extra_name
from influence.loaders.csv_input.mapping import ALIASES, DEFAULT_MAPPINGS
from influence.loaders.records import ObservationRecord, PostRecord, ScrapeRecord, UserRecord

AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
VALUES = {"string": "x", "long": 7, "boolean": True, "datetime": AT}


def _full(cls: type, **given: object) -> object:
    """A record of ``cls`` with every field the graph model loads from it filled in."""
    names = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, object] = {}
    for label in gm.NODE_PROPERTIES:
        for p in gm.NODE_PROPERTIES[label] + gm.POST_ROW_TEXTS:
            if p.field in names:
                values[p.field] = VALUES[p.type]
    return cls(**{**values, **given})


def _loaded(label: str) -> set[str]:
    return {p.name for p in gm.NODE_PROPERTIES[label] if p.field is not None}


def test_every_record_field_named_by_the_model_exists() -> None:
    records = {
        gm.USER: UserRecord,
        gm.POST: PostRecord,
        gm.SCRAPE: ScrapeRecord,
        gm.OBSERVATION: ObservationRecord,
    }
    for label, cls in records.items():
        fields = {f.name for f in dataclasses.fields(cls)}
        missing = {p.field for p in gm.NODE_PROPERTIES[label] if p.field is not None} - fields
        assert not missing, f"{label}: the graph model loads {missing} that {cls.__name__} lacks"
    post_fields = {f.name for f in dataclasses.fields(PostRecord)}
    assert {p.field for p in gm.POST_ROW_TEXTS} <= post_fields
    assert {p.field for p in gm.NODE_PROPERTIES[gm.LOCATION]} <= post_fields


def test_bolt_writer_rows_carry_every_loaded_property() -> None:
    row, dropped = user_row(_full(UserRecord, id="u1"), None)  # type: ignore[arg-type]
    assert not dropped
    assert set(row) - {"id"} == _loaded(gm.USER)

    post = _full(PostRecord, id="p1", author=None, owner_id="42", observed_at=AT)
    prow = post_row(post, None)  # type: ignore[arg-type]
    want = _loaded(gm.POST) | {p.name for p in gm.POST_ROW_TEXTS}
    assert want <= set(prow), want - set(prow)

    srow = scrape_row(_full(ScrapeRecord, id="s1", source="csv"))  # type: ignore[arg-type]
    assert set(srow) - {"id"} == _loaded(gm.SCRAPE)


def _set_properties(statement: str, var: str) -> set[str]:
    return set(re.findall(rf"\b{var}\.(\w+) = ", statement))


def test_merge_statements_set_exactly_the_model_properties() -> None:
    users = cypher.load("merge_users")
    assert _set_properties(users, "u") == {p.name for p in gm.NODE_PROPERTIES[gm.USER]}
    # every User property is read from the row key of the same name
    assert set(re.findall(r"u\.(\w+) = coalesce\(row\.(\w+)", users)) == {
        (p.name, p.name) for p in gm.NODE_PROPERTIES[gm.USER]
    }
    posts = {p.name for p in gm.NODE_PROPERTIES[gm.POST]}
    assert _set_properties(cypher.load("merge_posts_new"), "p") == posts
    assert _set_properties(cypher.load("merge_posts"), "p") == posts
    assert _set_properties(cypher.load("merge_scrapes"), "s") == {
        p.name for p in gm.NODE_PROPERTIES[gm.SCRAPE]
    }
    obs = _set_properties(cypher.load("merge_observations"), "o")
    assert obs == {p.name for p in gm.NODE_PROPERTIES[gm.OBSERVATION]}


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def test_bulk_import_headers_follow_the_model(tmp_path: Path) -> None:
    records = [
        ScrapeRecord(id="s1", source="csv", tool="t", tool_version="1", started_at=AT, path="/x"),
        _full(UserRecord, id="u1"),
        _full(PostRecord, id="p1", author="u1", observed_at=AT, location_id="l1"),
        _full(PostRecord, id="p2", author=None, owner_id="42"),
    ]
    out = tmp_path / "bulk"
    write_import(records, out, tmp_path / "rejects.jsonl")  # type: ignore[arg-type]
    for label in (gm.USER, gm.POST, gm.SCRAPE, gm.OBSERVATION, gm.LOCATION):
        key = gm.KEYS[label]
        want = [f"{key}:ID({label})", ":LABEL"] + [
            p.name if p.type == "string" else f"{p.name}:{p.type}" for p in gm.NODE_PROPERTIES[label]
        ]
        assert _header(out / f"nodes_{label}.csv") == want
    for name, rel in gm.RELATIONSHIPS.items():
        path = out / f"rels_{name}.csv"
        if path.exists():
            assert _header(path) == [f":START_ID({rel.start})", f":END_ID({rel.end})", ":TYPE"] + [
                f"{p.name}:{p.type}" for p in rel.properties
            ]
    # the post known only by its owner's platform id waits for its owner, as with the Bolt writer
    with (out / "nodes_Post.csv").open(encoding="utf-8", newline="") as f:
        labels = {row["id:ID(Post)"]: row[":LABEL"] for row in csv.DictReader(f)}
    assert labels == {"p1": gm.POST, "p2": f"{gm.POST};{gm.AWAITING_OWNER}"}


def test_csv_mapping_reads_every_user_field_and_keeps_extras_off_reserved_names() -> None:
    user_fields = {p.field for p in gm.NODE_PROPERTIES[gm.USER]}
    assert set(ALIASES["accounts"]) == user_fields | {"id"}
    assert set(DEFAULT_MAPPINGS["accounts"].values()) <= user_fields | {"id"}
    post_fields = {f.name for f in dataclasses.fields(PostRecord)}
    assert set(ALIASES["posts"]) - post_fields <= {"posted_time", "product_type", "age", "author_followers"}
    for name in gm.RESERVED_USER_PROPERTIES | gm.USER_LOADER_EXTRAS:
        renamed = extra_name(name)
        assert renamed is not None and renamed.startswith("attr_"), name
