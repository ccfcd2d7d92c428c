// Accounts seen only through others' data — mentioned, tagged in a photo or followed — with no
// profile of their own loaded (no follower count), ranked by how many loaded accounts point at
// them, then by PageRank; optionally within one community.
// Parameters: $top — how many; $community — User.community or null for all.
// Returns: username, id, pointedBy (distinct accounts that mention, tag or follow it),
//   mentionedBy, taggedBy, followedBy (distinct accounts each), mentions (posts that mention or
//   tag it), pagerank, community.
MATCH (u:User)
WHERE u.followers IS NULL AND ($community IS NULL OR u.community = $community)
  AND (EXISTS { (:Post)-[:MENTIONS|FEATURES]->(u) } OR EXISTS { (:User)-[:FOLLOWS]->(u) })
CALL (u) {
  CALL (u) {
    MATCH (a:User)-[:POSTED]->(:Post)-[:MENTIONS|FEATURES]->(u) WHERE a <> u RETURN a
    UNION
    MATCH (a:User)-[:FOLLOWS]->(u) WHERE a <> u RETURN a
  }
  RETURN count(a) AS pointedBy
}
WITH u, pointedBy ORDER BY pointedBy DESC, coalesce(u.pagerank, 0.0) DESC, u.id
LIMIT $top
RETURN coalesce(u.username, u.id) AS username, u.id AS id, pointedBy,
       COUNT { MATCH (a:User)-[:POSTED]->(:Post)-[:MENTIONS]->(u) WHERE a <> u RETURN DISTINCT a } AS mentionedBy,
       COUNT { MATCH (a:User)-[:POSTED]->(:Post)-[:FEATURES]->(u) WHERE a <> u RETURN DISTINCT a } AS taggedBy,
       COUNT { MATCH (a:User)-[:FOLLOWS]->(u) WHERE a <> u RETURN DISTINCT a } AS followedBy,
       COUNT { MATCH (p:Post)-[:MENTIONS|FEATURES]->(u) RETURN DISTINCT p } AS mentions,
       u.pagerank AS pagerank, u.community AS community
