// Relationships among the users to draw: FOLLOWS, INTERACTS (with weight) and SIMILAR (score).
// Parameters: $ids — User ids.
// Returns: src, dst, type, weight.
MATCH (a:User)-[r:FOLLOWS|INTERACTS|SIMILAR]->(b:User)
WHERE a.id IN $ids AND b.id IN $ids AND a <> b
RETURN a.id AS src, b.id AS dst, type(r) AS type,
       coalesce(r.weight, r.score, 1.0) AS weight
