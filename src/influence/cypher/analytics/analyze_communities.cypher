// Community detection (Louvain or Leiden) on an in-memory graph, written back as a node property.
// <procedure>: the GDS write procedure (gds.louvain.write or gds.leiden.write), written in by
//   influence.analytics.projection.statement from its fixed list ALGORITHMS (a procedure name cannot
//   be a parameter).
// Parameters: $graph — in-memory graph name; $config — the procedure's configuration map
//   (writeProperty, nodeLabels, relationshipTypes, relationshipWeightProperty, concurrency, …).
// Returns: nodePropertiesWritten, communityCount, modularity, ranLevels, preProcessingMillis,
//   computeMillis, writeMillis.
CALL <procedure>($graph, $config)
YIELD nodePropertiesWritten, communityCount, modularity, ranLevels, preProcessingMillis, computeMillis, writeMillis
RETURN nodePropertiesWritten, communityCount, modularity, ranLevels, preProcessingMillis, computeMillis, writeMillis
