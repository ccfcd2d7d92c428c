// Count the graph's nodes and relationships per kind of the load summary, from the count store
// (each `MATCH … RETURN count(…)` on one label or type is answered without a scan).
// Parameters: none.
// Returns: one row {accounts, posts, observations, follows, likes, comments, hashtags, scrapes}.
CALL () { MATCH (n:User) RETURN count(n) AS accounts }
CALL () { MATCH (n:Post) RETURN count(n) AS posts }
CALL () { MATCH (n:Observation) RETURN count(n) AS observations }
CALL () { MATCH ()-[r:FOLLOWS]->() RETURN count(r) AS follows }
CALL () { MATCH ()-[r:LIKED]->() RETURN count(r) AS likes }
CALL () { MATCH ()-[r:COMMENTED]->() RETURN count(r) AS comments }
CALL () { MATCH (n:Hashtag) RETURN count(n) AS hashtags }
CALL () { MATCH (n:Scrape) RETURN count(n) AS scrapes }
RETURN accounts, posts, observations, follows, likes, comments, hashtags, scrapes
