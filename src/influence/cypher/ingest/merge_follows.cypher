// Merge FOLLOWS relationships between users (created as User {id} stubs when not yet loaded).
// Parameters: $rows — list of maps {follower, followed, weight}; weight may be absent; each
//   (follower, followed) pair at most once per batch.
// Returns: one row {new, updated, unchanged} — rows that created their relationship, changed
//   its weight, or found it as it was.
UNWIND $rows AS row
MERGE (a:User {id: row.follower})
MERGE (b:User {id: row.followed})
WITH a, b, row
OPTIONAL MATCH (a)-[old:FOLLOWS]->(b)
WITH a, b, row, old IS NULL AS isNew, old.weight AS before
MERGE (a)-[f:FOLLOWS]->(b)
SET f.weight = coalesce(row.weight, f.weight)
WITH isNew, NOT isNew AND coalesce(f.weight <> before, f.weight IS NOT NULL) AS changed
RETURN count(CASE WHEN isNew THEN 1 END) AS new,
       count(CASE WHEN changed THEN 1 END) AS updated,
       count(CASE WHEN NOT isNew AND NOT changed THEN 1 END) AS unchanged
