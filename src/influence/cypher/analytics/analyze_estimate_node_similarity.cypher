// Memory estimate of Node Similarity (mutate mode) on an in-memory graph.
// Parameters: $graph — in-memory graph name; $config — the configuration map the run will use.
// Returns: bytesMin, bytesMax, requiredMemory.
CALL gds.nodeSimilarity.mutate.estimate($graph, $config)
YIELD bytesMin, bytesMax, requiredMemory
RETURN bytesMin, bytesMax, requiredMemory
