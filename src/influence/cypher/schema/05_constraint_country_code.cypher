// Schema: Country nodes are keyed by code. Idempotent (IF NOT EXISTS). No parameters.
CREATE CONSTRAINT country_code IF NOT EXISTS FOR (n:Country) REQUIRE n.code IS UNIQUE
