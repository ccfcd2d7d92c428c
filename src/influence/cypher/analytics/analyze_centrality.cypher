// Centrality (PageRank, ArticleRank or eigenvector) on an in-memory graph, written back as a node property.
// <procedure>: the GDS write procedure (gds.pageRank.write, gds.articleRank.write or gds.eigenvector.write),
//   written in by influence.analytics.projection.statement from its fixed list ALGORITHMS (a procedure
//   name cannot be a parameter).
// Parameters: $graph — in-memory graph name; $config — the procedure's configuration map
//   (writeProperty, relationshipTypes, relationshipWeightProperty, concurrency, …; built in code).
// Returns: nodePropertiesWritten, ranIterations, didConverge, preProcessingMillis, computeMillis, writeMillis.
CALL <procedure>($graph, $config)
YIELD nodePropertiesWritten, ranIterations, didConverge, preProcessingMillis, computeMillis, writeMillis
RETURN nodePropertiesWritten, ranIterations, didConverge, preProcessingMillis, computeMillis, writeMillis
