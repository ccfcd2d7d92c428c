"""Content signals computed from a post (caption, emotions, image), shared by the predictor and brand safety."""
