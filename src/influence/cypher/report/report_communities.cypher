// User communities with size, leading members (by PageRank) and most used hashtags.
// Parameters: $top — how many communities; $community — one community id or null for all;
//   $members — leading members per community; $tags — hashtags per community.
// Returns: community, size, members (usernames), hashtags (names), hashtagUses, timeZone (the
//   members' most common estimated UTC offset, hours, or null) and timeZoneShare (of the members
//   with an estimate, 0..1).
MATCH (u:User)
WHERE u.community IS NOT NULL AND ($community IS NULL OR u.community = $community)
WITH u.community AS community, count(*) AS size
ORDER BY size DESC, community
LIMIT $top
CALL (community) {
  MATCH (m:User {community: community})
  WITH m ORDER BY coalesce(m.pagerank, 0.0) DESC, m.id LIMIT $members
  RETURN collect(coalesce(m.username, m.id)) AS members
}
CALL (community) {
  MATCH (m:User {community: community})-[r:POSTED]->(:Post)-[:TAGGED]->(h:Hashtag)
  WHERE r.coauthor IS NULL
  WITH h, count(*) AS uses ORDER BY uses DESC, h.name LIMIT $tags
  RETURN collect(h.name) AS hashtags, sum(uses) AS hashtagUses
}
CALL (community) {
  OPTIONAL MATCH (m:User {community: community})
  WHERE m.timeZone IS NOT NULL
  WITH m.timeZone AS zone, count(m) AS n
  WITH collect({zone: zone, n: n}) AS zones, sum(n) AS total
  UNWIND (CASE WHEN total = 0 THEN [null] ELSE zones END) AS z
  WITH z, total ORDER BY z.n DESC, z.zone LIMIT 1
  RETURN z.zone AS timeZone, CASE WHEN total = 0 THEN null ELSE toFloat(z.n) / total END AS timeZoneShare
}
RETURN community, size, members, hashtags, hashtagUses, timeZone, timeZoneShare
