// Merge User nodes keyed by id, with their Language / Country and provenance.
// Parameters: $rows — list of maps {id, username, platformId, fullName, followers, following,
//   postsCount, verified, private, biography, category, language, country, extra, scrape};
//   extra is a map of validated property names to scalars (built by ingest, never raw input),
//   scrape is a Scrape id (FROM_SCRAPE keeps the follower count seen in that scrape: the
//   history audience quality reads); each id at most once per batch. Keys that are absent or
//   null never erase a known value.
// Returns: one row {new, updated, unchanged} — rows that created their User, changed its
//   properties, or found it as it was.
UNWIND $rows AS row
OPTIONAL MATCH (old:User {id: row.id})
WITH row, old IS NULL AS isNew, properties(old) AS before
MERGE (u:User {id: row.id})
SET u.username = coalesce(row.username, u.username),
    u.platformId = coalesce(row.platformId, u.platformId),
    u.fullName = coalesce(row.fullName, u.fullName),
    u.followers = coalesce(row.followers, u.followers),
    u.following = coalesce(row.following, u.following),
    u.postsCount = coalesce(row.postsCount, u.postsCount),
    u.verified = coalesce(row.verified, u.verified),
    u.private = coalesce(row.private, u.private),
    u.biography = coalesce(row.biography, u.biography),
    u.category = coalesce(row.category, u.category),
    u.language = coalesce(row.language, u.language),
    u.country = coalesce(row.country, u.country)
SET u += coalesce(row.extra, {})
FOREACH (code IN CASE WHEN row.language IS NULL THEN [] ELSE [row.language] END |
  MERGE (l:Language {code: code})
  MERGE (u)-[:SPEAKS]->(l))
FOREACH (code IN CASE WHEN row.country IS NULL THEN [] ELSE [row.country] END |
  MERGE (c:Country {code: code})
  MERGE (u)-[:IN]->(c))
FOREACH (sid IN CASE WHEN row.scrape IS NULL THEN [] ELSE [row.scrape] END |
  MERGE (s:Scrape {id: sid})
  MERGE (u)-[seen:FROM_SCRAPE]->(s)
  SET seen.followers = coalesce(row.followers, seen.followers))
WITH isNew, NOT isNew AND properties(u) <> before AS changed
RETURN count(CASE WHEN isNew THEN 1 END) AS new,
       count(CASE WHEN changed THEN 1 END) AS updated,
       count(CASE WHEN NOT isNew AND NOT changed THEN 1 END) AS unchanged
