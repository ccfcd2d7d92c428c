// Node Similarity (Jaccard over shared audience members) between the projected accounts, streamed.
// Parameters: $graph — in-memory graph name; $config — the procedure's configuration map
//   (topK, similarityCutoff, concurrency, …).
// Returns: a, b (account ids), jaccard — one row per ordered pair with a shared member.
CALL gds.nodeSimilarity.stream($graph, $config)
YIELD node1, node2, similarity
RETURN gds.util.asNode(node1).id AS a, gds.util.asNode(node2).id AS b, similarity AS jaccard
