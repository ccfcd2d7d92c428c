"""Virality criteria: what "viral" means for the client, read from a TOML file.

The shipped default (``criteria_default.toml``, next to this module) documents every key;
:func:`load_criteria` reads a user file over it. Every invalid value raises
:class:`~influence.errors.ConfigError` naming the key and the allowed values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from influence.errors import ConfigError
from influence.models.velocity import METRICS, check_weights
from influence.tomlfile import read_over_default

BASELINES: tuple[str, ...] = ("absolute", "per_follower", "author_median")
THRESHOLDS: tuple[str, ...] = ("top_percent", "z")
SCOPES: tuple[str, ...] = ("global", "country", "language", "community")
DEFAULT_FILE = "criteria_default.toml"
#: Folder (inside this package) of the shipped criteria files, one per kind of data.
SHIPPED_FOLDER = "criteria_files"
#: Shipped criteria: name (file stem) -> (the data it fits, the `influence train` flags it was made for).
SHIPPED: dict[str, tuple[str, str]] = {
    "reddit-final-top10": (
        "hourly time series watched for hours (Reddit r/all top-100 every hour): the top 10 % by final score "
        "of posts watched 6 h or more",
        "--target engagement --mode early",
    ),
    "profilecrawl-2017": (
        "one crawl that saw each post once, days to years after posting (instagram-profilecrawl): the top 10 % "
        "by likes + comments against the author's median, posts 3 days old or more",
        "--target engagement",
    ),
}

_SCALARS = (
    "window_hours",
    "min_age_hours",
    "max_first_observation_hours",
    "baseline",
    "min_author_posts",
    "scope",
    "min_scope_posts",
    "settled_after_hours",
)
_TABLES = ("weights", "threshold")


@dataclass(frozen=True)
class Criteria:
    """The effective virality criteria (see ``criteria_default.toml`` for the meaning of each)."""

    weights: Mapping[str, float]
    window_hours: float = 24.0
    min_age_hours: float = 24.0
    #: Posts first observed later than this (hours after posting) get no label; ``inf``: no limit.
    max_first_observation_hours: float = 48.0
    baseline: str = "author_median"
    threshold: str = "top_percent"
    threshold_value: float = 10.0
    scope: str = "global"
    min_author_posts: int = 3
    min_scope_posts: int = 20
    #: Settled-engagement labels: hours after which a post's engagement counts as final;
    #: ``None`` ("auto") — estimated from posts observed more than once, else 72.
    settled_after_hours: float | None = None
    source: str = field(default="default", compare=False)

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics with a weight above zero, in the order of :data:`METRICS`."""
        return tuple(m for m in METRICS if self.weights.get(m, 0.0) > 0)


def _number(key: str, value: Any, *, minimum: float, strict: bool) -> float:
    ok = not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
    if not ok or (value <= minimum if strict else value < minimum):
        rel = ">" if strict else ">="
        raise ConfigError(f"criteria key {key!r} must be a number {rel} {minimum:g}, got {value!r}")
    return float(value)


def _integer(key: str, value: Any, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"criteria key {key!r} must be a whole number >= {minimum}, got {value!r}")
    return value


