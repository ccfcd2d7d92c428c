// What the graph holds, for `make demo`'s check that it only ever adds its sample to an empty
// graph or to the sample it loaded before: the number of nodes and the folder of every scrape.
// Parameters: none.
MATCH (n)
WITH count(n) AS nodes
OPTIONAL MATCH (s:Scrape)
RETURN nodes, collect(coalesce(s.path, s.id)) AS scrapes
