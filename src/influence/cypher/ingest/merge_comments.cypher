// Merge comments: (User)-[:COMMENTED {id, text, at}]->(Post), keyed by the comment id (users and
// posts created as {id} stubs when not yet loaded).
// Parameters: $rows — list of maps {id, user, post, text, at}; text and at may be absent; at is
//   ISO 8601 text; each id at most once per batch.
// Returns: one row {new, updated, unchanged} — rows that created their comment, changed its text
//   or time, or found it as it was.
UNWIND $rows AS row
MERGE (u:User {id: row.user})
MERGE (p:Post {id: row.post})
WITH u, p, row
OPTIONAL MATCH (u)-[old:COMMENTED {id: row.id}]->(p)
WITH u, p, row, old IS NULL AS isNew, properties(old) AS before
MERGE (u)-[c:COMMENTED {id: row.id}]->(p)
SET c.text = coalesce(row.text, c.text), c.at = coalesce(datetime(row.at), c.at)
WITH isNew, NOT isNew AND properties(c) <> before AS changed
RETURN count(CASE WHEN isNew THEN 1 END) AS new,
       count(CASE WHEN changed THEN 1 END) AS updated,
       count(CASE WHEN NOT isNew AND NOT changed THEN 1 END) AS unchanged
