"""Typing the cells of a table column as a whole (pure functions).

People write numbers the way their spreadsheet shows them: ``3,5`` and ``1.234,5`` in most of
Europe, ``1,234.5`` in the US, ``12,5k``, ``1,39%``, ``1 234`` with a (non-breaking) space.
Whether a comma is a decimal mark or a thousands separator cannot be told from ``1,234``
alone, so a column is decided **as a whole** from its values that do tell (``3,5`` has a
decimal comma, ``1,234.5`` a decimal point); a file separated by ``;`` (Excel in a
comma-decimal locale) leans to the comma when nothing tells.

A column is then typed as a whole too: numbers when every value is a number, booleans when
every value is ``true``/``false``, else text — so one property never mixes numbers and
strings across the rows of a file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

COMMA = ","
POINT = "."

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"^([+-]?)(\d[\d.,]*|[.,]\d+)(%|[kKmMbB])?$")
_SCALE = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
# values that show which mark is the decimal one
_COMMA_DECIMAL = re.compile(r"\d,\d{1,2}(?!\d)|\d,\d{4,}|^\d{1,3}(?:\.\d{3})+,\d|^[+-]?,\d")
_POINT_DECIMAL = re.compile(r"\d\.\d{1,2}(?!\d)|\d\.\d{4,}|^\d{1,3}(?:,\d{3})+\.\d|^[+-]?\.\d")
_TRUE = frozenset({"true", "yes"})
_FALSE = frozenset({"false", "no"})


def shown_decimal_mark(cells: Iterable[str]) -> str | None:
    """:data:`COMMA` or :data:`POINT` when the column's values show their decimal mark
    (``3,5``, ``1.234,5``, ``0.45``) and agree; None when none does or they contradict."""
    comma = point = False
    for cell in cells:
        body = _SPACES.sub("", cell)
        comma = comma or bool(_COMMA_DECIMAL.search(body))
        point = point or bool(_POINT_DECIMAL.search(body))
    if comma != point:
        return COMMA if comma else POINT
    return None


def decimal_mark(cells: Iterable[str], delimiter: str = ",") -> str:
    """:data:`COMMA` or :data:`POINT`: the decimal mark of a column, from the values that show
    it (:func:`shown_decimal_mark`); when none does, a comma for ``;``-separated files (Excel in
    a comma-decimal locale), else a point."""
    shown = shown_decimal_mark(cells)
    if shown is not None:
        return shown
    return COMMA if delimiter == ";" else POINT


def parse_number(cell: str, decimal: str = POINT) -> int | float | None:
    """A cell as a number with the column's ``decimal`` mark: ``"3,5"`` → 3.5 (comma),
    ``"1,2k"`` → 1200, ``"1,39%"`` → 0.0139, ``"1.234"`` → 1234 (comma) or 1.234 (point),
    ``"15230"`` → 15230; None when the cell is not a number."""
    text = _SPACES.sub("", cell)
    m = _NUMBER.match(text)
    if not m:
        return None
    sign, body, suffix = m.groups()
    if decimal == COMMA:
        if body.count(",") > 1:
            return None
        body = body.replace(".", "").replace(",", ".")
    else:
        if body.count(".") > 1:
            return None
        body = body.replace(",", "")
    try:
        number = float(sign + body)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if suffix == "%":
        return round(number / 100, 10)
    if suffix:
        return round(number * _SCALE[suffix.lower()])
    if "." not in body and "e" not in body.lower() and abs(number) < 2**63:
        return int(sign + body)
    return number


def parse_bool(cell: str) -> bool | None:
    """``true``/``yes`` → True, ``false``/``no`` → False (any case), else None."""
    v = cell.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return None


@dataclass(slots=True, frozen=True)
class ColumnType:
    """How every cell of one column is read: ``number`` (``integer`` when no value has a
    fraction), ``boolean`` or ``text``; ``decimal`` is the column's decimal mark."""

    kind: str  # number | integer | boolean | text
    decimal: str = POINT

    def value(self, cell: str) -> bool | int | float | str:
        """The cell as this column's type; ValueError when it does not fit (a text cell in a
        number column), so the caller can drop it and report it."""
        if self.kind == "text":
            return cell
        if self.kind == "boolean":
            b = parse_bool(cell)
            if b is None:
                raise ValueError(f"not true/false like the rest of the column: {cell!r}")
            return b
        n = parse_number(cell, self.decimal)
        if n is None:
            raise ValueError(f"not a number like the rest of the column: {cell!r}")
        if self.kind == "number":
            return float(n)
        return n if isinstance(n, int) else float(n)


def column_type(cells: list[str], delimiter: str = ",") -> ColumnType:
    """The :class:`ColumnType` of a column from a sample of its non-empty cells."""
    if not cells:
        return ColumnType("text")
    if all(parse_bool(c) is not None for c in cells):
        return ColumnType("boolean")
    decimal = decimal_mark(cells, delimiter)
    numbers = [parse_number(c, decimal) for c in cells]
    if all(n is not None for n in numbers):
        kind = "integer" if all(isinstance(n, int) for n in numbers) else "number"
        return ColumnType(kind, decimal)
    return ColumnType("text", decimal)
