// Project the hashtag co-occurrence graph (Cypher aggregation), undirected, weighted.
// Parameters: $graph — name of the in-memory graph.
// Every Hashtag is a node; each CO_OCCURS is one undirected relationship with property
// weight (its Jaccard weight) and count.
// Returns: graph, nodes, relationships, projectMillis.
MATCH (h:Hashtag)
OPTIONAL MATCH (h)-[r:CO_OCCURS]->(o:Hashtag)
WITH gds.graph.project($graph, h, o,
       {relationshipType: 'CO_OCCURS',
        relationshipProperties: {weight: toFloat(coalesce(r.weight, 0.0)), count: toFloat(coalesce(r.count, 0))}},
       {undirectedRelationshipTypes: ['CO_OCCURS']}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships,
       g.projectMillis AS projectMillis
