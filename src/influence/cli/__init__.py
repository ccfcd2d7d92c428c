"""The ``influence`` command line: parsing and rendering only, one module per command group.

Each command reads the settings, opens at most one driver (closed on exit), calls one library
function and renders what it returns. :class:`~influence.cli.app.InfluenceGroup` turns the
project's own errors into ``Error: …`` and exit code 1 in one place; other exceptions are bugs
and keep their traceback. Importing a module registers its commands on :data:`cli`.
"""

from influence.cli import analyze, audience, db, explore, load, models, report, sample, scrape  # noqa: F401
from influence.cli.app import cli


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influence")


__all__ = ["cli", "main"]
