// Schema: Post nodes are keyed by id. Idempotent (IF NOT EXISTS). No parameters.
CREATE CONSTRAINT post_id IF NOT EXISTS FOR (n:Post) REQUIRE n.id IS UNIQUE
