// Upper bounds of the user–trait graph's size, for the memory estimate. No parameters.
// Returns: nodes (users + traits), relationships (an upper bound of user–trait pairs).
RETURN COUNT { (:User) } + COUNT { (:Hashtag) } + COUNT { (:Location) } + COUNT { (:Language) }
         + COUNT { (:Country) } + COUNT { (:TimeZone) } AS nodes,
       COUNT { (:Post)-[:TAGGED]->() } + COUNT { (:Post)-[:AT]->() } + COUNT { (:User)-[:SPEAKS]->() }
         + COUNT { (:User)-[:IN]->() } + COUNT { (:User)-[:IN_TIME_ZONE]->() } AS relationships
