// Hashtags ranked by spread across user communities, then uses; optionally those used in one
// user community. Parameters: $top; $community — User.community or null;
//   $by — ranking property from a fixed list in code: communitySpread, uses, pagerank, growth.
// Returns: hashtag, uses, communitySpread, pagerank, topic (Hashtag.community), growth, recentUses.
MATCH (h:Hashtag)
WHERE h.uses IS NOT NULL
  AND ($community IS NULL OR EXISTS {
    MATCH (h)<-[:TAGGED]-(:Post)<-[:POSTED]-(u:User) WHERE u.community = $community })
RETURN h.name AS hashtag, h.uses AS uses, h.communitySpread AS communitySpread, h.pagerank AS pagerank,
       h.community AS topic, h.growth AS growth, h.recentUses AS recentUses
ORDER BY coalesce(h[$by], -1) DESC, uses DESC, hashtag
LIMIT $top
