"""Header cells resolved to fields, and each column profiled as a whole (type, decimal mark, date order)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from influence import graph_model as gm
from influence import values
from influence.loaders import cells as cells_mod
from influence.loaders.csv_input.cleaning import MISSING, fix_text
from influence.loaders.csv_input.mapping import (
    _KEY_FIELDS,
    ALIASES,
    DEFAULT_MAPPINGS,
    IGNORE,
    ITEM_NAME_KEYS,
    LIST_FIELDS,
)
from influence.loaders.records import Reject

_SCALES = (
    (re.compile(r"\(\s*(?:in\s+)?millions?\s*\)|\(\s*m\s*\)|\bin millions\b", re.I), 1_000_000),
    (re.compile(r"\(\s*(?:in\s+)?thousands?\s*\)|\(\s*k\s*\)|\bin thousands\b", re.I), 1_000),
    (re.compile(r"\(\s*(?:in\s+)?billions?\s*\)|\(\s*b\s*\)", re.I), 1_000_000_000),
)
_FOOTNOTE = re.compile(r"\[[^\]]*\]")
_PROPERTY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _compact(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _FOOTNOTE.sub("", name).lower())


@dataclass(slots=True)
class Column:
    """One header cell resolved to a field (or to an extra property, or ignored)."""

    index: int
    header: str
    field: str | None  # a field of the kind, or None for an extra / ignored column
    extra: str | None = None  # the property name of an extra column
    scale: int = 1
    item: bool = False  # one item of a list field (Apify's flattened ``hashtags/0``)
    why: str | None = None  # why an ignored column is ignored, for the load summary

    @property
    def destination(self) -> str:
        """Where the column went, in words: ``field X``, ``property Y`` or ``ignored``."""
        if self.field:
            return f"{self.field} (list item)" if self.item else self.field
        if self.extra:
            return f"property {self.extra}"
        return "ignored" + (f" ({self.why})" if self.why else "")


#: A flattened list column: ``hashtags/0``, ``taggedUsers/0/username``, ``mentions.1``, ``tags[2]``.
_FLAT_ITEM = re.compile(r"^(?P<base>.+?)(?:[/.]|\[)(?P<index>\d+)\]?(?:[/.](?P<key>[^/.]+))?$")


@dataclass(slots=True)
class _Names:
    """The names a header cell is matched against, compacted: ``--map``, defaults, aliases."""

    user: dict[str, str]
    defaults: dict[str, str]
    aliases: dict[str, tuple[str, int]]  # compact name → (field, rank among the field's names)

    @classmethod
    def of(cls, kind: str, mapping: Mapping[str, str]) -> _Names:
        aliases: dict[str, tuple[str, int]] = {}
        for f, names in ALIASES[kind].items():
            for rank, a in enumerate((f, *names)):
                aliases.setdefault(_compact(a), (f, rank))
        return cls(
            {_compact(k): v for k, v in mapping.items()},
            {_compact(k): v for k, v in DEFAULT_MAPPINGS[kind].items()},
            aliases,
        )

    def target(self, name: str, key: str) -> tuple[str | None, int]:
        """(field, rank) a header claims: ``--map`` first (rank 0), then the defaults, then aliases."""
        if _compact(name) in self.user or key in self.user:
            return self.user.get(_compact(name)) or self.user[key], 0
        if key in self.defaults:
            return self.defaults[key], 1
        if key in self.aliases:
            return self.aliases[key][0], 2 + self.aliases[key][1]
        return None, 0

    def list_field(self, base: str) -> str | None:
        key = _compact(base)
        return self.user.get(key) or self.defaults.get(key) or self.aliases.get(key, (None, 0))[0]


def _scaled(name: str) -> tuple[int, str]:
    """(scale, name without it): ``Followers (in millions)`` → (1000000, ``Followers``)."""
    for rx, factor in _SCALES:
        if rx.search(name):
            return factor, rx.sub("", name)
    return 1, name


def resolve_columns(header: list[str], kind: str, mapping: Mapping[str, str]) -> list[Column]:
    """Match each header cell to a field: ``mapping``, then the defaults, then the aliases.

    When several columns claim one field, the best-ranked name wins (``mapping``, then the
    default mapping, then the aliases in the order :data:`ALIASES` lists them; a tie goes to
    the first column); the others are kept as extras (accounts) or ignored. A flattened list
    column (``hashtags/0``, ``taggedUsers/0/username``) adds one item to its list field; of an
    item's keys only the one naming it is read (:data:`ITEM_NAME_KEYS`).
    """
    names = _Names.of(kind, mapping)
    claims: list[tuple[int, str | None, int, str, int]] = []  # (index, target, rank, name, scale)
    items: dict[int, tuple[str, str | None]] = {}  # index → (list field, item key)
    for i, raw in enumerate(header):
        name = raw.lstrip("\ufeff").strip()
        scale, base = _scaled(name)
        target, rank = names.target(name, _compact(base))
        if target is None and kind == "posts" and (flat := _FLAT_ITEM.match(name)):
            field_name = names.list_field(flat.group("base"))
            if field_name in LIST_FIELDS:
                items[i] = (field_name, flat.group("key"))
        claims.append((i, target, rank, name, scale))
    best: dict[str, tuple[int, int]] = {}
    for i, target, rank, _, _ in claims:
        if target and target != IGNORE and (target not in best or rank < best[target][0]):
            best[target] = (rank, i)
    chosen_keys = _item_keys(items)
    out: list[Column] = []
    for i, target, _, name, scale in claims:
        if target == IGNORE:
            out.append(Column(i, name, None, why="--map COLUMN=-"))
        elif target and best[target][1] == i:
            out.append(Column(i, name, target, scale=scale))
        elif i in items:
            out.append(_item_column(i, name, *items[i], chosen_keys))
        elif kind in ("accounts", "nodes"):
            out.append(Column(i, name, None, extra=extra_name(name), scale=scale))
        elif target:
            winner = header[best[target][1]].strip()
            out.append(Column(i, name, None, why=f"{target} is read from {winner!r}"))
        else:
            out.append(Column(i, name, None, why="no field of this name"))
    return out


def _item_column(
    index: int, name: str, field_name: str, item_key: str | None, chosen_keys: dict[str, str]
) -> Column:
    """One flattened list column: an item of its field, or ignored when its key does not name items."""
    if item_key is None or _compact(item_key) == chosen_keys.get(field_name):
        return Column(index, name, field_name, item=True)
    return Column(
        index, name, None, why=f"{field_name} items are read from their {chosen_keys.get(field_name)!r} key"
    )


def _item_keys(items: dict[int, tuple[str, str | None]]) -> dict[str, str]:
    """For each flattened list field, the item key that names an item (``username`` before
    ``name``, see :data:`ITEM_NAME_KEYS`)."""
    keys: dict[str, set[str]] = {}
    for field_name, key in items.values():
        if key is not None:
            keys.setdefault(field_name, set()).add(_compact(key))
    chosen: dict[str, str] = {}
    for field_name, found in keys.items():
        for candidate in ITEM_NAME_KEYS:
            if _compact(candidate) in found:
                chosen[field_name] = _compact(candidate)
                break
    return chosen


#: User properties that ingest or analytics set themselves, lower case without ``_`` (as a
#: header becomes a property name): an extra column of the same name is renamed
#: ``attr_<name>`` so it can never overwrite them (or the key). From the graph model.
RESERVED_PROPERTIES = frozenset(
    name.lower().replace("_", "") for name in gm.RESERVED_USER_PROPERTIES | gm.USER_LOADER_EXTRAS
)


def extra_name(header: str) -> str | None:
    """:func:`property_name` of a header, prefixed ``attr_`` when it would shadow a property
    that ingest or analytics own."""
    name = property_name(header)
    if name is None:
        return None
    return f"attr_{name}" if name.replace("_", "") in RESERVED_PROPERTIES else name


def property_name(header: str) -> str | None:
    """A valid Neo4j property name for a column header (``Audience Country`` →
    ``audience_country``, ``60_day_eng_rate`` → ``_60_day_eng_rate``), None if nothing is left."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", _FOOTNOTE.sub("", header)).strip("_").lower()
    if not name:
        return None
    if name[0].isdigit():
        name = "_" + name
    return name if _PROPERTY.fullmatch(name) else None


