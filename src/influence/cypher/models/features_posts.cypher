// Post-level raw features of the given posts, for training and scoring (read-only).
// Parameters: $ids — list of Post ids (unknown ids are skipped).
// Returns one row per post: its properties (postedAt as epoch seconds), the author's id (the
// non-co-author POSTED edge; null when unknown), the hashtag names, the mention count and the
// country code of the post's location (null without one).
UNWIND $ids AS id
MATCH (p:Post {id: id})
OPTIONAL MATCH (u:User)-[r:POSTED]->(p) WHERE r.coauthor IS NULL
WITH p, head(collect(u.id)) AS author
RETURN p.id AS id,
       author,
       CASE WHEN p.postedAt IS NOT NULL AND p.postedAt IS :: ZONED DATETIME THEN p.postedAt.epochMillis / 1000.0 END AS postedAt,
       p.caption AS caption,
       p.type AS type,
       p.carouselSize AS carouselSize,
       p.language AS language,
       p.mediaPath AS mediaPath,
       p.likes AS likes,
       p.comments AS comments,
       p.views AS views,
       p.shares AS shares,
       [(p)-[:TAGGED]->(h:Hashtag) | h.name] AS hashtags,
       COUNT { (p)-[:MENTIONS]->(:User) } AS mentions,
       head([(p)-[:AT]->(:Location)-[:IN]->(c:Country) | c.code]) AS country
