// Hashtag features of the given names (read-only): how many posts use each, and the analytics
// properties (null when `influence analyse` has not run).
// Parameters: $names — list of Hashtag names (lower-case, no '#'; unknown names are skipped).
// Returns one row per hashtag: name, uses, pagerank, communitySpread.
UNWIND $names AS name
MATCH (h:Hashtag {name: name})
RETURN h.name AS name,
       COUNT { (h)<-[:TAGGED]-(:Post) } AS uses,
       h.pagerank AS pagerank,
       h.communitySpread AS communitySpread
