// Accounts similar to one account: SIMILAR (shared hashtags, places, language) and the cosine
// of their FastRP embeddings (similar position in the follow / interaction graph).
// Parameters: $user — username or id, e.g.  :param user => 'natgeo'
MATCH (u:User)
WHERE u.id = toLower($user) OR toLower(u.username) = toLower($user)
MATCH (u)-[s:SIMILAR]-(o:User)
WITH u, o, max(s.score) AS similarity
RETURN coalesce(o.username, o.id) AS account, similarity,
       CASE WHEN u.embedding IS NOT NULL AND o.embedding IS NOT NULL
            THEN gds.similarity.cosine(u.embedding, o.embedding) END AS embeddingCosine,
       o.community AS community, o.proximityCommunity AS proximityCommunity, o.pagerank AS pagerank
ORDER BY similarity DESC
LIMIT 20
