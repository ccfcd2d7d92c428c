// Every account's own posts with what the brand-safety checks read (read-only).
// Parameters: none.
// Returns one row per (author, post): account id and username, post id and shortcode, caption,
// language, hashtag names and the local media file path (null when not downloaded).
MATCH (u:User)-[r:POSTED]->(p:Post)
WHERE r.coauthor IS NULL
RETURN u.id AS account, u.username AS username, p.id AS post, p.shortcode AS shortcode,
       p.caption AS caption, p.language AS language, [(p)-[:TAGGED]->(h:Hashtag) | h.name] AS hashtags,
       p.mediaPath AS mediaPath
ORDER BY account, post
