// Sizes of the user graph, for the memory estimate before projecting it. No parameters.
// Returns: nodes (users), relationships (FOLLOWS + INTERACTS).
RETURN COUNT { (:User) } AS nodes,
       COUNT { ()-[:FOLLOWS]->() } + COUNT { ()-[:INTERACTS]->() } AS relationships
