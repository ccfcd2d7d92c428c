// Posts with their author and times (epoch milliseconds, UTC) and latest counts, for velocity.
// No parameters. Posts without an author are skipped (no baseline to compare with).
// Returns: post, author, followers (the author's), postedAt, lastObservedAt, likes, comments, views, shares.
MATCH (u:User)-[r:POSTED]->(p:Post)
WHERE r.coauthor IS NULL
RETURN p.id AS post, u.id AS author, u.followers AS followers,
       datetime(p.postedAt).epochMillis AS postedAt,
       datetime(p.lastObservedAt).epochMillis AS lastObservedAt,
       p.likes AS likes, p.comments AS comments, p.views AS views, p.shares AS shares
