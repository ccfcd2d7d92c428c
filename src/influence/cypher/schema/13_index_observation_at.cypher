// Schema: velocity queries over time. Idempotent (IF NOT EXISTS). No parameters.
CREATE INDEX observation_at IF NOT EXISTS FOR (n:Observation) ON (n.at)
