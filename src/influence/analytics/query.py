"""Parameters of ``influence query`` (the query itself runs through :func:`influence.db.run_read_only`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from influence.errors import ConfigError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs as a parameter map; VALUE is JSON when it parses, else text.

    ``top=5`` → 5, ``ok=true`` → True, ``ids=["a","b"]`` → a list, ``name=natgeo`` → "natgeo".
    """
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not _NAME.match(name):
            raise ConfigError(f"--param {pair!r} is not NAME=VALUE (e.g. --param top=10 --param user=natgeo)")
        try:
            out[name] = json.loads(raw)
        except json.JSONDecodeError:
            out[name] = raw
    return out
