// Schema: look up posts by shortcode. Idempotent (IF NOT EXISTS). No parameters.
CREATE INDEX post_shortcode IF NOT EXISTS FOR (n:Post) ON (n.shortcode)
