// Top users by an influence score, optionally within one community.
// Parameters: $top — how many; $community — User.community or null for all;
//   $by — property to rank by (from a fixed list in code: pagerank, articlerank, eigenvector,
//   followers, engagementRate, engagementRateTierZ).
// Returns: username, id, followers, pagerank, engagementRate, tier, tierZ, community, score.
MATCH (u:User)
WHERE u[$by] IS NOT NULL AND ($community IS NULL OR u.community = $community)
RETURN coalesce(u.username, u.id) AS username, u.id AS id, u.followers AS followers,
       u.pagerank AS pagerank, u.engagementRate AS engagementRate, u.followerTier AS tier,
       u.engagementRateTierZ AS tierZ, u.community AS community, u[$by] AS score
ORDER BY score DESC, username
LIMIT $top
