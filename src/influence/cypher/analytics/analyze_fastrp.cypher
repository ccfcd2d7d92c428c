// FastRP node embeddings on an in-memory graph, written back as a node property (list of floats).
// Parameters: $graph — in-memory graph name; $config — the procedure's configuration map
//   (writeProperty, embeddingDimension, iterationWeights, randomSeed, relationshipTypes, …).
// Returns: nodePropertiesWritten, preProcessingMillis, computeMillis, writeMillis.
CALL gds.fastRP.write($graph, $config)
YIELD nodePropertiesWritten, preProcessingMillis, computeMillis, writeMillis
RETURN nodePropertiesWritten, preProcessingMillis, computeMillis, writeMillis
