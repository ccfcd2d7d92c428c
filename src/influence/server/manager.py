"""Install, start, stop and inspect the managed Neo4j server.

Layout under ``home`` (``$INFLUENCE_HOME/neo4j``)::

    build/pom.xml    the pom shipped in this package (Maven resolves the jars with it)
    lib/             every jar: Neo4j + GDS + Browser, one version each (the class path)
    plugins/         copies of the GDS jars (Neo4j scans this folder for procedures)
    conf/neo4j.conf  written by :meth:`ManagedServer.install`
    data/ logs/ run/ import/
    password         the generated password of user ``neo4j`` (mode 0600)

The JVM is launched directly (``org.neo4j.server.CommunityEntryPoint``) rather than through
the ``bin/neo4j`` script, which Maven Central does not ship. See
``shared/reference/neo4j-from-maven.md`` for the research behind each choice.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from influence.errors import (
    AuthFailed,
    JavaError,
    MavenError,
    NotInstalledError,
    PortInUseError,
    ServerError,
)

NEO4J_VERSION = "5.26.25"
GDS_VERSION = "2.13.9"
BROWSER_VERSION = "5.24.0"
SUPPORTED_JAVA = (17, 21)
USERNAME = "neo4j"
STAMP = f"neo4j={NEO4J_VERSION} gds={GDS_VERSION} browser={BROWSER_VERSION}"

# The default JVM options of a Neo4j 5.26 neo4j.conf (server.jvm.additional).
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class ServerStatus:
    """What ``influence db status`` reports."""

    running: bool
    pid: int | None
    neo4j_version: str | None
    gds_version: str | None
    bolt_uri: str
    browser_url: str
    user: str
    password_file: str
    #: prints the password on request (never shown by ``db status`` itself)
    password_command: str
    home: str
    installed: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def total_memory_bytes() -> int:
    """Physical memory of this machine."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def size_memory(total: int) -> tuple[str, str]:
    """Heap and page cache for a machine with ``total`` bytes of RAM.

    A quarter of RAM for the heap (GDS projections live there), capped at 8 GB, and a tenth for
    the page cache, capped at 4 GB: the rest stays free for pandas and XGBoost.
    """
    gib = 1024**3
    heap = min(max(total // 4, gib), 8 * gib)
    pagecache = min(max(total // 10, gib // 2), 4 * gib)
    return f"{heap // (1024**2)}m", f"{pagecache // (1024**2)}m"


#: Server-wide bound on any transaction's run time (Browser, cypher-shell and the project alike).
TRANSACTION_TIMEOUT = "30m"


def _size_bytes(size: str) -> int:
    """Bytes of a JVM-style size (``1500m``, ``2g``, ``512k``, ``1073741824``)."""
    m = re.fullmatch(r"\s*(\d+)\s*([kmgt]?)b?\s*", size.lower())
    if m is None:
        raise ValueError(f"not a memory size: {size!r} (use e.g. 2g or 1500m)")
    scale: int = 1024 ** " kmgt".index(m.group(2) or " ")
    return int(m.group(1)) * scale


def transaction_memory(heap: str) -> tuple[str, str]:
    """``(db.memory.transaction.max, dbms.memory.transaction.total.max)`` for a heap size: one
    transaction may take 40 % of the heap, all of them together 70 %, so one read that builds a
    huge result is ended with a memory error instead of taking the server down."""
    mib = _size_bytes(heap) // (1024 * 1024)
    return f"{max(mib * 4 // 10, 128)}m", f"{max(mib * 7 // 10, 256)}m"


def java_major(version_output: str) -> int | None:
    """Parse the major version out of ``java -version`` output."""
    m = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def find_java(jvm_dir: Path = Path("/usr/lib/jvm")) -> Path:
    """A Java 17 or 21 executable: ``INFLUENCE_JAVA``, ``JAVA_HOME``, JDKs in ``jvm_dir``, ``PATH``."""
    candidates: list[Path] = []
    if os.environ.get("INFLUENCE_JAVA"):
        candidates.append(Path(os.environ["INFLUENCE_JAVA"]))
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
    if jvm_dir.is_dir():
        for d in sorted(jvm_dir.iterdir()):
            if any(f"-{v}" in d.name for v in SUPPORTED_JAVA):
                candidates.append(d / "bin" / "java")
    on_path = shutil.which("java")
    if on_path:
        candidates.append(Path(on_path))
    seen: list[str] = []
    for java in candidates:
        if not java.exists():
            continue
        try:
            out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30)
        except OSError:
            continue
        major = java_major(out.stderr + out.stdout)
        if major in SUPPORTED_JAVA:
            return java
        seen.append(f"{java} (Java {major})")
    if seen:
        raise JavaError(
            "Neo4j 5.26 needs Java 17 or 21, found only "
            + ", ".join(seen)
            + " — install OpenJDK 17 (apt install openjdk-17-jre-headless) or set INFLUENCE_JAVA"
        )
    raise JavaError(
        "Java is not installed — install OpenJDK 17 (apt install openjdk-17-jre-headless) "
        "or point INFLUENCE_JAVA at a Java 17 or 21 executable"
    )


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) != 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited child not yet reaped) counts as gone.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _tail(path: Path, lines: int = 25) -> str:
    if not path.exists():
        return "(no log written)"
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:])


