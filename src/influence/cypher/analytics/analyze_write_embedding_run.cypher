// Record one embedding run and stamp its version on the users that got an embedding.
// Parameters: $version — unique run id; $algorithm; $dimension; $parameters — JSON text of the
//   configuration; $gdsVersion; $nodeCount.
// Returns: users — how many users carry this version.
MERGE (run:EmbeddingRun {version: $version})
SET run.algorithm = $algorithm, run.dimension = $dimension, run.parameters = $parameters,
    run.gdsVersion = $gdsVersion, run.nodeCount = $nodeCount, run.createdAt = datetime()
WITH run
MATCH (u:User)
WHERE u.embedding IS NOT NULL
SET u.embeddingVersion = run.version
RETURN count(u) AS users
