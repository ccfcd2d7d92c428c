// Find posts whose stored author differs from the author a new record gives them (run by ingest
// in the same transaction just before merge_posts, which then leaves those rows out).
// Parameters: $rows — the merge_posts rows (maps with id and, optionally, author).
// Returns: conflicts — the ids of the conflicting rows.
UNWIND $rows AS row
WITH row WHERE row.author IS NOT NULL
MATCH (p:Post {id: row.id})<-[r:POSTED]-(a:User)
WHERE r.coauthor IS NULL AND a.id <> row.author
RETURN collect(DISTINCT row.id) AS conflicts
