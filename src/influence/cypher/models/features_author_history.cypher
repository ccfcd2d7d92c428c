// Dated posts of the given authors, for the author's own median engagement and habits (read-only).
// Parameters: $ids — list of User ids.
// Returns one row per author (parallel lists, one entry per post with a publication time):
// author, posts, postedAt (epoch seconds), likes, comments, views, shares (latest counts; -1 when
// unknown), captionLength (characters), type ('' when unknown), hashtags (list of names per post).
// collect() skips nulls, so every collected value is non-null (coalesce) and undated posts are
// left out with IS NOT NULL: in Cypher 5 `null IS :: ZONED DATETIME` is true.
UNWIND $ids AS id
MATCH (u:User {id: id})-[r:POSTED]->(p:Post)
WHERE r.coauthor IS NULL AND p.postedAt IS NOT NULL AND p.postedAt IS :: ZONED DATETIME
WITH u, p ORDER BY p.postedAt
RETURN u.id AS author, collect(p.id) AS posts, collect(p.postedAt.epochMillis / 1000.0) AS postedAt,
       collect(coalesce(p.likes, -1)) AS likes, collect(coalesce(p.comments, -1)) AS comments,
       collect(coalesce(p.views, -1)) AS views, collect(coalesce(p.shares, -1)) AS shares,
       collect(size(coalesce(p.caption, ''))) AS captionLength, collect(coalesce(p.type, '')) AS type,
       collect([(p)-[:TAGGED]->(h:Hashtag) | h.name]) AS hashtags
