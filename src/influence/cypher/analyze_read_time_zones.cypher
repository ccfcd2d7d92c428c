// What each account's time zone can be estimated from: its country (User.country, else the most
// frequent country of its posts' locations) and the hours (UTC) it posts at, as the sums of
// cos and sin of the hour angle 2π·h/24 for a circular mean.
// No parameters.
// Returns: id, country (code or null), posts, sumCos, sumSin.
MATCH (u:User)
WHERE u.country IS NOT NULL OR EXISTS { (u)-[:POSTED]->(:Post) }
CALL (u) {
  OPTIONAL MATCH (u)-[r:POSTED]->(p:Post)
  WHERE r.coauthor IS NULL AND p.postedAt IS NOT NULL
  WITH 2.0 * pi() * ((p.postedAt.epochSeconds % 86400) / 3600.0) / 24.0 AS angle
  RETURN count(angle) AS posts, sum(cos(angle)) AS sumCos, sum(sin(angle)) AS sumSin
}
CALL (u) {
  OPTIONAL MATCH (u)-[:POSTED]->(:Post)-[:AT]->(:Location)-[:IN]->(c:Country)
  WITH c.code AS code, count(c) AS n ORDER BY n DESC, code LIMIT 1
  RETURN code AS postCountry
}
RETURN u.id AS id, coalesce(u.country, postCountry) AS country, posts, sumCos, sumSin
