// How far the graph has been analysed, to explain an empty report ("run `influence analyze`").
// Parameters: none.
// Returns: users, posts, hashtags (node counts) and how many carry each analytics property:
//   pagerank, articlerank, eigenvector, engagementRate, engagementRateTierZ, followers,
//   community (User); hashtagUses, communitySpread, hashtagPagerank, growth (Hashtag); viralScore,
//   isViral (Post; isViral counts the posts flagged true).
OPTIONAL MATCH (u:User)
WITH count(u) AS users, count(u.pagerank) AS pagerank, count(u.articlerank) AS articlerank,
     count(u.eigenvector) AS eigenvector, count(u.engagementRate) AS engagementRate,
     count(u.engagementRateTierZ) AS engagementRateTierZ, count(u.followers) AS followers,
     count(u.community) AS community
OPTIONAL MATCH (h:Hashtag)
WITH users, pagerank, articlerank, eigenvector, engagementRate, engagementRateTierZ, followers, community,
     count(h) AS hashtags, count(h.uses) AS hashtagUses, count(h.communitySpread) AS communitySpread,
     count(h.pagerank) AS hashtagPagerank, count(h.growth) AS growth
OPTIONAL MATCH (p:Post)
RETURN users, pagerank, articlerank, eigenvector, engagementRate, engagementRateTierZ, followers, community,
       hashtags, hashtagUses, communitySpread, hashtagPagerank, growth,
       count(p) AS posts, count(p.viralScore) AS viralScore, count(CASE WHEN p.isViral THEN 1 END) AS isViral
