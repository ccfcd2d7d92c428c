// Write Hashtag.uses = number of posts tagged with it. No parameters.
// Returns: hashtags — how many hashtags were updated; posts — posts with at least one hashtag.
MATCH (h:Hashtag)
SET h.uses = COUNT { (h)<-[:TAGGED]-(:Post) }
WITH count(h) AS hashtags
RETURN hashtags, COUNT { MATCH (p:Post) WHERE EXISTS { (p)-[:TAGGED]->(:Hashtag) } } AS posts
