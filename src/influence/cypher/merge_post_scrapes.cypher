// Merge FROM_SCRAPE relationships from posts to the Scrape that loaded them (merged as stubs if absent).
// Parameters: $pairs — list of maps {post, scrape}.
UNWIND $pairs AS pair
MATCH (p:Post {id: pair.post})
MERGE (s:Scrape {id: pair.scrape})
MERGE (p)-[:FROM_SCRAPE]->(s)
