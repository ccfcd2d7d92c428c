"""Influence Graph: Instagram influence, communities and virality prediction on Neo4j + GDS."""

__version__ = "0.1.0"
