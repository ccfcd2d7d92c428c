// Schema: time-ordered post queries. Idempotent (IF NOT EXISTS). No parameters.
CREATE INDEX post_posted_at IF NOT EXISTS FOR (n:Post) ON (n.postedAt)
