// Project users and the traits they show (Cypher aggregation) for Node Similarity.
// Parameters: $graph — name of the in-memory graph.
// Traits: hashtags of the user's posts, locations of the user's posts, the user's languages
// (SPEAKS), countries (IN) and estimated time zone (IN_TIME_ZONE). Users without any trait are left out (nothing to compare).
// Relationship type HAS_TRAIT, User → trait; nodes labelled User or Trait in the projection.
// Returns: graph, nodes, relationships, projectMillis.
MATCH (u:User)
CALL (u) {
  MATCH (u)-[r:POSTED]->(:Post)-[:TAGGED]->(f:Hashtag) WHERE r.coauthor IS NULL RETURN DISTINCT f
  UNION
  MATCH (u)-[r:POSTED]->(:Post)-[:AT]->(f:Location) WHERE r.coauthor IS NULL RETURN DISTINCT f
  UNION
  MATCH (u)-[:SPEAKS]->(f:Language) RETURN f
  UNION
  MATCH (u)-[:IN]->(f:Country) RETURN f
  UNION
  MATCH (u)-[:IN_TIME_ZONE]->(f:TimeZone) RETURN f
}
WITH gds.graph.project($graph, u, f,
       {sourceNodeLabels: 'User', targetNodeLabels: 'Trait', relationshipType: 'HAS_TRAIT'}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships,
       g.projectMillis AS projectMillis
