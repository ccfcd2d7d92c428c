// Schema: community reports. Idempotent (IF NOT EXISTS). No parameters.
CREATE INDEX user_community IF NOT EXISTS FOR (n:User) ON (n.community)
