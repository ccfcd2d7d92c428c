// Merge POSTED relationships from authors to their posts (both merged earlier in the transaction).
// Parameters: $pairs — list of maps {post, user}.
UNWIND $pairs AS pair
MATCH (p:Post {id: pair.post})
MATCH (u:User {id: pair.user})
MERGE (u)-[:POSTED]->(p)
