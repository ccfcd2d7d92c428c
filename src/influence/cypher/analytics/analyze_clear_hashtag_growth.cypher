// Remove the rising-hashtag properties everywhere before a new viral run. No parameters.
MATCH (h:Hashtag)
WHERE h.growth IS NOT NULL OR h.recentUses IS NOT NULL
REMOVE h.growth, h.recentUses, h.previousUses
