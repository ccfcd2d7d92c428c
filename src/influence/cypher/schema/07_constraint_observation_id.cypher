// Schema: Observation nodes are keyed by id (post id + observed-at). Idempotent (IF NOT EXISTS). No parameters.
CREATE CONSTRAINT observation_id IF NOT EXISTS FOR (n:Observation) REQUIRE n.id IS UNIQUE
