// Merge User {id} stubs for the users a batch of posts names (authors, co-authors, mentions, features).
// Parameters: $ids — list of distinct user ids.
UNWIND $ids AS id
MERGE (:User {id: id})
