// User communities with size, leading members (by PageRank) and most used hashtags.
// Parameters: $top — how many communities; $community — one community id or null for all;
//   $members — leading members per community; $tags — hashtags per community.
// Returns: community, size, members (usernames), hashtags (names), hashtagUses.
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
RETURN community, size, members, hashtags, hashtagUses
