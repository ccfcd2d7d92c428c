// PageRank on an in-memory graph, written back as a node property.
// Parameters: $graph — in-memory graph name; $config — the procedure's configuration map
//   (writeProperty, relationshipTypes, relationshipWeightProperty, concurrency, …; built in code).
// Returns: nodePropertiesWritten, ranIterations, didConverge, preProcessingMillis, computeMillis, writeMillis.
CALL gds.pageRank.write($graph, $config)
YIELD nodePropertiesWritten, ranIterations, didConverge, preProcessingMillis, computeMillis, writeMillis
RETURN nodePropertiesWritten, ranIterations, didConverge, preProcessingMillis, computeMillis, writeMillis
