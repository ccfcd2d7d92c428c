// Memory estimate of a GDS algorithm on an in-memory graph, in the mode it will run.
// <procedure>: the GDS procedure with its mode (gds.pageRank.write, gds.louvain.write,
//   gds.nodeSimilarity.mutate, …), written in by influence.analytics.projection.statement from its
//   fixed list ALGORITHMS (a procedure name cannot be a parameter).
// Parameters: $graph — in-memory graph name; $config — the configuration map the run will use.
// Returns: bytesMin, bytesMax, requiredMemory.
CALL <procedure>.estimate($graph, $config)
YIELD bytesMin, bytesMax, requiredMemory
RETURN bytesMin, bytesMax, requiredMemory
