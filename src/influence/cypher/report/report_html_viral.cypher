// Posts that are viral now (Post.isViral, written by `influence analyze`) for the HTML report,
// strongest first (Post.viralScore, then id: the order of `influence report viral`), with
// Post.viralRatio (velocity / the author's median, or / the usual for the follower count when
// Post.viralBasis = "followers") and,
// as a fallback for graphs without it, the median velocity of the author's other posts.
// Parameters: $top — how many posts.
MATCH (p:Post) WHERE p.isViral = true
WITH p ORDER BY coalesce(p.viralScore, 0.0) DESC, p.id LIMIT $top
OPTIONAL MATCH (a:User)-[r:POSTED]->(p) WHERE r.coauthor IS NULL
OPTIONAL CALL (a, p) {
  MATCH (a)-[:POSTED]->(q:Post) WHERE q <> p AND q.velocity IS NOT NULL
  RETURN percentileCont(q.velocity, 0.5) AS baseline, count(q) AS otherPosts
}
RETURN p.id AS id, p.shortcode AS shortcode, p.viralRatio AS viralRatio, p.viralBasis AS basis, p.url AS url, p.type AS type, p.caption AS caption,
       p.postedAt AS postedAt, p.likes AS likes, p.comments AS comments, p.views AS views,
       p.velocity AS velocity, p.viralScore AS viralScore, baseline, otherPosts,
       a.username AS author, a.id AS authorId, a.followers AS followers,
       [(p)-[:TAGGED]->(h:Hashtag) | h.name][..6] AS hashtags
