"""Settings: where Neo4j is and how to reach it. No I/O at import.

With no ``NEO4J_URI`` the project uses its *managed* local server under
``$INFLUENCE_HOME/neo4j`` (default: the platform's user data dir), whose password lives in a
file readable only by the user. With ``NEO4J_URI`` set, every command talks to that server
(self-managed, a cluster through a ``neo4j://`` routing URI, or Aura) instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474


def default_home() -> Path:
    """The platform's user data dir for the project (platformdirs is imported here, on first
    use: every command's start-up should not pay for it)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("influence-graph"))


@dataclass(frozen=True)
class Settings:
    """Connection and managed-server settings.

    ``uri`` is ``None`` when the managed server is meant; :attr:`effective_uri` then points at
    it. ``password`` ``None`` with the managed server means "read it from the password file".
    """

    uri: str | None = None
    username: str = "neo4j"
    password: str | None = None
    database: str | None = None
    home: Path = field(default_factory=default_home)
    bolt_port: int = DEFAULT_BOLT_PORT
    http_port: int = DEFAULT_HTTP_PORT
    heap: str | None = None
    pagecache: str | None = None
    #: Let the managed server's LOAD CSV fetch http(s)/ftp URLs (off: server-side request forgery).
    allow_url_load: bool = False

    @property
    def managed(self) -> bool:
        """True when the commands should use the managed local server."""
        return self.uri is None

    @property
    def server_home(self) -> Path:
        """NEO4J_HOME of the managed server."""
        return self.home / "neo4j"

    @property
    def effective_uri(self) -> str:
        """The Bolt URI to connect to."""
        return self.uri if self.uri else f"bolt://127.0.0.1:{self.bolt_port}"

    def with_overrides(self, **values: object) -> Settings:
        """A copy with the given fields replaced; ``None`` values are ignored (flag not given)."""
        given = {k: v for k, v in values.items() if v is not None}
        if "home" in given:
            given["home"] = Path(str(given["home"])).expanduser()
        return replace(self, **given)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read settings from ``NEO4J_*`` and ``INFLUENCE_*`` environment variables."""
        env = os.environ if env is None else env
        home = env.get("INFLUENCE_HOME")
        return cls(
            uri=env.get("NEO4J_URI") or None,
            username=env.get("NEO4J_USERNAME") or "neo4j",
            password=env.get("NEO4J_PASSWORD") or None,
            database=env.get("NEO4J_DATABASE") or None,
            home=Path(home).expanduser() if home else default_home(),
            bolt_port=int(env.get("INFLUENCE_BOLT_PORT") or DEFAULT_BOLT_PORT),
            http_port=int(env.get("INFLUENCE_HTTP_PORT") or DEFAULT_HTTP_PORT),
            heap=env.get("INFLUENCE_HEAP") or None,
            pagecache=env.get("INFLUENCE_PAGECACHE") or None,
            allow_url_load=(env.get("INFLUENCE_ALLOW_URL_LOAD") or "").strip().lower()
            in ("1", "true", "yes"),
        )
