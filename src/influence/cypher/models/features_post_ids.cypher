// Ids of the posts that can be used for training: those with a publication time (read-only).
// Parameters: none.
// Returns: id, postedAt (epoch seconds), oldest first.
MATCH (p:Post)
WHERE p.postedAt IS NOT NULL AND p.postedAt IS :: ZONED DATETIME
RETURN p.id AS id, p.postedAt.epochMillis / 1000.0 AS postedAt
ORDER BY postedAt, id
