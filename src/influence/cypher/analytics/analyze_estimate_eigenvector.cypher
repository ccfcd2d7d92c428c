// Memory estimate of Eigenvector centrality (write mode) on an in-memory graph.
// Parameters: $graph — in-memory graph name; $config — the configuration map the run will use.
// Returns: bytesMin, bytesMax, requiredMemory.
CALL gds.eigenvector.write.estimate($graph, $config)
YIELD bytesMin, bytesMax, requiredMemory
RETURN bytesMin, bytesMax, requiredMemory
