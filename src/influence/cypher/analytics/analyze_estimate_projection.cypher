// Memory a projection of the given size needs (a fictitious-graph estimate).
// Parameters: $nodes, $relationships — counts; $relationshipProperties — list of property names.
// Returns: bytesMin, bytesMax, requiredMemory (readable range).
CALL gds.graph.project.estimate('*', '*', {nodeCount: $nodes, relationshipCount: $relationships,
                                          relationshipProperties: $relationshipProperties})
YIELD bytesMin, bytesMax, requiredMemory
RETURN bytesMin, bytesMax, requiredMemory