def _has_key(kind: str, columns: list[Column]) -> bool:
    fields = {c.field for c in columns}
    if kind in ("follows", "likes", "comments"):  # both ends
        return set(_KEY_FIELDS[kind]) <= fields
    if kind == "posts":  # without an id column, rows are keyed by their content
        return bool(fields - {None})
    return any(k in fields for k in _KEY_FIELDS[kind])


@dataclass(slots=True)
class _Cells:
    fields: dict[str, str]
    scales: dict[str, int]
    extras: dict[str, str]


def _cells(row: list[str], columns: list[Column]) -> _Cells | str:
    if len(row) > len(columns) and any(c.strip() for c in row[len(columns) :]):
        return f"{len(row)} cells but the header has {len(columns)} columns (an unquoted delimiter?)"
    fields: dict[str, str] = {}
    scales: dict[str, int] = {}
    extras: dict[str, str] = {}
    for col in columns:
        if col.index >= len(row):
            continue
        value = row[col.index].strip()
        if value.lower() in MISSING:
            continue
        if col.item and col.field:
            fields[col.field] = f"{fields[col.field]},{value}" if col.field in fields else value
        elif col.field:
            fields[col.field] = value
            scales[col.field] = col.scale
        elif col.extra:
            extras[col.extra] = value
    return _Cells(fields, scales, extras)


