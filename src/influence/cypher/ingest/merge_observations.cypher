// Merge engagement Observations of posts (one per post per time) and update each post's latest
// counts when the newest observation is not older than its lastObservedAt.
// Parameters: $rows — list of maps {post, observations, latest}, one per post id:
//   observations is a list of {id, at, likes, comments, views, shares} (id = post id + '@' + ISO time,
//   each id once), latest is the newest of them; times are ISO 8601 text. Posts not yet loaded are
//   created as Post {id} stubs.
// Returns: one row {new, updated, unchanged} — observations created, changed, or found as they were.
UNWIND $rows AS row
MERGE (p:Post {id: row.post})
WITH p, row
UNWIND row.observations AS ob
OPTIONAL MATCH (old:Observation {id: ob.id})
WITH p, row, ob, old IS NULL AS isNew, properties(old) AS before
MERGE (o:Observation {id: ob.id})
SET o.at = datetime(ob.at), o.likes = ob.likes, o.comments = ob.comments, o.views = ob.views, o.shares = ob.shares
MERGE (p)-[:HAS_OBSERVATION]->(o)
WITH p, row, isNew, NOT isNew AND properties(o) <> before AS changed
WITH p, head(collect(row.latest)) AS l,
     count(CASE WHEN isNew THEN 1 END) AS new,
     count(CASE WHEN changed THEN 1 END) AS updated,
     count(CASE WHEN NOT isNew AND NOT changed THEN 1 END) AS unchanged
WITH p, l, datetime(l.at) AS at, new, updated, unchanged
WITH p, l, at, (p.lastObservedAt IS NULL OR at >= p.lastObservedAt) AS newer, new, updated, unchanged
SET p.likes = CASE WHEN newer THEN coalesce(l.likes, p.likes) ELSE p.likes END,
    p.comments = CASE WHEN newer THEN coalesce(l.comments, p.comments) ELSE p.comments END,
    p.views = CASE WHEN newer THEN coalesce(l.views, p.views) ELSE p.views END,
    p.shares = CASE WHEN newer THEN coalesce(l.shares, p.shares) ELSE p.shares END,
    p.lastObservedAt = CASE WHEN newer THEN at ELSE p.lastObservedAt END
RETURN sum(new) AS new, sum(updated) AS updated, sum(unchanged) AS unchanged
