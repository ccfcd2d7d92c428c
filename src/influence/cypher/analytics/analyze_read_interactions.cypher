// Count interactions between users, per pair and kind. No parameters.
// Kinds (direction = who gives attention → who receives it):
//   mentions  — author of a post → user the post @mentions;
//   features  — author of a post → user tagged in its photo;
//   likes     — user who liked a post → its author;
//   comments  — user who commented on a post → its author (one per comment);
//   coauthors — co-authors of one post, both ways.
// The author of a post is its POSTED relationship without coauthor = true. Self-pairs are skipped.
// Returns: src, dst (User ids), kind, n.
CALL () {
  MATCH (a:User)-[r:POSTED]->(:Post)-[:MENTIONS]->(b:User)
  WHERE r.coauthor IS NULL AND a <> b
  RETURN a.id AS src, b.id AS dst, 'mentions' AS kind, count(*) AS n
  UNION ALL
  MATCH (a:User)-[r:POSTED]->(:Post)-[:FEATURES]->(b:User)
  WHERE r.coauthor IS NULL AND a <> b
  RETURN a.id AS src, b.id AS dst, 'features' AS kind, count(*) AS n
  UNION ALL
  MATCH (a:User)-[:LIKED]->(:Post)<-[r:POSTED]-(b:User)
  WHERE r.coauthor IS NULL AND a <> b
  RETURN a.id AS src, b.id AS dst, 'likes' AS kind, count(*) AS n
  UNION ALL
  MATCH (a:User)-[:COMMENTED]->(:Post)<-[r:POSTED]-(b:User)
  WHERE r.coauthor IS NULL AND a <> b
  RETURN a.id AS src, b.id AS dst, 'comments' AS kind, count(*) AS n
  UNION ALL
  MATCH (a:User)-[:POSTED]->(p:Post)<-[:POSTED]-(b:User)
  WHERE a <> b
  RETURN a.id AS src, b.id AS dst, 'coauthors' AS kind, count(DISTINCT p) AS n
}
RETURN src, dst, kind, n
