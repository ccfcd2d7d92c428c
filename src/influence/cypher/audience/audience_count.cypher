// Upper bounds of the audience graph's size, for the memory estimate. No parameters.
// Returns: nodes (users), relationships (follows + likes + comments + mentions).
RETURN COUNT { (:User) } AS nodes,
       COUNT { (:User)-[:FOLLOWS]->() } + COUNT { (:User)-[:LIKED]->() } + COUNT { (:User)-[:COMMENTED]->() }
         + COUNT { (:Post)-[:MENTIONS]->() } AS relationships
