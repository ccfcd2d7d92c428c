// Project the audience graph (account → audience member) for Node Similarity (Cypher aggregation).
// Parameters: $graph — in-memory graph name; $ids — account ids; $followers, $engagers — booleans
//   (the same audience as audience_members.cypher). Only the accounts have outgoing edges, so
//   Node Similarity compares exactly them.
// Returns: graph, nodes, relationships, projectMillis.
UNWIND $ids AS id
MATCH (a:User {id: id})
CALL (a) {
  MATCH (m:User)-[:FOLLOWS]->(a) WHERE $followers AND m <> a RETURN m
  UNION
  MATCH (m:User)-[:LIKED]->(:Post)<-[:POSTED]-(a) WHERE $engagers AND m <> a RETURN m
  UNION
  MATCH (m:User)-[:COMMENTED]->(:Post)<-[:POSTED]-(a) WHERE $engagers AND m <> a RETURN m
  UNION
  MATCH (m:User)-[:POSTED]->(:Post)-[:MENTIONS]->(a) WHERE $engagers AND m <> a RETURN m
}
WITH gds.graph.project($graph, a, m, {relationshipType: 'REACHES'}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships,
       g.projectMillis AS projectMillis