#: Rows read ahead to type each column as a whole.
TYPE_SAMPLE_ROWS = 1000
_DATE_FIELDS = ("posted_at", "observed_at", "at")


@dataclass(slots=True)
class _Profile:
    """What the sample of a file decided for its columns."""

    extras: dict[str, cells_mod.ColumnType] = field(default_factory=dict)
    decimal: dict[str, str] = field(default_factory=dict)  # field → decimal mark
    date_order: dict[str, str | None] = field(default_factory=dict)
    date_format: str | None = None


def _profile(
    sample: list[tuple[int, list[str]] | Reject],
    columns: list[Column],
    delimiter: str,
    date_format: str | None,
) -> _Profile:
    by_column: dict[int, list[str]] = {c.index: [] for c in columns}
    for item in sample:
        if isinstance(item, Reject):
            continue
        row = item[1]
        filled = [
            row[c.index].strip()
            for c in columns
            if (c.field or c.extra) and c.index < len(row) and row[c.index].strip()
        ]
        if len(filled) > 1 and len(set(filled)) == 1:
            continue  # a footer row ("As of 4 January 2023" in every cell) types nothing
        for col in columns:
            if col.index < len(row):
                value = row[col.index].strip()
                if value and value.lower() not in MISSING:
                    by_column[col.index].append(value)
    profile = _Profile()
    fmt = (date_format or "").strip()
    forced = {"dayfirst": values.DAY_FIRST, "monthfirst": values.MONTH_FIRST}.get(
        fmt.lower().replace("-", "").replace("_", "")
    )
    profile.date_format = None if forced or not fmt else fmt
    for col in columns:
        found = by_column[col.index]
        if col.extra:
            profile.extras[col.extra] = cells_mod.column_type([fix_text(v) for v in found], delimiter)
        elif col.field:
            # a field's mark only when its values show it: a count "1,234" in a ";" file is
            # more likely a thousand and more than a decimal, and to_count reads it so
            shown = cells_mod.shown_decimal_mark(found)
            if shown is not None:
                profile.decimal[col.field] = shown
            if col.field in _DATE_FIELDS:
                profile.date_order[col.field] = forced or values.date_order(found)
    return profile
