// Engagement observations of the given posts (read-only), for velocity and early features.
// Parameters: $ids — list of Post ids.
// Returns one row per observation: post, at (epoch seconds), likes, comments, views, shares.
UNWIND $ids AS id
MATCH (p:Post {id: id})-[:HAS_OBSERVATION]->(o:Observation)
WHERE o.at IS NOT NULL AND o.at IS :: ZONED DATETIME
RETURN p.id AS post, o.at.epochMillis / 1000.0 AS at,
       o.likes AS likes, o.comments AS comments, o.views AS views, o.shares AS shares
