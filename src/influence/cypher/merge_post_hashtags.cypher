// Merge Hashtag {name} nodes for the hashtags a batch of posts uses.
// Parameters: $names — list of distinct hashtag names (lower case, without #).
UNWIND $names AS name
MERGE (:Hashtag {name: name})
