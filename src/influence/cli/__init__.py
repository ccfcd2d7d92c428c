"""The ``influence`` command line: parsing and rendering only, one module per command group.

Each command reads the settings, opens at most one driver (closed on exit), calls one library
function and renders what it returns. :class:`~influence.cli.app.InfluenceGroup` turns the
project's own errors into ``Error: …`` and exit code 1 in one place; other exceptions are bugs
and keep their traceback. Each module defines its commands; :data:`~influence.cli.app.COMMANDS`
names them, and the group imports a module only when one of its commands is asked for.
"""

from influence.cli.app import cli


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influence")


__all__ = ["cli", "main"]
