// The hashtag co-occurrence network for the HTML report's picture: the top hashtags (by
// Hashtag.pagerank, then by posts tagged) that have CO_OCCURS edges, and the edges among them.
// Parameters: $top — how many hashtags.
MATCH (h:Hashtag) WHERE EXISTS { (h)-[:CO_OCCURS]-(:Hashtag) }
WITH h, COUNT { (h)<-[:TAGGED]-() } AS posts
ORDER BY coalesce(h.pagerank, 0.0) DESC, posts DESC, h.name LIMIT $top
WITH collect({node: h, posts: posts}) AS top
WITH top, [t IN top | t.node] AS hs
RETURN [t IN top | {name: t.node.name, posts: t.posts, pagerank: t.node.pagerank,
                    community: t.node.community}] AS nodes,
       COLLECT {
         UNWIND hs AS a
         MATCH (a)-[c:CO_OCCURS]-(b:Hashtag)
         WHERE a.name < b.name AND b IN hs
         RETURN {source: a.name, target: b.name, count: c.count, weight: c.weight}
       } AS edges
