// The most used hashtags for the HTML report: posts tagged, Hashtag.pagerank, the topic
// community and how many user communities it spans (Hashtag.communitySpread), when written.
// Parameters: $top — how many hashtags.
MATCH (h:Hashtag)
WITH h, COUNT { (h)<-[:TAGGED]-() } AS posts
ORDER BY posts DESC, coalesce(h.pagerank, 0.0) DESC, h.name LIMIT $top
RETURN h.name AS name, posts, h.pagerank AS pagerank, h.community AS community,
       h.communitySpread AS communitySpread
