"""Click parameter types the commands share: one parser, one kind of error, one exit code.

``NAME=VALUE`` options (``query --param``, ``load csv --map`` and ``--set``) are parsed by
:class:`PairType`; a malformed value is a usage error (``Error: Invalid value for …``, exit 2)
that names the expected shape and gives an example.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from influence.errors import ConfigError
from influence.report.tables import FORMATS


def _text_pair(what: str, example: str) -> Callable[[str], tuple[str, Any]]:
    def parse(pair: str) -> tuple[str, Any]:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(f"{pair!r} is not {what} (e.g. {example})")
        return key.strip(), value.strip()

    return parse


class PairType(click.ParamType):  # type: ignore[type-arg]
    """``KEY=VALUE`` → ``(key, value)``, parsed by ``parse`` (which raises :class:`ConfigError`)."""

    def __init__(self, metavar: str, parse: Callable[[str], tuple[str, Any]]) -> None:
        self.name = metavar
        self._parse = parse

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, Any]:
        if isinstance(value, tuple):  # already converted (a default)
            return value
        try:
            return self._parse(str(value))
        except ConfigError as e:
            self.fail(str(e), param, ctx)


def query_param() -> PairType:
    """``query --param NAME[:TYPE]=VALUE`` (text unless typed; see :func:`influence.analytics.query.parse_param`)."""
    from influence.analytics.query import parse_param

    return PairType("NAME[:TYPE]=VALUE", parse_param)


#: ``load csv --map COLUMN=FIELD``
COLUMN_FIELD = PairType("COLUMN=FIELD", _text_pair("COLUMN=FIELD", "--map 'Follower count=followers'"))
#: ``load csv --set FIELD=VALUE``
FIELD_VALUE = PairType("FIELD=VALUE", _text_pair("FIELD=VALUE", "--set author=my.brand"))


def format_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """The shared ``--format table|json|csv`` option."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format: a readable table, or JSON / CSV for pipes.",
    )(f)
