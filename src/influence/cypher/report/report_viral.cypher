// Posts by viral score (velocity against the author's baseline), optionally for one user
// community. By default only the posts that pass "viral now" (Post.isViral: score at least the
// threshold, velocity measured inside the window) — the same posts, in the same order, as the
// HTML report's "Viral now"; with $onlyViral false every scored post (the candidates).
// Parameters: $top; $community — User.community or null; $onlyViral — boolean.
// Returns: post, shortcode, author, community, postedAt, velocity, viralRatio, basis, inWindow,
//   viralZ, viralScore, isViral.
MATCH (u:User)-[r:POSTED]->(p:Post)
WHERE r.coauthor IS NULL AND p.viralScore IS NOT NULL
  AND ($community IS NULL OR u.community = $community)
  AND (NOT $onlyViral OR p.isViral)
RETURN p.id AS post, p.shortcode AS shortcode, coalesce(u.username, u.id) AS author, u.community AS community,
       p.postedAt AS postedAt, p.velocity AS velocity, p.viralRatio AS viralRatio, p.viralBasis AS basis,
       p.velocityInWindow AS inWindow, p.viralZ AS viralZ, p.viralScore AS viralScore, p.isViral AS isViral
ORDER BY p.viralScore DESC, post
LIMIT $top
