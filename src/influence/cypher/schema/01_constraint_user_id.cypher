// Schema: User nodes are keyed by id. Idempotent (IF NOT EXISTS). No parameters.
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE
