// Schema: TimeZone nodes (a proximity trait) are keyed by offset (hours from UTC). Idempotent. No parameters.
CREATE CONSTRAINT time_zone_offset IF NOT EXISTS FOR (n:TimeZone) REQUIRE n.offset IS UNIQUE
