// The signals of audience quality per account, over its audience (followers, likers, commenters,
// mentioners): members who follow at least $manyFollowing accounts (profile count, else FOLLOWS
// edges), members with no profile (never scraped: no followers, full name or posts count),
// profiled members with no posts; the account's engagement-rate z within its follower tier; its
// follower counts per scrape, oldest first (FROM_SCRAPE.followers).
// Parameters: $ids — account ids or usernames, or null for every account with an audience of $minAudience or more;
//   $manyFollowing — threshold (accounts followed); $minAudience — smallest audience scored.
// Returns: id, username, followers, tierZ, audience, followsMany, noProfile, profiled, noPosts, history,
//   knownFollowers (accounts in the graph that follow it), knownEngagers (accounts that liked or
//   commented on its posts).
MATCH (a:User)
WHERE $ids IS NULL OR a.id IN $ids OR a.username IN $ids
CALL (a) {
  MATCH (m:User)-[:FOLLOWS]->(a) WHERE m <> a RETURN m
  UNION
  MATCH (m:User)-[:LIKED]->(:Post)<-[:POSTED]-(a) WHERE m <> a RETURN m
  UNION
  MATCH (m:User)-[:COMMENTED]->(:Post)<-[:POSTED]-(a) WHERE m <> a RETURN m
  UNION
  MATCH (m:User)-[:POSTED]->(:Post)-[:MENTIONS]->(a) WHERE m <> a RETURN m
}
WITH a, m,
     (m.followers IS NULL AND m.fullName IS NULL AND m.postsCount IS NULL) AS noProfile,
     coalesce(m.following, COUNT { (m)-[:FOLLOWS]->() }) AS following
WITH a, m, noProfile, following,
     (NOT noProfile AND coalesce(m.postsCount, 0) = 0 AND NOT EXISTS { (m)-[:POSTED]->(:Post) }) AS noPosts
WITH a, count(m) AS audience,
     sum(CASE WHEN following >= $manyFollowing THEN 1 ELSE 0 END) AS followsMany,
     sum(CASE WHEN noProfile THEN 1 ELSE 0 END) AS noProfile,
     sum(CASE WHEN noProfile THEN 0 ELSE 1 END) AS profiled,
     sum(CASE WHEN noPosts THEN 1 ELSE 0 END) AS noPosts
WHERE audience >= $minAudience
CALL (a) {
  OPTIONAL MATCH (a)-[r:FROM_SCRAPE]->(s:Scrape)
  WHERE r.followers IS NOT NULL
  WITH r.followers AS n, s ORDER BY s.startedAt, s.id
  RETURN collect(n) AS history
}
RETURN a.id AS id, a.username AS username, a.followers AS followers, a.engagementRateTierZ AS tierZ,
       audience, followsMany, noProfile, profiled, noPosts, history,
       COUNT { MATCH (f:User)-[:FOLLOWS]->(a) WHERE f <> a RETURN DISTINCT f } AS knownFollowers,
       COUNT { MATCH (e:User)-[:LIKED|COMMENTED]->(:Post)<-[:POSTED]-(a) WHERE e <> a RETURN DISTINCT e }
         AS knownEngagers
