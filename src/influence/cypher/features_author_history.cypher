// Earlier posts of the given authors, for the author's own median engagement (read-only).
// Parameters: $ids — list of User ids.
// Returns one row per (author, post with a publication time): author, post, postedAt (epoch
// seconds) and the post's latest likes, comments, views, shares.
UNWIND $ids AS id
MATCH (u:User {id: id})-[r:POSTED]->(p:Post)
WHERE r.coauthor IS NULL AND p.postedAt IS :: ZONED DATETIME
RETURN u.id AS author, p.id AS post, p.postedAt.epochMillis / 1000.0 AS postedAt,
       p.likes AS likes, p.comments AS comments, p.views AS views, p.shares AS shares
