// Merge Scrape nodes (the provenance of a load), keyed by id.
// Parameters: $rows — list of maps {id, source, tool, toolVersion, startedAt, path}.
//   startedAt is ISO 8601 text. Keys that are absent or null never erase a known value.
UNWIND $rows AS row
MERGE (s:Scrape {id: row.id})
SET s.source = coalesce(row.source, s.source),
    s.tool = coalesce(row.tool, s.tool),
    s.toolVersion = coalesce(row.toolVersion, s.toolVersion),
    s.startedAt = coalesce(datetime(row.startedAt), s.startedAt),
    s.path = coalesce(row.path, s.path)
