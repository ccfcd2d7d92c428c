// Create INTERACTS relationships between users (after the old ones were deleted).
// Parameters: $rows — list of maps {src, dst, weight, mentions, features, likes, comments, coauthors}.
UNWIND $rows AS row
MATCH (a:User {id: row.src})
MATCH (b:User {id: row.dst})
MERGE (a)-[r:INTERACTS]->(b)
SET r.weight = row.weight, r.mentions = row.mentions, r.features = row.features,
    r.likes = row.likes, r.comments = row.comments, r.coauthors = row.coauthors
