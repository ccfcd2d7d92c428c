// Write each account's estimated time zone and, where it is sure enough, link it to its TimeZone
// (a trait of proximity).
// Parameters: $rows — list of maps {id, offset (hours from UTC), source ("country" | "posting
//   hours"), confidence (0..1), postingHour (circular mean, UTC hours, or null), link (boolean)}.
UNWIND $rows AS row
MATCH (u:User {id: row.id})
SET u.timeZone = row.offset, u.timeZoneSource = row.source, u.timeZoneConfidence = row.confidence,
    u.postingHourUtc = row.postingHour
FOREACH (offset IN CASE WHEN row.link THEN [row.offset] ELSE [] END |
  MERGE (t:TimeZone {offset: offset})
  MERGE (u)-[:IN_TIME_ZONE]->(t))
