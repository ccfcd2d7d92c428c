// Merge TAGGED relationships from posts to hashtags (nodes merged earlier in the transaction).
// Parameters: $pairs — list of maps {post, tag}.
UNWIND $pairs AS pair
MATCH (p:Post {id: pair.post})
MATCH (h:Hashtag {name: pair.tag})
MERGE (p)-[:TAGGED]->(h)
