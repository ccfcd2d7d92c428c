// Top influencers: accounts with a profile (a follower count) by PageRank, with reach, engagement and
// community. Accounts only mentioned, tagged or followed: `influence report influencers --seen-only`.
// Parameters: $top — how many rows, e.g.  :param top => 25
// Run `influence analyze` first (writes User.pagerank, community, engagementRate).
MATCH (u:User)
WHERE u.pagerank IS NOT NULL AND u.followers IS NOT NULL
RETURN coalesce(u.username, u.id) AS account, u.pagerank AS pagerank, u.followers AS followers,
       u.engagementRate AS engagementRate, u.followerTier AS tier, u.engagementRateTierZ AS tierZ,
       u.community AS community
ORDER BY u.pagerank DESC
LIMIT toInteger($top)
