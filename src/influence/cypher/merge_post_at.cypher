// Merge AT relationships from posts to their Location (nodes merged earlier in the transaction).
// Parameters: $pairs — list of maps {post, location}.
UNWIND $pairs AS pair
MATCH (p:Post {id: pair.post})
MATCH (l:Location {id: pair.location})
MERGE (p)-[:AT]->(l)
