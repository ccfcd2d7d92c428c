"""`influence --help` and the commands that never touch the database do not import the driver
or the data stack (issue 22: they cost every command half a second and ~120 MiB)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("neo4j", "pandas", "numpy", "pyarrow", "xgboost")


def _modules_after(argv: list[str]) -> tuple[int, set[str]]:
    """Exit code of the CLI run with ``argv`` in a fresh interpreter and the heavy modules it imported."""
    code = (
        "import io, json, sys, contextlib\n"
        "from influence.cli import cli\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n"
        f"        cli({argv!r}, prog_name='influence')\n"
        "    except SystemExit as e:\n"
        "        status = e.code or 0\n"
        "    else:\n"
        "        status = 0\n"
        f"print(json.dumps([status, [m for m in {HEAVY!r} if m in sys.modules], out.getvalue()]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    status, heavy, shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert "Usage:" in shown  # the help was really printed
    return status, set(heavy)


def test_help_imports_neither_the_driver_nor_the_data_stack() -> None:
    status, heavy = _modules_after(["--help"])
    assert status == 0
    assert heavy == set()


def test_a_command_groups_help_imports_neither() -> None:
    status, heavy = _modules_after(["db", "--help"])
    assert status == 0
    assert heavy == set()
