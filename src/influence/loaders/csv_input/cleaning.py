"""Cell values as people write them: placeholders, mojibake, typed scalars, lists and country names."""

from __future__ import annotations

import ast
import functools
import json
import math
import re
from collections.abc import Callable
from typing import Any

from influence import values

#: Cells read as missing in every column.
MISSING = frozenset(
    {
        "",
        "nan",
        "nan%",
        "na",
        "n/a",
        "#n/a",
        "n.a.",
        "null",
        "nil",
        "none",
        "-none",
        "(none)",
        "none%",
        "undefined",
        "-",
        "--",
        "—",
        "–",
    }
)


#: Longest list cell read as a JSON array or Python list literal (a longer one is split as text).
MAX_LIST_CELL_CHARS = 100_000


def split_list(cell: str | None, normalise: Callable[[str], str | None]) -> list[str]:
    """Hashtags or usernames in one cell; normalised, first-seen order, no duplicates.

    A cell written as a list is read as one: a JSON array or a Python list literal (twint's
    ``"['sunset', 'pierlife']"``), of strings or of objects, whose name is taken from the
    first of :data:`~influence.loaders.csv_input.mapping.ITEM_NAME_KEYS` they have
    (``[{'screen_name': 'lamp_maker', 'name': 'Lamp Maker', 'id': '22…'}]`` → ``lamp_maker``;
    ``{"user": {"username": …}}`` too). Any other cell is split on spaces (non-breaking too),
    ``,``, ``;``, ``|`` or the ``#``/``@`` signs themselves."""
    if not cell:
        return []
    items = list_literal(cell)
    if items is not None:
        found = (normalise(name) for name in (_item_name(item) for item in items) if name)
        return list(dict.fromkeys(p for p in found if p))
    parts = re.split(r"[\s,;|#@\[\]'\"]+", cell)
    found = (normalise(p) for p in parts if p)
    return list(dict.fromkeys(p for p in found if p))


def list_literal(cell: str) -> list[Any] | None:
    """The items of a cell written as a JSON array or a Python list literal (a single object
    is a list of one); None when the cell is not one (or is longer than
    :data:`MAX_LIST_CELL_CHARS`). Only literals are evaluated (:func:`ast.literal_eval`),
    never code."""
    text = cell.strip()
    if not text or text[0] not in "[{" or text[-1] not in "]}" or len(text) > MAX_LIST_CELL_CHARS:
        return None
    value: Any
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    return None


def _item_name(item: Any, depth: int = 0) -> str | None:
    from influence.loaders.csv_input.mapping import ITEM_NAME_KEYS

    if isinstance(item, str):
        return item
    if isinstance(item, int) and not isinstance(item, bool):
        return str(item)
    if isinstance(item, dict) and depth < 3:
        lowered = {str(k).lower(): v for k, v in item.items()}
        for key in ITEM_NAME_KEYS:
            value = lowered.get(key)
            if isinstance(value, str) and value.strip():
                return value
        nested = lowered.get("user")
        if isinstance(nested, dict):
            return _item_name(nested, depth + 1)
    return None


def fix_text(value: str) -> str:
    """``value`` with mojibake repaired in any script — UTF-8 read as cp1252 or Latin-1
    ("CÃ´te", "ðŸ”¥" → "🔥", "à¸ à¸¹" → Thai) — by ftfy's full fixer (curly quotes, widths
    and ligatures kept as written), NFC, and non-breaking spaces as plain spaces. ASCII text is
    returned unchanged (nothing to repair)."""
    if value.isascii():
        return value
    return _ftfy_fix(value).replace("\u00a0", " ")


@functools.cache
def _ftfy() -> Any:
    import ftfy

    return ftfy


@functools.cache
def _ftfy_config() -> Any:
    return _ftfy().TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        remove_control_chars=False,
        normalization="NFC",
        explain=False,
    )


def _ftfy_fix(value: str) -> str:
    return str(_ftfy().fix_text(value, _ftfy_config()))


def typed(value: str) -> bool | int | float | str | None:
    """A CSV cell as a scalar property value: int, float, rounded count ("8.7m" → 8700000),
    percentage as a fraction ("1.39%" → 0.0139), boolean, else the (repaired) text."""
    v = value.strip()
    if v.lower() in MISSING:
        return None
    if v.lower() in ("true", "false"):
        return v.lower() == "true"
    if re.fullmatch(r"[+-]?\d{1,18}", v):
        return int(v)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?", v):
        f = float(v)
        return f if math.isfinite(f) else None
    if re.fullmatch(r"[+-]?\d+(\.\d+)?\s*%", v):
        return round(float(v.rstrip("%").strip()) / 100, 10)
    if re.fullmatch(r"\d+(\.\d+)?\s*[kKmMbB]", v):
        try:
            return values.to_count(v)
        except ValueError:
            return v
    return fix_text(v)


# --------------------------------------------------------------------------- countries

_COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "russia": "RU", "turkey": "TR", "south korea": "KR", "north korea": "KP", "iran": "IR",
    "czech republic": "CZ", "vietnam": "VN", "taiwan": "TW", "bolivia": "BO", "venezuela": "VE",
    "syria": "SY", "laos": "LA", "moldova": "MD", "tanzania": "TZ", "ivory coast": "CI",
    "cape verde": "CV", "macedonia": "MK", "palestine": "PS", "vatican": "VA", "brunei": "BN",
}  # fmt: skip


@functools.cache
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name or code ("United States" → ``US``); for
    several names run together ("Trinidad and Tobago United States") the first; else None."""
    words = fix_text(name).replace(",", " ").replace("/", " ").split()
    for end in range(len(words), 0, -1):
        code = _lookup(" ".join(words[:end]))
        if code:
            return code
    return None


def _lookup(name: str) -> str | None:
    alias = _COUNTRY_ALIASES.get(name.lower())
    if alias:
        return alias
    import pycountry

    try:
        found = pycountry.countries.lookup(name)
    except LookupError:
        return None
    return str(found.alpha_2)
