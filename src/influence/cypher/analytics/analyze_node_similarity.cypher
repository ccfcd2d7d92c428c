// Node Similarity (Jaccard over shared neighbours) added to the in-memory graph (mutate mode).
// <procedure>: gds.nodeSimilarity.mutate, written in by influence.analytics.projection.statement
//   from its fixed list ALGORITHMS (a procedure name cannot be a parameter).
// Parameters: $graph — in-memory graph name; $config — the procedure's configuration map
//   (mutateRelationshipType, mutateProperty, topK, similarityCutoff, concurrency, …).
// Returns: relationshipsWritten, nodesCompared, preProcessingMillis, computeMillis, mutateMillis.
CALL <procedure>($graph, $config)
YIELD relationshipsWritten, nodesCompared, preProcessingMillis, computeMillis, mutateMillis
RETURN relationshipsWritten, nodesCompared, preProcessingMillis, computeMillis, mutateMillis
