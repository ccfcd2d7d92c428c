// Merge FEATURES relationships from posts to the users tagged in them (nodes merged earlier).
// Parameters: $pairs — list of maps {post, user}.
UNWIND $pairs AS pair
MATCH (p:Post {id: pair.post})
MATCH (u:User {id: pair.user})
MERGE (p)-[:FEATURES]->(u)
