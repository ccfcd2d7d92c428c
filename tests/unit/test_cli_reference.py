"""The CLI documents itself, and the docs site's CLI reference (docs/cli.md) is in step with the code."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest

from influence.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def _commands(cmd: click.Command, path: str = "influence") -> list[tuple[str, click.Command]]:
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):  # the root group imports its commands on demand
            sub = cmd.get_command(ctx, name)
            assert sub is not None, name
            out += _commands(sub, f"{path} {name}")
    return out


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("path", "cmd"), _commands(cli), ids=[p for p, _ in _commands(cli)])
def test_every_command_and_option_has_help(path: str, cmd: click.Command) -> None:
    assert (cmd.help or "").strip(), f"`{path}` has no help text"
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"`{path}` option {param.opts} has no help text"


def test_docs_cli_reference_matches_the_code() -> None:
    """The page equals what the script prints in a fresh interpreter, as `--write` writes it.

    A fresh process, because click caches each command's help option on first use: a test that
    built a command's help outside the root group's context (no ``-h``) would change what an
    in-process call prints.
    """
    module = _script()
    assert module.PAGE == ROOT / "docs" / "cli.md"
    page = module.PAGE.read_text(encoding="utf-8")
    printed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_reference.py")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "80"},
    ).stdout
    assert page == printed, "docs/cli.md is stale: run `python scripts/cli_reference.py --write`"


def test_docs_cli_reference_carries_every_command_and_option() -> None:
    """The page is the commands' own help: each command has its section, each option its flag."""
    module = _script()
    page = module.reference()
    for path, cmd in _commands(cli):
        section = page.split(f"## `{path}`", 1)
        assert len(section) == 2, f"docs/cli.md has no section for `{path}`"
        body = section[1].split("\n## ", 1)[0]
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.opts[0] in body, f"`{path}` option {param.opts[0]} is missing from its section"
