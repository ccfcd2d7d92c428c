"""The managed local Neo4j Community + GDS + Browser server, built from Maven Central jars."""

from influence.server.manager import ManagedServer, ServerStatus

__all__ = ["ManagedServer", "ServerStatus"]
