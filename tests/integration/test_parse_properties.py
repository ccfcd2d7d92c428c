"""Property tests: whatever the files hold, the parsers never raise, and every input file is
either parsed or rejected with a reason; what they do yield respects the record contract."""

from __future__ import annotations

import json
import lzma
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influence.loaders import gallery_dl, instaloader
from influence.loaders.common import ParseStats
from influence.loaders.records import FollowRecord, PostRecord, Record, Reject, ScrapeRecord, UserRecord
from influence.text import normalise_hashtag, normalise_username

Parser = Callable[..., Iterator[Record]]
PARSERS: dict[str, Parser] = {"gallery-dl": gallery_dl.parse, "instaloader": instaloader.parse}

scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=40)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=6)
    ),
    max_leaves=30,
)

# objects with the keys the parsers look at, holding arbitrary values: reaches the field code
GALLERY_KEYS = [
    "post_id",
    "post_shortcode",
    "post_url",
    "media_id",
    "num",
    "count",
    "type",
    "username",
    "owner_id",
    "fullname",
    "description",
    "tags",
    "likes",
    "post_date",
    "date",
    "tagged_users",
    "coauthors",
    "user",
    "video_url",
    "width",
    "height",
    "location_id",
    "location_name",
    "sidecar_media_id",
    "subcategory",
    "follower_count",
    "count_followed",
    "edge_followed_by",
    "is_verified",
    "category",
]
INSTA_KEYS = [
    "shortcode",
    "code",
    "id",
    "pk",
    "__typename",
    "is_video",
    "date",
    "taken_at_timestamp",
    "caption",
    "edge_media_to_caption",
    "edge_media_preview_like",
    "comments",
    "edge_media_to_comment",
    "owner",
    "user",
    "iphone_struct",
    "location",
    "edge_sidecar_to_children",
    "carousel_media",
    "usertags",
    "edge_media_to_tagged_user",
    "video_view_count",
    "product_type",
    "dimensions",
    "username",
    "edge_followed_by",
    "media_count",
]


def keyed(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), json_values, max_size=len(keys))


gallery_docs = (
    json_values
    | keyed(GALLERY_KEYS)
    | st.lists(
        st.tuples(st.sampled_from([2, 3, 6, -1, 9]), st.text(max_size=20), keyed(GALLERY_KEYS)).map(
            lambda t: [t[0], t[1], t[2]] if t[0] in (3, 6) else [t[0], t[2]]
        ),
        max_size=4,
    )
)
insta_docs = (
    json_values
    | keyed(INSTA_KEYS)
    | st.tuples(
        keyed(INSTA_KEYS), st.sampled_from(["Post", "StoryItem", "Profile", "Hashtag", "Other", 3])
    ).map(lambda t: {"node": t[0], "instaloader": {"version": "4.16", "node_type": t[1]}})
)


def check(parser: Parser, folder: Path, names: list[str]) -> list[Record]:
    """Parse ``folder``; assert the contract; return the records."""
    stats = ParseStats()
    records = list(parser(folder, stats=stats))
    assert isinstance(records[0], ScrapeRecord)
    assert stats.files_seen == len(names)
    assert stats.files_parsed + stats.files_rejected + stats.files_skipped == stats.files_seen
    for r in records:
        assert isinstance(r, ScrapeRecord | UserRecord | PostRecord | FollowRecord | Reject)
        if isinstance(r, Reject):
            assert r.reason and isinstance(r.reason, str) and r.position
            json.dumps(r.raw, allow_nan=False)  # the rejects file must be able to hold it
        elif isinstance(r, UserRecord):
            assert normalise_username(r.id) == r.id
            assert r.followers is None or (isinstance(r.followers, int) and r.followers >= 0)
        elif isinstance(r, PostRecord):
            assert isinstance(r.id, str) and r.id
            assert r.author is None or normalise_username(r.author) == r.author
            assert all(normalise_hashtag(t) == t for t in r.hashtags)
            assert all(normalise_username(u) == u for u in r.mentions + r.features + r.coauthors)
            for count in (r.likes, r.comments, r.views, r.width, r.height, r.carousel_size):
                assert count is None or (isinstance(count, int) and count >= 0)
            assert r.posted_at is None or r.posted_at.tzinfo is not None
        elif isinstance(r, FollowRecord):
            assert (
                normalise_username(r.follower) == r.follower and normalise_username(r.followed) == r.followed
            )
    return records


def accounted(records: list[Record], name: str, stats_skipped: bool) -> bool:
    """The file produced a record, or a reject naming it, or was skipped on purpose."""
    if stats_skipped:
        return True
    return any(not isinstance(r, ScrapeRecord) for r in records) or any(
        isinstance(r, Reject) and Path(r.source).name == name for r in records
    )


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(doc=gallery_docs)
def test_gallery_dl_any_json(doc: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "x.jpg.json").write_text(json.dumps(doc), encoding="utf-8")
        (folder / "x.jsonl").write_text(json.dumps(doc) + "\n" + json.dumps(doc), encoding="utf-8")
        records = check(gallery_dl.parse, folder, ["x.jpg.json", "x.jsonl"])
        empty = doc == [] or (isinstance(doc, list) and doc and all(m == [] for m in doc))
        if not empty:
            assert accounted(records, "x.jpg.json", False)


@PROPS
@given(doc=insta_docs, compressed=st.booleans())
def test_instaloader_any_json(doc: Any, compressed: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = json.dumps(doc).encode()
        name = "2024-05-01_10-00-00_UTC.json" + (".xz" if compressed else "")
        (folder / name).write_bytes(lzma.compress(data) if compressed else data)
        stats_skip = (
            isinstance(doc, dict)
            and isinstance(doc.get("instaloader"), dict)
            and doc["instaloader"].get("node_type") in ("Hashtag", "FrozenNodeIterator")
        )
        records = check(instaloader.parse, folder, [name])
        assert accounted(records, name, stats_skip)


def _is_empty_array(data: bytes) -> bool:
    try:
        return json.loads(data) == []
    except ValueError:
        return False


@PROPS
@given(data=st.binary(max_size=300), which=st.sampled_from(sorted(PARSERS)))
def test_any_bytes(data: bytes, which: str) -> None:
    names = ["a.json", "b.json.xz", "c.jsonl", "d.txt", "e.jpg"]
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / name).write_bytes(data)
            stats = ParseStats()
            records = list(PARSERS[which](folder, stats=stats))
            check(PARSERS[which], folder, [name])
            if not stats.files_skipped and not _is_empty_array(data):
                assert accounted(records, name, False), name


@PROPS
@given(doc=gallery_docs)
def test_gallery_dl_given_a_single_file(doc: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dump.bin"
        path.write_text(json.dumps(doc))
        check(gallery_dl.parse, path, ["dump.bin"])
