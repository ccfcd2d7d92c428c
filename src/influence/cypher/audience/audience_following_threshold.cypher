// How many accounts users follow: the median and 95th percentile over users that follow any,
// from the profile's count where loaded, else the FOLLOWS edges in the graph; and whether the
// graph holds any post or posts count (without, "no posts" cannot be told). No parameters.
// Returns: median, p95, users, hasPosts.
MATCH (u:User)
WITH coalesce(u.following, COUNT { (u)-[:FOLLOWS]->() }) AS n
WHERE n > 0
RETURN percentileCont(n, 0.5) AS median, percentileCont(n, 0.95) AS p95, count(*) AS users,
       EXISTS { (:Post) } OR EXISTS { MATCH (v:User) WHERE v.postsCount > 0 } AS hasPosts