class ManagedServer:
    """One Neo4j server under ``home``, listening on 127.0.0.1 only."""

    def __init__(
        self,
        home: Path,
        bolt_port: int = 7687,
        http_port: int = 7474,
        heap: str | None = None,
        pagecache: str | None = None,
        allow_url_load: bool = False,
    ) -> None:
        self.home = home
        self.allow_url_load = allow_url_load
        #: Set by :meth:`stop`: why it had to kill the JVM (None: it stopped cleanly).
        self.killed: str | None = None
        self.bolt_port = bolt_port
        self.http_port = http_port
        default_heap, default_pagecache = size_memory(total_memory_bytes())
        self.heap = heap or default_heap
        self.pagecache = pagecache or default_pagecache

    # -- paths ---------------------------------------------------------------------------
    @property
    def lib(self) -> Path:
        return self.home / "lib"

    @property
    def plugins(self) -> Path:
        return self.home / "plugins"

    @property
    def conf_file(self) -> Path:
        return self.home / "conf" / "neo4j.conf"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"

    @property
    def installed(self) -> bool:
        stamp = self.lib / ".installed"
        return stamp.exists() and stamp.read_text().strip() == STAMP and self.conf_file.exists()

    # -- install -------------------------------------------------------------------------
    def install(self, progress: Progress = _quiet) -> bool:
        """Resolve the jars with Maven and write the configuration. Idempotent.

        Returns True when jars were (re)resolved, False when they were already in place. An
        interrupted run leaves only ``*.partial`` folders behind, which the next run replaces;
        Maven itself resumes interrupted downloads in its local repository.
        """
        find_java()
        self.home.mkdir(parents=True, exist_ok=True)
        for sub in ("conf", "data", "logs", "run", "import", "build"):
            (self.home / sub).mkdir(exist_ok=True)
        self._restrict()
        resolved = False
        if not (
            (self.lib / ".installed").exists() and (self.lib / ".installed").read_text().strip() == STAMP
        ):
            self._resolve_jars(progress)
            resolved = True
        self._write_password()
        self._write_conf()
        return resolved

    def _resolve_jars(self, progress: Progress) -> None:
        mvn = shutil.which("mvn")
        if mvn is None:
            raise MavenError(
                "Maven is not installed: it resolves the Neo4j and GDS jars — install it "
                "(apt install maven) or use your own Neo4j with NEO4J_URI"
            )
        pom = self.home / "build" / "pom.xml"
        pom.write_bytes(importlib.resources.files("influence.server").joinpath("pom.xml").read_bytes())
        lib_tmp, plugins_tmp = self.home / "lib.partial", self.home / "plugins.partial"
        for d in (lib_tmp, plugins_tmp):
            shutil.rmtree(d, ignore_errors=True)
        progress(f"resolving Neo4j {NEO4J_VERSION}, GDS {GDS_VERSION}, Browser {BROWSER_VERSION} with Maven")
        cmd = [
            mvn,
            "-B",
            "-q",
            "-f",
            str(pom),
            "package",
            f"-Dneo4j.lib={lib_tmp}",
            f"-Dneo4j.plugins={plugins_tmp}",
        ]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            text = (out.stdout + out.stderr)[-3000:]
            if re.search(
                r"UnknownHost|Could not transfer|Connection refused|timed out|Network is unreachable", text
            ):
                raise MavenError(
                    "Maven could not download the server jars from Maven Central — check the "
                    "network or proxy (~/.m2/settings.xml) and run `influence db install` again; "
                    f"Maven said:\n{text}"
                )
            raise MavenError(f"Maven failed to resolve the server jars; it said:\n{text}")
        for final, tmp in ((self.lib, lib_tmp), (self.plugins, plugins_tmp)):
            shutil.rmtree(final, ignore_errors=True)
            tmp.rename(final)
        (self.lib / ".installed").write_text(STAMP + "\n")
        progress(f"installed {len(list(self.lib.glob('*.jar')))} jars into {self.lib}")

    def _restrict(self) -> None:
        """Owner-only modes on what holds data or secrets: the graph, the logs (queries and
        parameters), the pid and the configuration. Applied at every install and start, so a home
        made by an older version is fixed too."""
        for sub in ("data", "logs", "run", "conf", "import"):
            folder = self.home / sub
            if folder.is_dir():
                folder.chmod(0o700)

    def _write_password(self) -> None:
        if self.password_file.exists():
            return
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(18) + "\n")

    def password(self) -> str:
        """The generated password of user ``neo4j``."""
        if not self.password_file.exists():
            raise NotInstalledError(
                f"no password file at {self.password_file} — run `influence db install` first"
            )
        return self.password_file.read_text().strip()

    def conf_text(self) -> str:
        """The neo4j.conf this server runs with."""
        template = importlib.resources.files("influence.server").joinpath("neo4j.conf.template").read_text()
        tx_max, tx_total = transaction_memory(self.heap)
        return template.format(
            tx_max=tx_max,
            tx_total=tx_total,
            tx_timeout=TRANSACTION_TIMEOUT,
            bolt_port=self.bolt_port,
            http_port=self.http_port,
            plugins=self.plugins,
            pagecache=self.pagecache,
            ip_blocklist="" if self.allow_url_load else "0.0.0.0/0,::/0",
        )

    def _write_conf(self) -> None:
        text = self.conf_text()
        if not self.conf_file.exists() or self.conf_file.read_text() != text:
            self.conf_file.write_text(text)

    # -- run -----------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of the running server, or None (a stale pid file is removed)."""
        if not self.pid_file.exists():
            return None
        try:
            pid = int(self.pid_file.read_text().strip())
        except ValueError:
            self.pid_file.unlink(missing_ok=True)
            return None
        if _pid_alive(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def java_command(self, java: Path) -> list[str]:
        """The full command line that runs the server in the foreground."""
        return [
            str(java),
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *JVM_OPTIONS,
            "-cp",
            f"{self.lib}/*",
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={self.home}",
            f"--config-dir={self.home / 'conf'}",
            "--console-mode",
        ]

    def start(self, timeout: float = 180.0, progress: Progress = _quiet) -> bool:
        """Start the server in the background and wait until Bolt answers.

        Returns False (and does nothing) when it is already running. The first start sets the
        generated password.
        """
        if self.pid() is not None:
            return False
        if not self.installed:
            raise NotInstalledError(
                f"the managed Neo4j is not installed under {self.home} — run `influence db install`"
            )
        for name, port in (("Bolt", self.bolt_port), ("HTTP", self.http_port)):
            if not port_free(port):
                raise PortInUseError(
                    f"port {port} ({name}) is already in use by another process — stop it, or "
                    f"choose other ports with INFLUENCE_BOLT_PORT / INFLUENCE_HTTP_PORT"
                )
        java = find_java()
        self._restrict()
        self._write_conf()
        self.console_log.parent.mkdir(parents=True, exist_ok=True)
        progress(f"starting Neo4j {NEO4J_VERSION} (heap {self.heap}, page cache {self.pagecache})")
        with open(self.console_log, "ab") as log:
            proc = subprocess.Popen(
                self.java_command(java),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.home,
                start_new_session=True,
            )
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(f"{proc.pid}\n")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise ServerError(
                    f"Neo4j exited during start (code {proc.returncode}); the end of "
                    f"{self.console_log}:\n{_tail(self.console_log)}"
                )
            if not port_free(self.bolt_port) and not port_free(self.http_port):
                break
            time.sleep(0.5)
        else:
            self.stop()
            raise ServerError(
                f"Neo4j did not answer on port {self.bolt_port} within {timeout:.0f} s; the end of "
                f"{self.console_log}:\n{_tail(self.console_log)}"
            )
        self._set_initial_password()
        return True

    def _set_initial_password(self) -> None:
        marker = self.home / "data" / ".password-set"
        if marker.exists():
            return
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError

        password = self.password()
        try:
            with GraphDatabase.driver(self.bolt_uri, auth=(USERNAME, "neo4j")) as driver:
                driver.execute_query(
                    "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                    old="neo4j",
                    new=password,
                    database_="system",
                )
        except AuthError:
            # Already changed (a data folder that outlived its marker): check ours works.
            try:
                with GraphDatabase.driver(self.bolt_uri, auth=(USERNAME, password)) as driver:
                    driver.verify_connectivity()
            except AuthError as e:
                raise AuthFailed(
                    f"the database under {self.home / 'data'} has a password that is not the one in "
                    f"{self.password_file} — restore that file, or delete the data folder to start over"
                ) from e
        marker.write_text("ok\n")

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after ``timeout``). False if not running.

        :attr:`killed` then says why the JVM had to be killed, or is None after a clean stop.
        """
        self.killed = None
        pid = self.pid()
        if pid is None:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _pid_alive(pid):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.3)
        if _pid_alive(pid):
            self.killed = (
                f"it did not stop within {timeout:g} s of SIGTERM (a long transaction or GDS run), "
                "so it was killed with SIGKILL; the next start recovers the database from its "
                "transaction log"
            )
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            time.sleep(0.5)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        self.pid_file.unlink(missing_ok=True)
        return True

    def status(self, versions: tuple[str | None, str | None] = (None, None)) -> ServerStatus:
        """Running or not, where it listens, and the versions the caller read from it."""
        pid = self.pid()
        return ServerStatus(
            running=pid is not None,
            pid=pid,
            neo4j_version=versions[0],
            gds_version=versions[1],
            bolt_uri=self.bolt_uri,
            browser_url=self.browser_url,
            user=USERNAME,
            password_file=str(self.password_file),
            password_command="influence db password",
            home=str(self.home),
            installed=self.installed,
        )
