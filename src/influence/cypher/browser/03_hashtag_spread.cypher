// One hashtag's spread across user communities: who used it, where, since when.
// Parameters: $hashtag — name without '#', e.g.  :param hashtag => 'climbing'
MATCH (h:Hashtag {name: toLower($hashtag)})<-[:TAGGED]-(p:Post)<-[r:POSTED]-(u:User)
WHERE r.coauthor IS NULL
RETURN u.community AS community, count(DISTINCT u) AS accounts, count(DISTINCT p) AS posts,
       min(p.postedAt) AS firstUse, max(p.postedAt) AS lastUse,
       collect(DISTINCT coalesce(u.username, u.id))[..10] AS someAccounts
ORDER BY firstUse
