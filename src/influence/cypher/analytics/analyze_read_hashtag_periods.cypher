// Uses of each hashtag in two consecutive periods of posting time.
// Parameters: $from, $split, $to — datetimes: previous period = [$from, $split), recent = [$split, $to].
// Returns: name, previous, recent.
MATCH (p:Post)-[:TAGGED]->(h:Hashtag)
WHERE p.postedAt >= $from AND p.postedAt <= $to
WITH h, sum(CASE WHEN p.postedAt < $split THEN 1 ELSE 0 END) AS previous,
        sum(CASE WHEN p.postedAt >= $split THEN 1 ELSE 0 END) AS recent
RETURN h.name AS name, previous, recent
