"""Parameters of ``influence query`` (the query itself runs through :func:`influence.db.run_read_only`)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from influence.errors import ConfigError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BOOLS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
USAGE = "NAME=VALUE or NAME:TYPE=VALUE (TYPE: str, int, float, bool, json)"
EXAMPLE = "--param id=43597949 --param top:int=10"


def _int(raw: str) -> int:
    try:
        return int(raw.strip().replace("_", ""))
    except ValueError:
        raise ValueError("is not a whole number") from None


def _float(raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise ValueError("is not a number") from None
    if not math.isfinite(value):
        raise ValueError("is not a finite number")
    return value


def _bool(raw: str) -> bool:
    try:
        return _BOOLS[raw.strip().lower()]
    except KeyError:
        raise ValueError("is not true or false") from None


def _json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as e:
        raise ValueError(f"is not JSON ({e.msg} at character {e.pos + 1})") from None


#: TYPE of ``NAME:TYPE=VALUE`` -> how VALUE is read
TYPES: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "json": _json,
}


def parse_param(pair: str) -> tuple[str, Any]:
    """One ``NAME=VALUE`` or ``NAME:TYPE=VALUE`` as ``(name, value)``.

    VALUE is text unless typed, because ids are strings in the graph (``id=43597949`` finds
    ``User {id: "43597949"}``): ``top:int=5`` → 5, ``w:float=0.5``, ``ok:bool=true``,
    ``ids:json=["a","b"]`` → a list. Raises :class:`ConfigError` naming the problem.
    """
    head, sep, raw = pair.partition("=")
    name, colon, kind = head.strip().partition(":")
    name, kind = name.strip(), kind.strip().lower()
    if not sep or not _NAME.match(name) or (colon and not kind):
        raise ConfigError(f"{pair!r} is not {USAGE} (e.g. {EXAMPLE})")
    if colon and kind not in TYPES:
        raise ConfigError(f"{pair!r}: unknown type {kind!r} — use one of {', '.join(TYPES)}")
    try:
        return name, TYPES[kind or "str"](raw)
    except ValueError as e:
        raise ConfigError(f"{pair!r}: {raw!r} {e}") from None


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """``NAME[:TYPE]=VALUE`` pairs as a parameter map (see :func:`parse_param`)."""
    return dict(parse_param(p) for p in pairs)
