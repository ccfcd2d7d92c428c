// Schema: link posts known only by their owner's platform id. Idempotent (IF NOT EXISTS). No parameters.
CREATE INDEX user_platform_id IF NOT EXISTS FOR (n:User) ON (n.platformId)
