// Schema: Language nodes are keyed by code. Idempotent (IF NOT EXISTS). No parameters.
CREATE CONSTRAINT language_code IF NOT EXISTS FOR (n:Language) REQUIRE n.code IS UNIQUE
