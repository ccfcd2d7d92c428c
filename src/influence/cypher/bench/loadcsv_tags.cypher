// LOAD CSV of post hashtags (TAGGED), 10,000 rows per transaction; the posts exist already.
// Parameters: $url — file:/// URL of a CSV in the server's import folder with the header post,tag.
// Needs an auto-commit transaction (session.run), as every CALL { } IN TRANSACTIONS does.
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MATCH (p:Post {id: row.post})
  MERGE (h:Hashtag {name: row.tag})
  MERGE (p)-[:TAGGED]->(h)
} IN TRANSACTIONS OF 10000 ROWS
