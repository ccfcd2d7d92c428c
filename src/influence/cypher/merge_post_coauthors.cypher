// Merge POSTED {coauthor: true} relationships from co-authors to posts (nodes merged earlier).
// Parameters: $pairs — list of maps {post, user}.
UNWIND $pairs AS pair
MATCH (p:Post {id: pair.post})
MATCH (u:User {id: pair.user})
MERGE (u)-[c:POSTED]->(p)
SET c.coauthor = true
