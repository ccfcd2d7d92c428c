// Louvain community detection on an in-memory graph, written back as a node property.
// Parameters: $graph — in-memory graph name; $config — the procedure's configuration map
//   (writeProperty, nodeLabels, relationshipTypes, relationshipWeightProperty, concurrency, …).
// Returns: nodePropertiesWritten, communityCount, modularity, ranLevels, preProcessingMillis,
//   computeMillis, writeMillis.
CALL gds.louvain.write($graph, $config)
YIELD nodePropertiesWritten, communityCount, modularity, ranLevels, preProcessingMillis, computeMillis, writeMillis
RETURN nodePropertiesWritten, communityCount, modularity, ranLevels, preProcessingMillis, computeMillis, writeMillis
