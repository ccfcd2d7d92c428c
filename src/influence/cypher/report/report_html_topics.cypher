// Hashtag topics (Hashtag.community, written by `influence analyze`) with their most used
// hashtags, so the report can name a topic by its hashtags instead of its Louvain id.
// Parameters: $ids — topic ids (a list); $hashtags — hashtags listed per topic.
// Returns: topic, hashtags (most used first), size (hashtags in the topic).
MATCH (h:Hashtag) WHERE h.community IN $ids
WITH h.community AS topic, h, COUNT { (h)<-[:TAGGED]-() } AS posts
ORDER BY topic, posts DESC, h.name
WITH topic, collect(h.name) AS names
RETURN topic, names[..$hashtags] AS hashtags, size(names) AS size
