// Write Hashtag.communitySpread = how many distinct user communities (User.community) have an
// author who used the hashtag. No parameters. Returns: hashtags — how many were updated.
MATCH (h:Hashtag)
SET h.communitySpread = COUNT {
  MATCH (h)<-[:TAGGED]-(:Post)<-[r:POSTED]-(u:User)
  WHERE r.coauthor IS NULL AND u.community IS NOT NULL
  RETURN DISTINCT u.community
}
RETURN count(h) AS hashtags
