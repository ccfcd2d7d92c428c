// Merge Scrape nodes (the provenance of a load), keyed by id.
// Parameters: $rows — list of maps {id, source, tool, toolVersion, startedAt, path}.
//   startedAt is ISO 8601 text. Keys that are absent or null never erase a known value.
// Returns: one row {new, updated, unchanged} — rows that created their Scrape, changed its
//   properties, or found it as it was.
UNWIND $rows AS row
OPTIONAL MATCH (old:Scrape {id: row.id})
WITH row, old IS NULL AS isNew, properties(old) AS before
MERGE (s:Scrape {id: row.id})
SET s.source = coalesce(row.source, s.source),
    s.tool = coalesce(row.tool, s.tool),
    s.toolVersion = coalesce(row.toolVersion, s.toolVersion),
    s.startedAt = coalesce(datetime(row.startedAt), s.startedAt),
    s.path = coalesce(row.path, s.path)
WITH isNew, NOT isNew AND properties(s) <> before AS changed
RETURN count(CASE WHEN isNew THEN 1 END) AS new,
       count(CASE WHEN changed THEN 1 END) AS updated,
       count(CASE WHEN NOT isNew AND NOT changed THEN 1 END) AS unchanged
