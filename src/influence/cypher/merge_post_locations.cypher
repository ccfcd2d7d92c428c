// Merge the Location nodes of a batch of posts and the Country each lies IN.
// Parameters: $rows — list of maps {id, name, slug, countries}, one per distinct location id
//   (countries: the distinct country codes its posts give); absent keys never erase a known value.
UNWIND $rows AS row
MERGE (l:Location {id: row.id})
SET l.name = coalesce(row.name, l.name), l.slug = coalesce(row.slug, l.slug)
FOREACH (code IN coalesce(row.countries, []) |
  MERGE (c:Country {code: code})
  MERGE (l)-[:IN]->(c))
