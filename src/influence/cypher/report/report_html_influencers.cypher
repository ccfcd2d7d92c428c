// Top influencers for the HTML report: accounts with a profile (a follower count loaded), by
// PageRank when analytics ran, else by followers. Accounts only mentioned, tagged or followed
// are listed apart (report_seen_only.cypher).
// Engagement rate is User.engagementRate when analytics wrote it, else mean(likes + comments)
// over the user's loaded posts divided by followers (the same definition, computed here).
// Parameters: $top — how many users to return.
MATCH (u:User)
WHERE u.followers IS NOT NULL
WITH u ORDER BY coalesce(u.pagerank, -1.0) DESC, coalesce(u.followers, -1) DESC LIMIT $top
OPTIONAL CALL (u) {
  MATCH (u)-[r:POSTED]->(p:Post) WHERE r.coauthor IS NULL
  RETURN count(p) AS loadedPosts,
         avg(coalesce(p.likes, 0) + coalesce(p.comments, 0)) AS meanEngagement
}
RETURN u.id AS id, u.username AS username, u.fullName AS fullName, u.followers AS followers,
       u.verified AS verified, u.pagerank AS pagerank, u.community AS community,
       coalesce(u.engagementRate,
                CASE WHEN u.followers > 0 AND loadedPosts > 0 THEN meanEngagement / u.followers END)
         AS engagementRate,
       loadedPosts
