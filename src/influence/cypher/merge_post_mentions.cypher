// Merge MENTIONS relationships from posts to the users they mention (nodes merged earlier).
// Parameters: $pairs — list of maps {post, user}.
UNWIND $pairs AS pair
MATCH (p:Post {id: pair.post})
MATCH (u:User {id: pair.user})
MERGE (p)-[:MENTIONS]->(u)
