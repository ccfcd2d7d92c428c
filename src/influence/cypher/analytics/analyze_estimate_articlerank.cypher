// Memory estimate of ArticleRank (write mode) on an in-memory graph.
// Parameters: $graph — in-memory graph name; $config — the configuration map the run will use.
// Returns: bytesMin, bytesMax, requiredMemory.
CALL gds.articleRank.write.estimate($graph, $config)
YIELD bytesMin, bytesMax, requiredMemory
RETURN bytesMin, bytesMax, requiredMemory
