// Top accounts with a profile (a follower count loaded) by an influence score, optionally within
// one community. Accounts known only as the target of mentions, photo tags or follows have no
// reach or engagement to show: report_seen_only.cypher lists them apart.
// Parameters: $top — how many; $community — User.community or null for all;
//   $by — property to rank by (from a fixed list in code: pagerank, articlerank, eigenvector,
//   followers, engagementRate, engagementRateTierZ).
// Returns: username, id, followers, pagerank, engagementRate, tier, tierZ, community, score, posts
//   (posts loaded for the account).
MATCH (u:User)
WHERE u.followers IS NOT NULL AND u[$by] IS NOT NULL AND ($community IS NULL OR u.community = $community)
WITH u ORDER BY u[$by] DESC, coalesce(u.username, u.id)
LIMIT $top
RETURN coalesce(u.username, u.id) AS username, u.id AS id, u.followers AS followers,
       u.pagerank AS pagerank, u.engagementRate AS engagementRate, u.followerTier AS tier,
       u.engagementRateTierZ AS tierZ, u.community AS community, u[$by] AS score,
       COUNT { (u)-[r:POSTED]->(:Post) WHERE r.coauthor IS NULL } AS posts
