// Sizes of the proximity communities (User.proximityCommunity). No parameters.
// Returns: community, size — one row per community.
MATCH (u:User)
WHERE u.proximityCommunity IS NOT NULL
RETURN u.proximityCommunity AS community, count(*) AS size
