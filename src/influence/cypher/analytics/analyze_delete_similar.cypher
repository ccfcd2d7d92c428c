// Delete up to $limit SIMILAR relationships (derived data, rebuilt by each run); call until 0.
// Parameters: $limit — batch size.
// Returns: deleted.
MATCH ()-[r:SIMILAR]->()
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
