// Users to draw: the most influential (PageRank), optionally in one community.
// Parameters: $top — how many; $community — User.community or null.
// Returns: id.
MATCH (u:User)
WHERE $community IS NULL OR u.community = $community
RETURN u.id AS id
ORDER BY coalesce(u.pagerank, 0.0) DESC, coalesce(u.followers, 0) DESC, u.id
LIMIT $top
