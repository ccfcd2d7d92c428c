// Merge Post nodes keyed by id and set their properties (no relationships: ingest writes those
// with the merge_post_* statements in the same transaction, one relationship type each).
// Parameters: $rows — list of maps {id, shortcode, mediaId, url, type, caption, postedAt,
//   observedAt, obsId, likes, comments, views, shares, carouselSize, width, height, mediaPath,
//   language} (other keys are ignored); times are ISO 8601 text; absent keys count as null;
//   obsId is null unless observedAt and at least one count are present.
// Latest counts change only when observedAt >= the post's lastObservedAt (older scrapes never
// regress them); untimed counts fill in only while the post has no timed observation.
// Rows whose author conflicts with the stored one are left out by ingest (check_post_authors).
UNWIND $rows AS row
MERGE (p:Post {id: row.id})
WITH p, row, datetime(row.observedAt) AS observedAt
WITH p, row, observedAt,
     row.obsId IS NOT NULL AND (p.lastObservedAt IS NULL OR observedAt >= p.lastObservedAt) AS newer,
     row.obsId IS NULL AND p.lastObservedAt IS NULL AS untimed
SET p.shortcode = coalesce(row.shortcode, p.shortcode),
    p.mediaId = coalesce(row.mediaId, p.mediaId),
    p.url = coalesce(row.url, p.url),
    p.type = coalesce(row.type, p.type),
    p.caption = coalesce(row.caption, p.caption),
    p.postedAt = coalesce(datetime(row.postedAt), p.postedAt),
    p.carouselSize = coalesce(row.carouselSize, p.carouselSize),
    p.width = coalesce(row.width, p.width),
    p.height = coalesce(row.height, p.height),
    p.mediaPath = coalesce(row.mediaPath, p.mediaPath),
    p.language = coalesce(row.language, p.language),
    p.likes = CASE WHEN newer OR untimed THEN coalesce(row.likes, p.likes) ELSE p.likes END,
    p.comments = CASE WHEN newer OR untimed THEN coalesce(row.comments, p.comments) ELSE p.comments END,
    p.views = CASE WHEN newer OR untimed THEN coalesce(row.views, p.views) ELSE p.views END,
    p.shares = CASE WHEN newer OR untimed THEN coalesce(row.shares, p.shares) ELSE p.shares END,
    p.lastObservedAt = CASE WHEN newer THEN observedAt ELSE p.lastObservedAt END
