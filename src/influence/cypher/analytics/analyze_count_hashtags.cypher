// Sizes of the hashtag co-occurrence graph, for the memory estimate. No parameters.
// Returns: nodes (hashtags), relationships (CO_OCCURS).
RETURN COUNT { (:Hashtag) } AS nodes, COUNT { ()-[:CO_OCCURS]->() } AS relationships
