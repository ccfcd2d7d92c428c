// Schema: Scrape nodes are keyed by id. Idempotent (IF NOT EXISTS). No parameters.
CREATE CONSTRAINT scrape_id IF NOT EXISTS FOR (n:Scrape) REQUIRE n.id IS UNIQUE
