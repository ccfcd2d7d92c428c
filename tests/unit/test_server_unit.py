"""Managed-server logic that needs no running server."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from influence.config import Settings
from influence.errors import NotInstalledError, PortInUseError
from influence.server import manager
from influence.server.manager import ManagedServer, java_major, size_memory


def test_java_major_parses_modern_and_legacy_version_strings() -> None:
    assert java_major('openjdk version "17.0.15" 2025-04-15') == 17
    assert java_major('openjdk version "21" 2023-09-19') == 21
    assert java_major('java version "1.8.0_392"') == 8
    assert java_major("garbage") is None


def test_memory_is_sized_from_the_machine() -> None:
    gib = 1024**3
    assert size_memory(24 * gib) == ("6144m", "2457m")
    assert size_memory(2 * gib) == ("1024m", "512m")  # floors
    assert size_memory(256 * gib) == ("8192m", "4096m")  # caps


def test_conf_listens_on_loopback_only_with_gds_unrestricted(tmp_path: Path) -> None:
    conf = ManagedServer(tmp_path, bolt_port=1234, http_port=5678, heap="1g", pagecache="256m").conf_text()
    lines = dict(line.split("=", 1) for line in conf.splitlines() if "=" in line and not line.startswith("#"))
    assert lines["server.bolt.listen_address"] == "127.0.0.1:1234"
    assert lines["server.http.listen_address"] == "127.0.0.1:5678"
    assert lines["server.default_listen_address"] == "127.0.0.1"
    assert lines["dbms.security.procedures.unrestricted"] == "gds.*"
    assert lines["dbms.security.auth_enabled"] == "true"
    assert lines["server.memory.pagecache.size"] == "256m"
    # one transaction may take 40 % of the heap, all of them 70 %, none runs past 30 minutes (issue 19)
    assert lines["db.memory.transaction.max"] == "409m"
    assert lines["dbms.memory.transaction.total.max"] == "716m"
    assert lines["db.transaction.timeout"] == "30m"
    big = ManagedServer(tmp_path, heap="6144m", pagecache="256m").conf_text()
    assert "db.memory.transaction.max=2457m" in big and "dbms.memory.transaction.total.max=4300m" in big


def test_start_without_install_says_to_install(tmp_path: Path) -> None:
    with pytest.raises(NotInstalledError, match="influence db install"):
        ManagedServer(tmp_path).start()


def test_start_refuses_a_port_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srv = ManagedServer(tmp_path, bolt_port=0, http_port=0)
    monkeypatch.setattr(ManagedServer, "installed", property(lambda self: True))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        srv.bolt_port = s.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"port {srv.bolt_port}"):
            srv.start()


def test_password_file_is_private_and_stable(tmp_path: Path) -> None:
    srv = ManagedServer(tmp_path)
    srv._write_password()
    first = srv.password()
    srv._write_password()
    assert srv.password() == first and len(first) >= 20
    assert (srv.password_file.stat().st_mode & 0o777) == 0o600


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INFLUENCE_JAVA", str(tmp_path / "nope"))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(manager.shutil, "which", lambda name: None)
    with pytest.raises(manager.JavaError, match="install OpenJDK 17"):
        manager.find_java(jvm_dir=tmp_path / "no-jvms")


def test_too_old_java_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    old = tmp_path / "java"
    old.write_text("#!/bin/sh\necho 'openjdk version \"11.0.2\"' >&2\n")
    old.chmod(0o755)
    monkeypatch.setenv("INFLUENCE_JAVA", str(old))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(manager.shutil, "which", lambda name: None)
    with pytest.raises(manager.JavaError, match="Java 11"):
        manager.find_java(jvm_dir=tmp_path / "no-jvms")


def test_settings_from_env_and_flags_win() -> None:
    s = Settings.from_env(
        {"NEO4J_URI": "neo4j+s://x.databases.neo4j.io", "NEO4J_USERNAME": "u", "INFLUENCE_HOME": "/h"}
    )
    assert not s.managed and s.effective_uri == "neo4j+s://x.databases.neo4j.io" and s.username == "u"
    assert s.server_home == Path("/h/neo4j")
    assert s.with_overrides(uri="bolt://other:7687", username=None).uri == "bolt://other:7687"
    assert s.with_overrides(username=None).username == "u"
    assert Settings.from_env({}).managed
