// One post's engagement curve: every observation with the post's age at that time.
// Parameters: $post — Post.id or shortcode, e.g.  :param post => 'CxYz123AbC'
// Switch the result to the table view, or plot ageHours against likes.
MATCH (p:Post)
WHERE p.id = $post OR p.shortcode = $post
MATCH (p)-[:HAS_OBSERVATION]->(o:Observation)
RETURN o.at AS observedAt,
       round(duration.inSeconds(p.postedAt, o.at).seconds / 3600.0, 2) AS ageHours,
       o.likes AS likes, o.comments AS comments, o.views AS views, o.shares AS shares,
       p.velocity AS velocity, p.viralScore AS viralScore
ORDER BY o.at
