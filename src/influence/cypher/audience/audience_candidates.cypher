// Accounts a campaign could book: those with an audience (followers, likers, commenters or
// mentioners), optionally in one community or region, most followed first.
// Parameters: $community — User.community or null; $region — a country or language code
//   (case-insensitive) or null; $costColumn — a User property holding the booking cost, or null;
//   $limit — at most this many candidates.
// Returns: id, username, followers, engagementRate, cost (null without $costColumn).
MATCH (a:User)
WHERE ($community IS NULL OR a.community = $community)
  AND ($region IS NULL OR toLower(a.country) = toLower($region) OR toLower(a.language) = toLower($region))
  AND (EXISTS { (:User)-[:FOLLOWS]->(a) } OR EXISTS { (a)-[:POSTED]->(:Post)<-[:LIKED|COMMENTED]-(:User) }
       OR EXISTS { (:Post)-[:MENTIONS]->(a) })
RETURN a.id AS id, a.username AS username, a.followers AS followers, a.engagementRate AS engagementRate,
       CASE WHEN $costColumn IS NULL THEN null ELSE a[$costColumn] END AS cost
ORDER BY coalesce(a.followers, -1) DESC, a.id
LIMIT $limit
