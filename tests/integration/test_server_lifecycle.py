"""A second managed server, started and stopped in the test: install is idempotent, stop leaves no JVM."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from influence.server import ManagedServer

pytestmark = pytest.mark.integration


def _java_processes_for(home: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if "CommunityEntryPoint" in cmdline and f"--home-dir={home}" in cmdline:
            found.append(int(entry.name))
    return found


def test_install_twice_start_stop_leaves_no_java(tmp_path: Path, server: ManagedServer) -> None:
    # `server` (the session's server) is requested so the Maven cache is already warm.
    bolt = int(os.environ.get("INFLUENCE_TEST_LIFECYCLE_BOLT_PORT") or 17697)
    http = int(os.environ.get("INFLUENCE_TEST_LIFECYCLE_HTTP_PORT") or 17497)
    srv = ManagedServer(tmp_path / "neo4j", bolt_port=bolt, http_port=http, heap="512m", pagecache="128m")
    assert srv.install() is True
    started = time.monotonic()
    assert srv.install() is False  # idempotent: nothing to resolve again
    assert time.monotonic() - started < 10
    assert srv.start() is True
    try:
        pid = srv.pid()
        assert pid is not None and _java_processes_for(srv.home) == [pid]
    finally:
        assert srv.stop() is True
    assert srv.pid() is None
    assert _java_processes_for(srv.home) == []
    assert srv.stop() is False  # stopping a stopped server is harmless


def test_interrupted_install_is_recovered(tmp_path: Path, server: ManagedServer) -> None:
    srv = ManagedServer(tmp_path / "neo4j", heap="512m", pagecache="128m")
    srv.install()
    # Simulate a download cut short: a half-written lib folder and no completion stamp.
    (srv.lib / ".installed").unlink()
    (srv.home / "lib.partial").mkdir()
    (srv.home / "lib.partial" / "half.jar").write_bytes(b"PK")
    assert not srv.installed
    assert srv.install() is True
    assert srv.installed and not (srv.home / "lib.partial").exists()
    assert len(list(srv.lib.glob("*.jar"))) > 300
