// Write velocity and the author-baseline virality scores to posts (null removes a property).
// Parameters: $rows — list of maps {post, velocity, ratio, z, score, isViral}.
UNWIND $rows AS row
MATCH (p:Post {id: row.post})
SET p.velocity = row.velocity, p.viralRatio = row.ratio, p.viralZ = row.z,
    p.viralScore = row.score, p.isViral = row.isViral
