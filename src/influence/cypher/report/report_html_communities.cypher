// The largest communities (User.community, written by `influence analyze`) for the HTML report,
// each with its best-connected members, its typical hashtags and its main language.
// Parameters: $top — how many communities; $members — members listed per community;
//   $hashtags — hashtags listed per community; $ids — only these communities (a list), or null
//   for the largest.
MATCH (u:User) WHERE u.community IS NOT NULL AND ($ids IS NULL OR u.community IN $ids)
WITH u.community AS community, count(*) AS size
ORDER BY size DESC, community LIMIT $top
CALL (community) {
  MATCH (m:User {community: community})
  WITH m ORDER BY coalesce(m.pagerank, 0.0) DESC, coalesce(m.followers, 0) DESC LIMIT $members
  RETURN collect(coalesce(m.username, m.id)) AS members
}
CALL (community) {
  OPTIONAL MATCH (:User {community: community})-[:POSTED]->(:Post)-[:TAGGED]->(h:Hashtag)
  WITH h, count(h) AS uses WHERE h IS NOT NULL
  // typical of the community: used often in it, and mostly by it (uses² / all uses), so that
  // #instadaily, used everywhere, does not name every community
  WITH h, uses, toFloat(uses) * uses / COUNT { (h)<-[:TAGGED]-() } AS typical
  ORDER BY typical DESC, uses DESC, h.name LIMIT $hashtags
  RETURN collect(h.name) AS hashtags
}
CALL (community) {
  OPTIONAL MATCH (m:User {community: community})
  OPTIONAL MATCH (m)-[:POSTED]->(p:Post)
  WITH coalesce(p.language, m.language) AS language WHERE language IS NOT NULL
  WITH language, count(*) AS n ORDER BY n DESC, language LIMIT 1
  RETURN collect(language) AS languages
}
RETURN community, size, members, hashtags, languages[0] AS language
