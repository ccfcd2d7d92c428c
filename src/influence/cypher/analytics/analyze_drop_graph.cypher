// Drop an in-memory graph if it exists. Parameters: $graph — its name.
// Returns: graphName (no row when there was none).
CALL gds.graph.drop($graph, false) YIELD graphName
RETURN graphName
