// FastRP node embeddings on an in-memory graph, written back as a node property (list of floats).
// <procedure>: gds.fastRP.write, written in by influence.analytics.projection.statement from its
//   fixed list ALGORITHMS (a procedure name cannot be a parameter).
// Parameters: $graph — in-memory graph name; $config — the procedure's configuration map
//   (writeProperty, embeddingDimension, iterationWeights, randomSeed, relationshipTypes, …).
// Returns: nodePropertiesWritten, preProcessingMillis, computeMillis, writeMillis.
CALL <procedure>($graph, $config)
YIELD nodePropertiesWritten, preProcessingMillis, computeMillis, writeMillis
RETURN nodePropertiesWritten, preProcessingMillis, computeMillis, writeMillis
