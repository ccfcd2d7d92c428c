// What is loaded, for the HTML report header: node counts, scrape and posting dates, and which
// analytics results exist (so the report can say which command produces a missing section).
// A scrape counts when something in the graph came from it (a User or Post with FROM_SCRAPE):
// a load that wrote nothing (a folder's README, an empty file) leaves a Scrape node that a user
// would not count; emptyScrapes says how many there are.
// Parameters: none.
CALL () { MATCH (u:User) RETURN count(u) AS users }
CALL () { MATCH (u:User) WHERE u.followers IS NOT NULL RETURN count(u) AS profiles }
CALL () { MATCH (p:Post) RETURN count(p) AS posts }
CALL () { MATCH (h:Hashtag) RETURN count(h) AS hashtags }
CALL () { MATCH (:User)-[f:FOLLOWS]->(:User) RETURN count(f) AS follows }
CALL () {
  MATCH (s:Scrape) WHERE EXISTS { (s)<-[:FROM_SCRAPE]-() }
  RETURN count(s) AS scrapes, min(s.startedAt) AS scrapedFrom, max(s.startedAt) AS scrapedTo,
         collect(DISTINCT s.source) AS sources
}
CALL () { MATCH (s:Scrape) WHERE NOT EXISTS { (s)<-[:FROM_SCRAPE]-() } RETURN count(s) AS emptyScrapes }
CALL () { MATCH (p:Post) WHERE p.postedAt IS NOT NULL RETURN min(p.postedAt) AS postedFrom, max(p.postedAt) AS postedTo }
CALL () { MATCH (o:Observation) WHERE o.at IS NOT NULL RETURN min(o.at) AS observedFrom, max(o.at) AS observedTo }
CALL () { MATCH (u:User) WHERE u.community IS NOT NULL RETURN count(DISTINCT u.community) AS communities }
RETURN users, profiles, posts, hashtags, follows, scrapes, emptyScrapes, scrapedFrom, scrapedTo, sources,
       postedFrom, postedTo, observedFrom, observedTo, communities,
       EXISTS { MATCH (u:User) WHERE u.pagerank IS NOT NULL } AS hasPagerank,
       EXISTS { MATCH (u:User) WHERE u.engagementRate IS NOT NULL } AS hasEngagementRate,
       EXISTS { MATCH (h:Hashtag) WHERE h.pagerank IS NOT NULL OR h.communitySpread IS NOT NULL } AS hasHashtagRank,
       EXISTS { MATCH (:Hashtag)-[:CO_OCCURS]-(:Hashtag) } AS hasCooccurrence,
       EXISTS { MATCH (p:Post) WHERE p.velocity IS NOT NULL } AS hasVelocity,
       EXISTS { MATCH (p:Post) WHERE p.isViral IS NOT NULL } AS hasViralLabels