def _choice(key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(f"criteria key {key!r} must be one of {', '.join(allowed)}; got {value!r}")
    return str(value)


def criteria_from_mapping(data: Mapping[str, Any], source: str = "mapping") -> Criteria:
    """Validated :class:`Criteria` from a complete mapping shaped like the TOML file."""
    unknown = [k for k in data if k not in (*_SCALARS, *_TABLES, "source")]
    if unknown:
        raise ConfigError(
            f"unknown criteria key(s) {', '.join(map(repr, unknown))} in {source}; "
            f"allowed: {', '.join((*_SCALARS, *_TABLES))}"
        )
    weights_raw = data.get("weights")
    if not isinstance(weights_raw, Mapping):
        raise ConfigError(f"criteria key 'weights' must be a table of {', '.join(METRICS)} in {source}")
    try:
        weights = check_weights(weights_raw)
    except ConfigError as e:
        raise ConfigError(f"criteria key 'weights' in {source}: {e}") from e
    threshold_raw = data.get("threshold")
    if (
        not isinstance(threshold_raw, Mapping)
        or len(threshold_raw) != 1
        or next(iter(threshold_raw)) not in THRESHOLDS
    ):
        raise ConfigError(
            f"criteria key 'threshold' in {source} must be a table with exactly one of "
            f"{', '.join(THRESHOLDS)} (for example `top_percent = 10` or `z = 2`); got {threshold_raw!r}"
        )
    ((kind, value),) = threshold_raw.items()
    if kind == "top_percent":
        value = _number("threshold.top_percent", value, minimum=0, strict=True)
        if value >= 100:
            raise ConfigError(f"criteria key 'threshold.top_percent' must be below 100, got {value!r}")
    else:
        value = _number("threshold.z", value, minimum=-math.inf, strict=True)
    window = _number("window_hours", data.get("window_hours"), minimum=0, strict=True)
    first_raw = data.get("max_first_observation_hours", math.inf)
    if first_raw is None or first_raw == math.inf:  # None: how describe() spells "no limit" (JSON-safe)
        first = math.inf
    else:
        first = _number("max_first_observation_hours", first_raw, minimum=0, strict=True)
    settled_raw = data.get("settled_after_hours", "auto")
    settled = (
        None
        if settled_raw in (None, "auto")
        else _number("settled_after_hours", settled_raw, minimum=0, strict=False)
    )
    return Criteria(
        settled_after_hours=settled,
        weights={m: weights.get(m, 0.0) for m in METRICS},
        window_hours=window,
        min_age_hours=_number("min_age_hours", data.get("min_age_hours"), minimum=0, strict=False),
        max_first_observation_hours=first,
        baseline=_choice("baseline", data.get("baseline"), BASELINES),
        threshold=kind,
        threshold_value=value,
        scope=_choice("scope", data.get("scope"), SCOPES),
        min_author_posts=_integer("min_author_posts", data.get("min_author_posts"), minimum=1),
        min_scope_posts=_integer("min_scope_posts", data.get("min_scope_posts"), minimum=1),
        source=source,
    )


def shipped_criteria() -> dict[str, Path]:
    """The criteria files shipped with the package: name → path (see :data:`SHIPPED`)."""
    folder = resources.files("influence.models").joinpath(SHIPPED_FOLDER)
    return {name: Path(str(folder.joinpath(f"{name}.toml"))) for name in SHIPPED}


def criteria_path(spec: str) -> Path:
    """A criteria file given as a path, or as the name of a shipped file (``reddit-final-top10``)
    or a unique start of one (``reddit``). Raises :class:`ConfigError` listing the names."""
    path = Path(spec).expanduser()
    if path.is_file():
        return path
    shipped = shipped_criteria()
    matches = [n for n in shipped if n == spec] or [n for n in shipped if n.startswith(spec)]
    if len(matches) == 1 and spec.strip():
        return shipped[matches[0]]
    names = ", ".join(shipped)
    if len(matches) > 1:
        raise ConfigError(
            f"criteria {spec!r} names several shipped files ({', '.join(matches)}) — give one of {names}"
        )
    raise ConfigError(
        f"criteria file {spec} does not exist — give a TOML file or a shipped name: {names} "
        "(`influence criteria list`)"
    )


def load_criteria(path: Path | None = None) -> Criteria:
    """The criteria in ``path`` (TOML) over the shipped default; ``None`` → the default.

    Keys left out take the default's value; a ``[weights]`` or ``[threshold]`` table in the
    file replaces the default's table as a whole.
    """
    data, source = read_over_default("influence.models", DEFAULT_FILE, path, "criteria")
    return criteria_from_mapping(data, source=source)


def describe(c: Criteria, flat: bool = False) -> dict[str, Any]:
    """The criteria as a plain dict shaped like the TOML file (round-trips through
    :func:`criteria_from_mapping`), with ``source``; ``flat`` spells tables as ``weights.likes``."""
    data: dict[str, Any] = {
        "source": c.source,
        "window_hours": c.window_hours,
        "min_age_hours": c.min_age_hours,
        "max_first_observation_hours": None
        if math.isinf(c.max_first_observation_hours)
        else c.max_first_observation_hours,
        "baseline": c.baseline,
        "min_author_posts": c.min_author_posts,
        "scope": c.scope,
        "min_scope_posts": c.min_scope_posts,
        "settled_after_hours": "auto" if c.settled_after_hours is None else c.settled_after_hours,
        "weights": {m: c.weights.get(m, 0.0) for m in METRICS},
        "threshold": {c.threshold: c.threshold_value},
    }
    if not flat:
        return data
    out = {k: v for k, v in data.items() if not isinstance(v, dict)}
    for table in _TABLES:
        out.update({f"{table}.{k}": v for k, v in data[table].items()})
    return out
