// Write one relationship type of an in-memory graph (with one property) back to the database.
// Parameters: $graph — in-memory graph name; $type — relationship type in the projection (also
//   the type written); $property — its property to write.
// Returns: relationshipsWritten, writeMillis.
CALL gds.graph.relationship.write($graph, $type, $property)
YIELD relationshipsWritten, writeMillis
RETURN relationshipsWritten, writeMillis
