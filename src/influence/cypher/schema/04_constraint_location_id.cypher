// Schema: Location nodes are keyed by id. Idempotent (IF NOT EXISTS). No parameters.
CREATE CONSTRAINT location_id IF NOT EXISTS FOR (n:Location) REQUIRE n.id IS UNIQUE
