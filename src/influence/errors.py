"""The project's own exceptions.

Every message says what to do next. The CLI turns any :class:`InfluenceError` into
``Error: <message>`` and exit code 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class InfluenceError(Exception):
    """Base class of every error this project raises on purpose."""


class ConfigError(InfluenceError):
    """A setting or an input file is invalid."""


class ServerError(InfluenceError):
    """The managed Neo4j server cannot be installed, started or stopped."""


class JavaError(ServerError):
    """Java is missing or has the wrong version."""


class MavenError(ServerError):
    """Maven is missing or could not resolve the server jars."""


class PortInUseError(ServerError):
    """A port the managed server needs is taken by another process."""


class NotInstalledError(ServerError):
    """The managed server has not been installed yet."""


class ConnectionFailed(InfluenceError):
    """Neo4j cannot be reached, or refused the credentials."""


class AuthFailed(ConnectionFailed):
    """Neo4j refused the user name or password."""


class GdsMissingError(InfluenceError):
    """The Neo4j server answers but has no Graph Data Science plugin."""


class QueryError(InfluenceError):
    """A query was refused (for example a write in a read-only session) or failed in Neo4j.

    ``code`` and ``neo4j_message`` keep Neo4j's status code and message when it came from there.
    """

    def __init__(self, message: str, *, code: str | None = None, neo4j_message: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.neo4j_message = neo4j_message


class InputError(InfluenceError):
    """An input file cannot be used at all (records that are merely bad go to the rejects file)."""


class OutputError(InfluenceError):
    """A file the project writes cannot be written (a full disk, no permission)."""


class ModelError(InfluenceError):
    """A model file is missing, incompatible, or there is not enough data to train one."""


class AnalyticsError(InfluenceError):
    """A graph analysis cannot run (for example its in-memory graph would not fit in the heap)."""
