"""neo4j-admin import into the stopped managed server (the files come from :mod:`influence.ingest.bulk`)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from influence.errors import ServerError
from influence.server.manager import ManagedServer, find_java


def admin_command(server: ManagedServer, args: list[str], java: Path | None = None) -> list[str]:
    """The command line that runs ``neo4j-admin <args>`` with the managed server's jars."""
    java = java or find_java()
    return [str(java), "-Xmx1g", "-cp", f"{server.lib}/*", "org.neo4j.cli.AdminTool", *args]


def run_import(server: ManagedServer, arguments: list[str]) -> str:
    """Run ``neo4j-admin <arguments>`` (from :func:`influence.ingest.bulk.import_arguments`) in the stopped managed server.

    Returns the importer's output. Community edition has one database, ``neo4j``: importing
    into it needs ``overwrite`` when it holds data (it is replaced). Start the server and run
    ``influence db init`` afterwards to create the constraints.
    """
    if not server.installed:
        raise ServerError(
            f"the managed Neo4j is not installed under {server.home} — run `influence db install`"
        )
    if server.pid() is not None:
        raise ServerError(
            "the managed Neo4j is running — stop it first (`influence db stop`); "
            "neo4j-admin imports into a stopped server"
        )
    cmd = admin_command(server, arguments)
    env = {**os.environ, "NEO4J_HOME": str(server.home), "NEO4J_CONF": str(server.home / "conf")}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=server.home)
    text = out.stdout + out.stderr
    if out.returncode != 0:
        hint = (
            " — the database is not empty: pass --overwrite to replace it"
            if "already" in text and "--overwrite" not in " ".join(cmd)
            else ""
        )
        raise ServerError(
            f"neo4j-admin import failed (exit {out.returncode}){hint}; it said:\n{text[-3000:]}"
        )
    return text
