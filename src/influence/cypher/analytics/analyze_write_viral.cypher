// Write velocity and the author-baseline virality scores to posts (null removes a property).
// Parameters: $rows — list of maps {post, velocity, ratio, z, score, isViral, basis ("author" |
//   "followers": what the score compares with), inWindow (velocity measured inside the window),
//   threshold (the viral score "viral now" needs), windowHours}.
UNWIND $rows AS row
MATCH (p:Post {id: row.post})
SET p.velocity = row.velocity, p.viralRatio = row.ratio, p.viralZ = row.z,
    p.viralScore = row.score, p.isViral = row.isViral, p.viralBasis = row.basis,
    p.velocityInWindow = row.inWindow, p.viralThreshold = row.threshold, p.velocityWindowHours = row.windowHours
