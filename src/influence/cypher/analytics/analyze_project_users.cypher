// Project the user graph (Cypher aggregation) for influence, communities and embeddings.
// Parameters: $graph — name of the in-memory graph; $interactsFactor — how much one unit of
//   INTERACTS weight counts relative to one follow; $weightKey — always 'weight' (read with
//   dynamic access so a database whose FOLLOWS carry no weight raises no warning).
// Every User is a node, isolated ones too. A pair's weight = Σ FOLLOWS coalesce(weight, 1)
// + $interactsFactor · Σ INTERACTS weight. Each pair is projected twice: as DIRECTED (the
// follow direction, for PageRank) and as UNDIRECTED (for Louvain / Leiden / FastRP).
// Returns: graph, nodes, relationships, projectMillis.
MATCH (s:User)
OPTIONAL MATCH (s)-[r:FOLLOWS|INTERACTS]->(t:User)
WHERE t <> s
WITH s, t, sum(CASE type(r) WHEN 'INTERACTS' THEN $interactsFactor * coalesce(r[$weightKey], 1.0)
                            ELSE coalesce(r[$weightKey], 1.0) END) AS w
UNWIND CASE WHEN t IS NULL THEN ['DIRECTED'] ELSE ['DIRECTED', 'UNDIRECTED'] END AS relType
WITH gds.graph.project($graph, s, t,
       {relationshipType: relType, relationshipProperties: {weight: toFloat(w)}},
       {undirectedRelationshipTypes: ['UNDIRECTED']}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships,
       g.projectMillis AS projectMillis
