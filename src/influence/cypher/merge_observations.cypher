// Merge engagement Observations of posts (one per post per time) and update each post's latest
// counts when the newest observation is not older than its lastObservedAt.
// Parameters: $rows — list of maps {post, observations, latest}, one per post id:
//   observations is a list of {id, at, likes, comments, views, shares} (id = post id + '@' + ISO time),
//   latest is the newest of them; times are ISO 8601 text. Posts not yet loaded are created as Post {id} stubs.
UNWIND $rows AS row
MERGE (p:Post {id: row.post})
FOREACH (ob IN row.observations |
  MERGE (o:Observation {id: ob.id})
  SET o.at = datetime(ob.at), o.likes = ob.likes, o.comments = ob.comments, o.views = ob.views, o.shares = ob.shares
  MERGE (p)-[:HAS_OBSERVATION]->(o))
WITH p, row.latest AS l, datetime(row.latest.at) AS at
WITH p, l, at, (p.lastObservedAt IS NULL OR at >= p.lastObservedAt) AS newer
SET p.likes = CASE WHEN newer THEN coalesce(l.likes, p.likes) ELSE p.likes END,
    p.comments = CASE WHEN newer THEN coalesce(l.comments, p.comments) ELSE p.comments END,
    p.views = CASE WHEN newer THEN coalesce(l.views, p.views) ELSE p.views END,
    p.shares = CASE WHEN newer THEN coalesce(l.shares, p.shares) ELSE p.shares END,
    p.lastObservedAt = CASE WHEN newer THEN at ELSE p.lastObservedAt END
