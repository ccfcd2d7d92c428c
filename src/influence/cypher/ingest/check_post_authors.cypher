// Find which posts of a batch are already stored, and those whose stored author differs from the
// author the new record gives them (run by ingest in the same transaction just before
// merge_posts / merge_posts_new: conflicting rows are left out, rows of stored posts take the
// MERGE path, the others the CREATE path).
// Parameters: $rows — the merge_posts rows (maps with id and, optionally, author).
// Returns: existing — the ids of stored posts; conflicts — the ids of the conflicting rows.
UNWIND $rows AS row
MATCH (p:Post {id: row.id})
OPTIONAL MATCH (p)<-[r:POSTED]-(a:User)
  WHERE row.author IS NOT NULL AND r.coauthor IS NULL AND a.id <> row.author
RETURN collect(DISTINCT row.id) AS existing,
       collect(DISTINCT CASE WHEN a IS NOT NULL THEN row.id END) AS conflicts
