// Node Similarity (Jaccard over shared neighbours) added to the in-memory graph (mutate mode).
// Parameters: $graph — in-memory graph name; $config — the procedure's configuration map
//   (mutateRelationshipType, mutateProperty, topK, similarityCutoff, concurrency, …).
// Returns: relationshipsWritten, nodesCompared, preProcessingMillis, computeMillis, mutateMillis.
CALL gds.nodeSimilarity.mutate($graph, $config)
YIELD relationshipsWritten, nodesCompared, preProcessingMillis, computeMillis, mutateMillis
RETURN relationshipsWritten, nodesCompared, preProcessingMillis, computeMillis, mutateMillis
