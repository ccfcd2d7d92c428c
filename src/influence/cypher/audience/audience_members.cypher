// The audience of each account: who follows it, who liked or commented on its posts and whose
// posts mention it (each member once per account).
// Parameters: $ids — account ids (User.id) or usernames; $followers, $engagers — which kinds
//   count (booleans).
// Returns: id, username, followers (the account's own count), audience (list of member ids),
//   knownFollowers (accounts in the graph that follow it: the followers the data knows),
//   knownEngagers (accounts that liked or commented on its posts).
UNWIND $ids AS key
CALL (key) {
  MATCH (a:User {id: key}) RETURN a
  UNION
  MATCH (a:User {username: key}) RETURN a
}
WITH DISTINCT a
OPTIONAL CALL (a) {
  MATCH (m:User)-[:FOLLOWS]->(a) WHERE $followers AND m <> a RETURN m
  UNION
  MATCH (m:User)-[:LIKED]->(:Post)<-[:POSTED]-(a) WHERE $engagers AND m <> a RETURN m
  UNION
  MATCH (m:User)-[:COMMENTED]->(:Post)<-[:POSTED]-(a) WHERE $engagers AND m <> a RETURN m
  UNION
  MATCH (m:User)-[:POSTED]->(:Post)-[:MENTIONS]->(a) WHERE $engagers AND m <> a RETURN m
}
RETURN a.id AS id, a.username AS username, a.followers AS followers, collect(m.id) AS audience,
       COUNT { MATCH (f:User)-[:FOLLOWS]->(a) WHERE f <> a RETURN DISTINCT f } AS knownFollowers,
       COUNT { MATCH (e:User)-[:LIKED|COMMENTED]->(:Post)<-[:POSTED]-(a) WHERE e <> a RETURN DISTINCT e }
         AS knownEngagers
