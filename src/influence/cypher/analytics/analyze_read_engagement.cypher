// Per user: followers and the mean engagement (likes + comments) of the posts they authored.
// No parameters. Posts with neither likes nor comments known are not counted.
// Returns: id, followers, posts, meanEngagement (null when posts = 0).
MATCH (u:User)
OPTIONAL MATCH (u)-[r:POSTED]->(p:Post)
WHERE r.coauthor IS NULL AND (p.likes IS NOT NULL OR p.comments IS NOT NULL)
WITH u, count(p) AS posts, avg(coalesce(p.likes, 0) + coalesce(p.comments, 0)) AS meanEngagement
RETURN u.id AS id, u.followers AS followers, posts, meanEngagement
