// LOAD CSV counterpart of merge_users (benchmarks/ingest.py compares the two), 10,000 rows per transaction.
// Parameters: $url — file:/// URL of a CSV in the server's import folder with the header
//   id,username,followers,following,postsCount,verified,language.
// Needs an auto-commit transaction (session.run), as every CALL { } IN TRANSACTIONS does.
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MERGE (u:User {id: row.id})
  SET u.username = coalesce(row.username, u.username),
      u.followers = coalesce(toInteger(row.followers), u.followers),
      u.following = coalesce(toInteger(row.following), u.following),
      u.postsCount = coalesce(toInteger(row.postsCount), u.postsCount),
      u.verified = coalesce(toBoolean(row.verified), u.verified),
      u.language = coalesce(row.language, u.language)
  FOREACH (code IN CASE WHEN row.language IS NULL THEN [] ELSE [row.language] END |
    MERGE (l:Language {code: code})
    MERGE (u)-[:SPEAKS]->(l))
} IN TRANSACTIONS OF 10000 ROWS
