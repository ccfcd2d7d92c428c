// Pairs of hashtags tagged on the same post, with how many posts carry both.
// Parameters: $minCount — smallest count to return.
// Each unordered pair once, a.name < b.name.
// Returns: a, b (hashtag names), count, usesA, usesB (Hashtag.uses, written just before).
MATCH (p:Post)-[:TAGGED]->(a:Hashtag)
MATCH (p)-[:TAGGED]->(b:Hashtag)
WHERE a.name < b.name
WITH a, b, count(DISTINCT p) AS c
WHERE c >= $minCount
RETURN a.name AS a, b.name AS b, c AS count, a.uses AS usesA, b.uses AS usesB
