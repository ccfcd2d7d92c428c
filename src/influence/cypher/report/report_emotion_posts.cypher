// Captions of the posts that analytics labelled (Post.isViral true or false), for the
// "emotions of viral posts" comparison (read-only).
// Parameters: none.
// Returns: post, caption, isViral, language (Post.language, the caption's detected language, or null).
MATCH (p:Post)
WHERE p.isViral IS NOT NULL AND p.caption IS NOT NULL
RETURN p.id AS post, p.caption AS caption, p.isViral AS isViral, p.language AS language
