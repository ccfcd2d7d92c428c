"""Reading figures out of `influence load`'s printed summary (shared by the load tests)."""

from __future__ import annotations


def summary_value(output: str, item: str) -> int:
    """The figure for ``item`` in a load's table output: ``"<kind> written"`` reads the records
    column of the per-kind table (kind, records, new, updated, unchanged, created, total; 0 when
    the kind has no row), any other item the value beside it in the item/value table."""
    if item.endswith(" written"):
        kind = {"users": "accounts"}.get(item.split()[0], item.split()[0])
        for line in output.splitlines():
            if line.split()[:1] == [kind] and len(line.split()) == 7:
                return int(line.split()[1].replace(",", ""))
        return 0
    for line in output.splitlines():
        if line.startswith(item + "  ") or line.rstrip() == item:
            return int(line[len(item) :].strip().replace(",", ""))
    raise AssertionError(f"{item!r} not in the summary:\n{output}")
