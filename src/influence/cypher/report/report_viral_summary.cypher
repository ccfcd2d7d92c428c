// What "viral now" found, to say it in words: posts scored, posts whose velocity was measured
// inside the window (only those can be viral now), posts that pass, the rule's threshold and
// window, and the strongest in-window post.
// Parameters: $community — User.community or null.
// Returns: scored, inWindow, viral, threshold, windowHours, best (map: post, author, ratio, score,
//   basis; null when no post was measured inside the window).
MATCH (u:User)-[r:POSTED]->(p:Post)
WHERE r.coauthor IS NULL AND p.viralScore IS NOT NULL AND ($community IS NULL OR u.community = $community)
WITH count(p) AS scored, count(CASE WHEN p.velocityInWindow THEN 1 END) AS inWindow,
     count(CASE WHEN p.isViral THEN 1 END) AS viral, max(p.viralThreshold) AS threshold,
     max(p.velocityWindowHours) AS windowHours
OPTIONAL CALL () {
  MATCH (u:User)-[r:POSTED]->(p:Post)
  WHERE r.coauthor IS NULL AND p.velocityInWindow AND p.viralScore IS NOT NULL
    AND ($community IS NULL OR u.community = $community)
  WITH p, u ORDER BY p.viralScore DESC, p.id LIMIT 1
  RETURN {post: coalesce(p.shortcode, p.id), author: coalesce(u.username, u.id), ratio: p.viralRatio,
          score: p.viralScore, basis: p.viralBasis} AS best
}
RETURN scored, inWindow, viral, threshold, windowHours, best
