// What each account's time zone can be estimated from: its country (User.country, else the most
// frequent country of its posts' locations) and the hours (UTC) it posts at, as the sums of
// cos and sin of the hour angle 2π·h/24 for a circular mean.
// Posts whose time of day is one of $dateOnly (seconds after midnight UTC that mark dates without a
// time) carry no posting hour and are left out of the sums; timesOfDay counts the distinct times
// of day of the posts that are left (1 with several posts: the account's dates carry no time).
// Parameters: $dateOnly — list of integers (may be empty).
// Returns: id, country (code or null), posts, sumCos, sumSin, timesOfDay.
MATCH (u:User)
WHERE u.country IS NOT NULL OR EXISTS { (u)-[:POSTED]->(:Post) }
CALL (u) {
  OPTIONAL MATCH (u)-[r:POSTED]->(p:Post)
  WHERE r.coauthor IS NULL AND p.postedAt IS NOT NULL AND NOT (p.postedAt.epochSeconds % 86400) IN $dateOnly
  WITH p.postedAt.epochSeconds % 86400 AS second
  WITH second, 2.0 * pi() * (second / 3600.0) / 24.0 AS angle
  RETURN count(angle) AS posts, sum(cos(angle)) AS sumCos, sum(sin(angle)) AS sumSin,
         count(DISTINCT second) AS timesOfDay
}
CALL (u) {
  OPTIONAL MATCH (u)-[:POSTED]->(:Post)-[:AT]->(:Location)-[:IN]->(c:Country)
  WITH c.code AS code, count(c) AS n ORDER BY n DESC, code LIMIT 1
  RETURN code AS postCountry
}
RETURN u.id AS id, coalesce(u.country, postCountry) AS country, posts, sumCos, sumSin, timesOfDay
