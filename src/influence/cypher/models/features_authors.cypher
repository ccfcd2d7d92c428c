// Author features of the given users (read-only). Analytics properties (pagerank, community,
// embedding) are null when `influence analyse` has not run.
// Parameters: $ids — list of User ids (unknown ids are skipped).
// Returns one row per user: id, followers, following, postsCount, verified, pagerank,
// communitySize (users in the same community; null without a community), embedding,
// embeddingVersion, community (Louvain id; null before `influence analyze`), country.
UNWIND $ids AS id
MATCH (u:User {id: id})
RETURN u.id AS id,
       u.followers AS followers,
       u.following AS following,
       u.postsCount AS postsCount,
       u.verified AS verified,
       u.pagerank AS pagerank,
       CASE WHEN u.community IS NULL THEN null
            ELSE COUNT { MATCH (v:User) WHERE v.community = u.community } END AS communitySize,
       u.embedding AS embedding,
       u.embeddingVersion AS embeddingVersion,
       u.community AS community,
       u.country AS country
