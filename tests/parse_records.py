"""Views over a parser's record stream shared by the parser tests (gallery-dl, instaloader)."""

from __future__ import annotations

from influence.loaders.records import Record, Reject, UserRecord


def users(records: list[Record]) -> dict[str, UserRecord]:
    """The last record of each user merged over non-null fields (what ingest ends up with)."""
    out: dict[str, UserRecord] = {}
    for r in records:
        if isinstance(r, UserRecord):
            old = out.get(r.id)
            if old is None:
                out[r.id] = r
            else:
                for f in UserRecord.__slots__:
                    if getattr(r, f) not in (None, {}):
                        setattr(old, f, getattr(r, f))
    return out


def rejects(records: list[Record]) -> list[Reject]:
    """The rejects of ``records``, in order."""
    return [r for r in records if isinstance(r, Reject)]
