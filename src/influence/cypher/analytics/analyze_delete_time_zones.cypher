// Delete up to $limit IN_TIME_ZONE relationships (derived data, rebuilt by each run); call until 0.
// Parameters: $limit — batch size.
// Returns: deleted.
MATCH (:User)-[r:IN_TIME_ZONE]->(:TimeZone)
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
