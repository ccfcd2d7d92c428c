// Schema: look up accounts by username. Idempotent (IF NOT EXISTS). No parameters.
CREATE INDEX user_username IF NOT EXISTS FOR (n:User) ON (n.username)
