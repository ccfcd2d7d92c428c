// Delete up to $limit INTERACTS relationships (derived data, rebuilt by each run); call until 0.
// Parameters: $limit — batch size.
// Returns: deleted.
MATCH ()-[r:INTERACTS]->()
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
