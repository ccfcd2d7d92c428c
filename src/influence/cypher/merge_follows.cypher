// Merge FOLLOWS relationships between users (created as User {id} stubs when not yet loaded).
// Parameters: $rows — list of maps {follower, followed, weight}; weight may be absent.
UNWIND $rows AS row
MERGE (a:User {id: row.follower})
MERGE (b:User {id: row.followed})
MERGE (a)-[f:FOLLOWS]->(b)
SET f.weight = coalesce(row.weight, f.weight)
