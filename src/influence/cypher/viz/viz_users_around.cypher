// Users to draw around one account: the account and its most influential neighbours over
// FOLLOWS / INTERACTS / SIMILAR in either direction.
// Parameters: $user — User.id or username (case-insensitive); $top — how many in total.
// Returns: id (the account first).
MATCH (c:User)
WHERE c.id = toLower($user) OR toLower(c.username) = toLower($user)
WITH c LIMIT 1
CALL (c) {
  RETURN c.id AS id, 1 AS first, 0.0 AS score
  UNION
  MATCH (c)-[:FOLLOWS|INTERACTS|SIMILAR]-(n:User)
  WHERE n <> c
  RETURN DISTINCT n.id AS id, 0 AS first, coalesce(n.pagerank, 0.0) AS score
}
RETURN id
ORDER BY first DESC, score DESC, id
LIMIT $top
