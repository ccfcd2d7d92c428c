// Write rising-hashtag figures. Parameters: $rows — list of maps {name, recent, previous, growth}.
UNWIND $rows AS row
MATCH (h:Hashtag {name: row.name})
SET h.recentUses = row.recent, h.previousUses = row.previous, h.growth = row.growth
