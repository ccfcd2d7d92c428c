// Users to draw for one hashtag: the most influential accounts that posted with it.
// Parameters: $hashtag — name without '#', matched lower-case; $top — how many.
// Returns: id.
MATCH (h:Hashtag {name: toLower($hashtag)})<-[:TAGGED]-(:Post)<-[r:POSTED]-(u:User)
WHERE r.coauthor IS NULL
WITH DISTINCT u
RETURN u.id AS id
ORDER BY coalesce(u.pagerank, 0.0) DESC, u.id
LIMIT $top
