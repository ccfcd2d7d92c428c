"""The root group imports a command's module only when the command is asked for (issue 22), and
its table of commands (`influence.cli.app.COMMANDS`) cannot drift from the commands themselves."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import click
import pytest

import influence.cli
from influence.cli import cli
from influence.cli.app import COMMANDS

COMMAND_MODULES = sorted(
    f"influence.cli.{m.name}"
    for m in pkgutil.iter_modules(influence.cli.__path__)
    if m.name not in ("app", "options")
)


def _defined_top_level_commands() -> dict[str, click.Command]:
    """Every command the CLI modules define that is no group's subcommand: name → command."""
    found: list[click.Command] = []
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        found += [v for v in vars(module).values() if isinstance(v, click.Command) and v.name]
    sub = {id(c) for g in found if isinstance(g, click.Group) for c in g.commands.values()}
    return {c.name: c for c in found if id(c) not in sub and c.name}


def _real(name: str) -> click.Command:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None, name
    return command


def test_every_defined_command_is_in_the_table_under_its_own_module() -> None:
    defined = _defined_top_level_commands()
    assert set(COMMANDS) == set(defined), "add the command to COMMANDS in influence/cli/app.py"
    for name, (target, _) in COMMANDS.items():
        module, _, attribute = target.partition(":")
        assert getattr(importlib.import_module(module), attribute) is defined[name]
        assert _real(name) is defined[name]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_short_help_is_the_commands_own(name: str) -> None:
    real = _real(name)
    assert COMMANDS[name][1] == real.get_short_help_str(limit=10_000), (
        f"COMMANDS[{name!r}] is stale: copy `{name}`'s first help sentence into influence/cli/app.py"
    )
    stand_in = click.Command(name, help=COMMANDS[name][1])
    for limit in (20, 45, 66, 80, 200):  # the root --help shortens both alike at any width
        assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit)


def _run(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _cli_code(argv: list[str]) -> str:
    return (
        "import contextlib, io, json, sys\n"
        "from influence.cli import cli\n"
        "def run(argv):\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        try:\n"
        "            cli.main(argv, prog_name='influence', standalone_mode=False)\n"
        "        except SystemExit:\n"
        "            pass\n"
        "    return out.getvalue()\n"
        f"first = run({argv!r})\n"
        f"loaded = sorted(m for m in sys.modules if m in {COMMAND_MODULES!r})\n"
        "ctx = cli.make_context('influence', [], resilient_parsing=True)\n"
        "for name in cli.list_commands(ctx):\n"
        "    cli.get_command(ctx, name)\n"
        f"again = run({argv!r})\n"
        "print(json.dumps({'first': first, 'loaded': loaded, 'again': again}))\n"
    )


def test_root_help_imports_no_command_and_reads_as_with_all_imported() -> None:
    out = _run(_cli_code(["--help"]))
    assert out["loaded"] == []
    assert "Commands:" in str(out["first"])
    assert out["first"] == out["again"]  # the table renders what the commands themselves would
    for name in COMMANDS:
        assert f"  {name} " in str(out["first"])


def test_a_command_is_imported_on_demand_and_alone() -> None:
    out = _run(_cli_code(["load", "--help"]))
    assert out["loaded"] == ["influence.cli.load"]
    assert "Usage: influence load" in str(out["first"]) and "csv" in str(out["first"])
