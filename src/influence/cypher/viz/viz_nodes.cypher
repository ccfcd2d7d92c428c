// The users to draw, with what the picture shows about them.
// Parameters: $ids — User ids.
// Returns: id, label, community, pagerank, followers.
MATCH (u:User)
WHERE u.id IN $ids
RETURN u.id AS id, coalesce(u.username, u.id) AS label, u.community AS community,
       u.pagerank AS pagerank, u.followers AS followers
