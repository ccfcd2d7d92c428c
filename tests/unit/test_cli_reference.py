"""The CLI documents itself, and README.md's CLI reference is in step with the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click
import pytest

from influence.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def _commands(cmd: click.Command, path: str = "influence") -> list[tuple[str, click.Command]]:
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            out += _commands(sub, f"{path} {name}")
    return out


@pytest.mark.parametrize(("path", "cmd"), _commands(cli), ids=[p for p, _ in _commands(cli)])
def test_every_command_and_option_has_help(path: str, cmd: click.Command) -> None:
    assert (cmd.help or "").strip(), f"`{path}` has no help text"
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"`{path}` option {param.opts} has no help text"


def test_readme_cli_reference_matches_the_code() -> None:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "README.md").read_text()
    section = readme.split(module.START, 1)[1].split(module.END, 1)[0].strip()
    assert section == module.reference().strip(), (
        "README.md's CLI reference is stale: run `python scripts/cli_reference.py --write`"
    )
