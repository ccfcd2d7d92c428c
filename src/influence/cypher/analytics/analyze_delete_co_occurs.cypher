// Delete up to $limit CO_OCCURS relationships (derived data, rebuilt by each run); call until 0.
// Parameters: $limit — batch size.
// Returns: deleted.
MATCH ()-[r:CO_OCCURS]->()
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
