// Merge LIKED relationships from users to posts (both created as {id} stubs when not yet loaded).
// Parameters: $rows — list of maps {user, post}.
UNWIND $rows AS row
MERGE (u:User {id: row.user})
MERGE (p:Post {id: row.post})
MERGE (u)-[:LIKED]->(p)
