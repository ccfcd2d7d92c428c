// LOAD CSV counterpart of merge_posts (without hashtags: see loadcsv_tags), 10,000 rows per transaction.
// Parameters: $url — file:/// URL of a CSV in the server's import folder with the header
//   id,author,shortcode,type,caption,postedAt,observedAt,likes,comments.
// Needs an auto-commit transaction (session.run), as every CALL { } IN TRANSACTIONS does.
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  WITH row, datetime(row.observedAt) AS observedAt
  MERGE (p:Post {id: row.id})
  WITH p, row, observedAt, (p.lastObservedAt IS NULL OR observedAt >= p.lastObservedAt) AS newer
  SET p.shortcode = coalesce(row.shortcode, p.shortcode),
      p.type = coalesce(row.type, p.type),
      p.caption = coalesce(row.caption, p.caption),
      p.postedAt = coalesce(datetime(row.postedAt), p.postedAt),
      p.likes = CASE WHEN newer THEN coalesce(toInteger(row.likes), p.likes) ELSE p.likes END,
      p.comments = CASE WHEN newer THEN coalesce(toInteger(row.comments), p.comments) ELSE p.comments END,
      p.lastObservedAt = CASE WHEN newer THEN observedAt ELSE p.lastObservedAt END
  MERGE (u:User {id: row.author})
  MERGE (u)-[:POSTED]->(p)
  MERGE (o:Observation {id: row.id + '@' + row.observedAt})
  SET o.at = observedAt, o.likes = toInteger(row.likes), o.comments = toInteger(row.comments)
  MERGE (p)-[:HAS_OBSERVATION]->(o)
} IN TRANSACTIONS OF 10000 ROWS
