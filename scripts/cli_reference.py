"""Write the CLI reference page of the docs site, `docs/cli.md`, from the commands themselves.

    python scripts/cli_reference.py            # print the page
    python scripts/cli_reference.py --write    # rewrite docs/cli.md

`tests/unit/test_cli_reference.py` fails when docs/cli.md and the code disagree: change a
command, an option or a help text, and the page must be written again.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from influence.cli import cli

PAGE = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
#: the width the help texts are wrapped at, so the page does not depend on the terminal
WIDTH = 100

HEADER = """# CLI reference

<!-- Written by `python scripts/cli_reference.py --write` from the commands' own help texts;
     do not edit by hand: tests/unit/test_cli_reference.py fails when this page is stale. -->

Every command and option of `influence`, as `--help` prints it. Flags win over environment
variables (`NEO4J_URI`, `NEO4J_USERNAME`, `NEO4J_PASSWORD`, `NEO4J_DATABASE`; see
[the managed Neo4j server](install.md)); `influence -q …` turns progress off for every command.
"""


def _walk(cmd: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in sorted(cmd.list_commands(ctx)):  # the root group imports its commands on demand
            sub = cmd.get_command(ctx, name)
            assert sub is not None, name
            out += _walk(sub, [*path, name])
    return out


def _context(cmd: click.Command, path: list[str]) -> click.Context:
    return click.Context(cmd, info_name=" ".join(path), terminal_width=WIDTH, max_content_width=WIDTH)


def reference() -> str:
    """The Markdown page: a table of every command, then each command's `--help` text."""
    commands = _walk(cli, ["influence"])
    lines = [HEADER, "| command | what it does |", "|---|---|"]
    for path, cmd in commands[1:]:
        name = " ".join(path)
        summary = (cmd.get_short_help_str(limit=200) or "").replace("|", "\\|")
        lines.append(f"| [`{name}`](#{'-'.join(path)}) | {summary} |")
    for path, cmd in commands:
        help_text = cmd.get_help(_context(cmd, path)).rstrip()
        lines += ["", f"## `{' '.join(path)}` {{#{'-'.join(path)}}}", "", "```text", help_text, "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    text = reference()
    if "--write" in sys.argv:
        PAGE.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
