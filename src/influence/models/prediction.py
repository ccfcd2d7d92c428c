"""One scored post: :class:`Prediction`, what `predict` returns per row and what its JSON holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from influence.errors import InputError


@dataclass
class Prediction:
    """The score of one post (or the reason it has none)."""

    id: str
    basis: str | None = None  # known_author / new_author
    viral_probability: float | None = None
    viral_probability_overall: float | None = None  # only when the criteria's scope is not global
    predicted: float | None = None  # the model's target on its natural scale
    times_usual: float | None = None  # known authors: engagement as a multiple of the author's usual
    region: str | None = None  # the post's group in the criteria's scope
    #: what put the row in its place (:func:`rank_predictions`): ``predicted``,
    #: ``viral_probability``, ``followers``, ``author_median``, with ``+times_usual`` when one
    #: author's drafts are ordered by the own-drafts ranker
    rank_by: str | None = None
    #: plain words when the model cannot beat its baseline for this row's situation
    note: str | None = None
    up: list[str] = field(default_factory=list)  # plain names with their contribution
    down: list[str] = field(default_factory=list)
    safe: bool | None = None
    flags: list[str] = field(default_factory=list)
    error: str | None = None
    up_features: list[str] = field(default_factory=list)  # internal names, for tools
    down_features: list[str] = field(default_factory=list)
    #: one entry per brand-safety check that fired: check, category, matches, score, threshold
    flag_details: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A plain dict in :data:`COLUMNS` order."""
        return asdict(self)

    #: Keys every row of ``influence predict --format json`` carries (older files may lack the rest).
    REQUIRED = ("id", "viral_probability", "predicted", "up", "down", "safe", "flags", "error")

    @classmethod
    def from_dict(cls, data: Any, source: str = "the predictions") -> Prediction:
        """One row of ``influence predict --format json`` (:meth:`as_dict`) read back.

        ``source`` names the row in messages (``scored.json, row 3``). Raises
        :class:`~influence.errors.InputError` naming ``source`` and the key when a row is not an
        object, lacks a key of :attr:`REQUIRED` or holds a value of the wrong type. Keys written
        by newer versions are ignored.
        """
        hint = "write it with `influence predict DRAFTS --format json > FILE`"
        if not isinstance(data, Mapping):
            raise InputError(f"{source} is a {type(data).__name__}, not a prediction object — {hint}")
        missing = [k for k in cls.REQUIRED if k not in data]
        if missing:
            raise InputError(f"{source} has no {', '.join(repr(k) for k in missing)} — {hint}")
        if isinstance(data["id"], bool) or not isinstance(data["id"], str | int):
            raise InputError(f"{source}: 'id' holds {data['id']!r}, not a post id — {hint}")
        kwargs: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            value = data.get(name)
            if value is None:
                continue
            if name == "id":
                value = str(value)
            elif not cls._fits(name, value):
                raise InputError(f"{source}: {name!r} holds {value!r}, not what predict writes — {hint}")
            kwargs[name] = value
        return cls(**kwargs)

    @staticmethod
    def _fits(name: str, value: Any) -> bool:
        """Whether ``value`` has the type :class:`Prediction` keeps under ``name``."""
        if name in ("viral_probability", "viral_probability_overall", "predicted", "times_usual"):
            return isinstance(value, int | float) and not isinstance(value, bool)
        if name == "safe":
            return isinstance(value, bool)
        if name == "flag_details":
            return isinstance(value, list) and all(isinstance(v, Mapping) for v in value)
        if name in ("up", "down", "flags", "up_features", "down_features"):
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        return isinstance(value, str)
