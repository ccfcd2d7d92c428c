// Write the size of each user's community (User.communitySize) and return the sizes.
// No parameters. Returns: community, size — one row per community.
MATCH (u:User)
WHERE u.community IS NOT NULL
WITH u.community AS community, collect(u) AS members
FOREACH (m IN members | SET m.communitySize = size(members))
RETURN community, size(members) AS size
