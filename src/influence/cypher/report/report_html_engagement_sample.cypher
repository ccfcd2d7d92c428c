// A random sample of accounts with followers and an engagement rate, for the report's
// followers-vs-engagement scatter plot (a sample keeps the plot fast with 100,000 users).
// Engagement rate falls back to mean(likes + comments) / followers over loaded posts.
// Parameters: $sample — at most this many users.
MATCH (u:User)
WHERE u.followers > 0 AND (u.engagementRate IS NOT NULL OR EXISTS { (u)-[:POSTED]->(:Post) })
WITH u ORDER BY rand() LIMIT $sample
OPTIONAL CALL (u) {
  MATCH (u)-[r:POSTED]->(p:Post) WHERE r.coauthor IS NULL AND u.engagementRate IS NULL
  RETURN avg(coalesce(p.likes, 0) + coalesce(p.comments, 0)) AS meanEngagement
}
WITH u, coalesce(u.engagementRate, meanEngagement / u.followers) AS engagementRate
WHERE engagementRate IS NOT NULL
RETURN u.username AS username, u.followers AS followers, engagementRate, u.community AS community
