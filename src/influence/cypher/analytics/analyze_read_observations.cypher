// Every engagement observation of every post (time as epoch milliseconds, UTC). No parameters.
// Returns: post, at, likes, comments, views, shares.
MATCH (p:Post)-[:HAS_OBSERVATION]->(o:Observation)
WHERE o.at IS NOT NULL
RETURN p.id AS post, datetime(o.at).epochMillis AS at,
       o.likes AS likes, o.comments AS comments, o.views AS views, o.shares AS shares
