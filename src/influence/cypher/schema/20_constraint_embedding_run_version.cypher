// Schema: EmbeddingRun nodes (analytics) are keyed by version. Idempotent (IF NOT EXISTS). No parameters.
CREATE CONSTRAINT embedding_run_version IF NOT EXISTS FOR (n:EmbeddingRun) REQUIRE n.version IS UNIQUE
