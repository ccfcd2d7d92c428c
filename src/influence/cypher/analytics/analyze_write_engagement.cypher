// Write engagement rate, follower tier and the within-tier z-score to users (null removes).
// Parameters: $rows — list of maps {id, rate, tier, tierZ}.
UNWIND $rows AS row
MATCH (u:User {id: row.id})
SET u.engagementRate = row.rate, u.followerTier = row.tier, u.engagementRateTierZ = row.tierZ
