// Merge LIKED relationships from users to posts (both created as {id} stubs when not yet loaded).
// Parameters: $rows — list of maps {user, post}, each pair at most once per batch.
// Returns: one row {new, updated, unchanged} — rows that created their relationship or found it
//   (a like has no properties: updated is always 0).
UNWIND $rows AS row
MERGE (u:User {id: row.user})
MERGE (p:Post {id: row.post})
WITH u, p
OPTIONAL MATCH (u)-[old:LIKED]->(p)
WITH u, p, old IS NULL AS isNew
MERGE (u)-[:LIKED]->(p)
RETURN count(CASE WHEN isNew THEN 1 END) AS new, 0 AS updated,
       count(CASE WHEN NOT isNew THEN 1 END) AS unchanged
