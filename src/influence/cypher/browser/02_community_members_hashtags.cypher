// One community: its size, leading members (by PageRank) and the hashtags its members use most.
// Parameters: $community — a User.community id, e.g.  :param community => 0
//   (list the communities with `influence report communities`).
MATCH (u:User {community: toInteger($community)})
WITH u ORDER BY coalesce(u.pagerank, 0.0) DESC
WITH collect(u) AS members
CALL (members) {
  UNWIND members AS m
  MATCH (m)-[:POSTED]->(:Post)-[:TAGGED]->(h:Hashtag)
  WITH h, count(*) AS uses ORDER BY uses DESC LIMIT 15
  RETURN collect(h.name + ' (' + toString(uses) + ')') AS topHashtags
}
RETURN size(members) AS size, [m IN members[..25] | coalesce(m.username, m.id)] AS leadingMembers, topHashtags
