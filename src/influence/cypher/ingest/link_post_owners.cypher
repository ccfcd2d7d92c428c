// Link posts known only by their owner's platform id (label AwaitingOwner, property ownerId) to
// the User with that platformId (POSTED), and clear the label of posts that have an author now;
// then return how many posts still wait for their owner's profile. Idempotent.
// Parameters: none.
MATCH (p:AwaitingOwner)
OPTIONAL MATCH (u:User {platformId: p.ownerId})
WITH p, head(collect(u)) AS owner
FOREACH (o IN CASE WHEN owner IS NULL THEN [] ELSE [owner] END |
  MERGE (o)-[:POSTED]->(p))
WITH p, owner IS NOT NULL OR EXISTS { (p)<-[:POSTED]-(:User) } AS linked
FOREACH (x IN CASE WHEN linked THEN [1] ELSE [] END | REMOVE p:AwaitingOwner)
RETURN count(CASE WHEN linked THEN 1 END) AS linked, count(CASE WHEN NOT linked THEN 1 END) AS waiting
