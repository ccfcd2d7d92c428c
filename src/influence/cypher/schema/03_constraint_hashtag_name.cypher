// Schema: Hashtag nodes are keyed by lower-case name. Idempotent (IF NOT EXISTS). No parameters.
CREATE CONSTRAINT hashtag_name IF NOT EXISTS FOR (n:Hashtag) REQUIRE n.name IS UNIQUE
