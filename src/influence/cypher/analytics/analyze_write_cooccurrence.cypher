// Create CO_OCCURS relationships between hashtags (stored once per pair, from the name that
// sorts first; query them undirected).
// Parameters: $rows — list of maps {a, b, count, weight, npmi}.
UNWIND $rows AS row
MATCH (a:Hashtag {name: row.a})
MATCH (b:Hashtag {name: row.b})
MERGE (a)-[r:CO_OCCURS]->(b)
SET r.count = row.count, r.weight = row.weight, r.npmi = row.npmi
