// LOAD CSV counterpart of merge_follows, 10,000 rows per transaction.
// Parameters: $url — file:/// URL of a CSV in the server's import folder with the header follower,followed.
// Needs an auto-commit transaction (session.run), as every CALL { } IN TRANSACTIONS does.
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MERGE (a:User {id: row.follower})
  MERGE (b:User {id: row.followed})
  MERGE (a)-[:FOLLOWS]->(b)
} IN TRANSACTIONS OF 10000 ROWS
