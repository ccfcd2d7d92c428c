"""Print the CLI reference (Markdown) that README.md carries between its CLI-REFERENCE markers.

    python scripts/cli_reference.py            # print it
    python scripts/cli_reference.py --write    # rewrite the section in README.md

`tests/test_cli_reference.py` fails when README.md and the code disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from influence.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- CLI-REFERENCE:START -->", "<!-- CLI-REFERENCE:END -->"


def _walk(cmd: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            out += _walk(cmd.commands[name], [*path, name])
    return out


def reference() -> str:
    """The Markdown reference of every command: usage line, summary, options."""
    lines = ["| command | what it does |", "|---|---|"]
    details: list[str] = []
    for path, cmd in _walk(cli, ["influence"])[1:]:
        ctx = click.Context(cmd, info_name=" ".join(path))
        usage = " ".join(cmd.collect_usage_pieces(ctx))
        summary = (cmd.get_short_help_str(limit=200) or "").replace("|", "\\|")
        lines.append(f"| `{' '.join(path)}` | {summary} |")
        if isinstance(cmd, click.Group):
            continue
        opts = []
        for p in cmd.get_params(ctx):
            if isinstance(p, click.Option) and "--help" not in p.opts:
                opts.append("`" + ", ".join(p.opts) + "`")
        details.append(f"- `{' '.join(path)} {usage}`" + (f" — options: {', '.join(opts)}" if opts else ""))
    return "\n".join([*lines, "", *details]) + "\n"


def main() -> None:
    text = reference()
    if "--write" in sys.argv:
        readme = README.read_text()
        head, rest = readme.split(START, 1)
        _, tail = rest.split(END, 1)
        README.write_text(f"{head}{START}\n{text}{END}{tail}")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
