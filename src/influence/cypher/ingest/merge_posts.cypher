// Merge Post nodes keyed by id with author (POSTED), co-authors (POSTED {coauthor: true}),
// hashtags (TAGGED), mentions (MENTIONS), users tagged in the photo (FEATURES), location (AT, IN),
// provenance (FROM_SCRAPE) and, when the row has timed counts, one Observation (HAS_OBSERVATION).
// Parameters: $rows — list of maps {id, author, ownerId, shortcode, mediaId, url, type, caption, postedAt,
//   observedAt, obsId, likes, comments, views, shares, carouselSize, width, height, impressions,
//   reach, saves, profileVisits, follows, mediaPath,
//   language, hashtags, mentions, features, coauthors, locationId, locationName, locationSlug,
//   country, scrape}; times are ISO 8601 text; absent keys count as null; obsId is null unless
//   observedAt and at least one count are present.
// Latest counts change only when observedAt >= the post's lastObservedAt (older scrapes never
// regress them); untimed counts fill in only while the post has no timed observation.
// Rows whose author conflicts with the stored one are left out by ingest (check_post_authors).
// Returns: one row {updated, unchanged} — rows that changed the stored post's properties or not
//   (ingest sends posts not stored yet to merge_posts_new).
UNWIND $rows AS row
MERGE (p:Post {id: row.id})
WITH p, row, datetime(row.observedAt) AS observedAt, properties(p) AS before
WITH p, row, observedAt, before,
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
    p.impressions = coalesce(row.impressions, p.impressions),
    p.reach = coalesce(row.reach, p.reach),
    p.saves = coalesce(row.saves, p.saves),
    p.profileVisits = coalesce(row.profileVisits, p.profileVisits),
    p.follows = coalesce(row.follows, p.follows),
    p.mediaPath = coalesce(row.mediaPath, p.mediaPath),
    p.language = coalesce(row.language, p.language),
    p.likes = CASE WHEN newer OR untimed THEN coalesce(row.likes, p.likes) ELSE p.likes END,
    p.comments = CASE WHEN newer OR untimed THEN coalesce(row.comments, p.comments) ELSE p.comments END,
    p.views = CASE WHEN newer OR untimed THEN coalesce(row.views, p.views) ELSE p.views END,
    p.shares = CASE WHEN newer OR untimed THEN coalesce(row.shares, p.shares) ELSE p.shares END,
    p.lastObservedAt = CASE WHEN newer THEN observedAt ELSE p.lastObservedAt END
// A post known only by its owner's platform id waits (label AwaitingOwner) for that profile:
// link_post_owners links it once a User with that platformId is loaded.
FOREACH (oid IN CASE WHEN row.author IS NULL AND row.ownerId IS NOT NULL THEN [row.ownerId] ELSE [] END |
  SET p.ownerId = oid, p:AwaitingOwner)
FOREACH (a IN CASE WHEN row.author IS NULL THEN [] ELSE [row.author] END |
  MERGE (u:User {id: a})
  MERGE (u)-[:POSTED]->(p))
FOREACH (a IN coalesce(row.coauthors, []) |
  MERGE (u:User {id: a})
  MERGE (u)-[c:POSTED]->(p)
  SET c.coauthor = true)
FOREACH (tag IN coalesce(row.hashtags, []) |
  MERGE (h:Hashtag {name: tag})
  MERGE (p)-[:TAGGED]->(h))
FOREACH (m IN coalesce(row.mentions, []) |
  MERGE (u:User {id: m})
  MERGE (p)-[:MENTIONS]->(u))
FOREACH (f IN coalesce(row.features, []) |
  MERGE (u:User {id: f})
  MERGE (p)-[:FEATURES]->(u))
FOREACH (lid IN CASE WHEN row.locationId IS NULL THEN [] ELSE [row.locationId] END |
  MERGE (l:Location {id: lid})
  SET l.name = coalesce(row.locationName, l.name), l.slug = coalesce(row.locationSlug, l.slug)
  MERGE (p)-[:AT]->(l)
  FOREACH (code IN CASE WHEN row.country IS NULL THEN [] ELSE [row.country] END |
    MERGE (c:Country {code: code})
    MERGE (l)-[:IN]->(c)))
FOREACH (oid IN CASE WHEN row.obsId IS NULL THEN [] ELSE [row.obsId] END |
  MERGE (o:Observation {id: oid})
  SET o.at = observedAt, o.likes = row.likes, o.comments = row.comments,
      o.views = row.views, o.shares = row.shares
  MERGE (p)-[:HAS_OBSERVATION]->(o))
FOREACH (sid IN CASE WHEN row.scrape IS NULL THEN [] ELSE [row.scrape] END |
  MERGE (s:Scrape {id: sid})
  MERGE (p)-[:FROM_SCRAPE]->(s))
WITH properties(p) <> before AS changed
RETURN count(CASE WHEN changed THEN 1 END) AS updated, count(CASE WHEN NOT changed THEN 1 END) AS unchanged
