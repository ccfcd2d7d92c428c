// Merge the Observation a post row carries (its timed counts) and link it with HAS_OBSERVATION.
// Parameters: $rows — list of maps {post, id, at, likes, comments, views, shares}; at is ISO 8601 text.
UNWIND $rows AS row
MATCH (p:Post {id: row.post})
MERGE (o:Observation {id: row.id})
SET o.at = datetime(row.at), o.likes = row.likes, o.comments = row.comments,
    o.views = row.views, o.shares = row.shares
MERGE (p)-[:HAS_OBSERVATION]->(o)
