// Create Post nodes that are not stored yet (ingest checked that in this transaction with
// check_post_authors), with the same relationships as merge_posts. A new post has no
// relationships, so they are CREATEd: MERGE would scan the other end's relationships (an
// author's, a hashtag's) for each one. Rerunning the load finds the posts and takes merge_posts.
// Parameters: $rows — list of maps as for merge_posts, each with a distinct id not yet stored.
UNWIND $rows AS row
CREATE (p:Post {id: row.id})
WITH p, row, datetime(row.observedAt) AS observedAt
SET p.shortcode = row.shortcode,
    p.mediaId = row.mediaId,
    p.url = row.url,
    p.type = row.type,
    p.caption = row.caption,
    p.postedAt = datetime(row.postedAt),
    p.carouselSize = row.carouselSize,
    p.width = row.width,
    p.height = row.height,
    p.impressions = row.impressions,
    p.reach = row.reach,
    p.saves = row.saves,
    p.profileVisits = row.profileVisits,
    p.follows = row.follows,
    p.mediaPath = row.mediaPath,
    p.language = row.language,
    p.likes = row.likes,
    p.comments = row.comments,
    p.views = row.views,
    p.shares = row.shares,
    p.lastObservedAt = CASE WHEN row.obsId IS NOT NULL THEN observedAt END
// A post known only by its owner's platform id waits (label AwaitingOwner) for that profile:
// link_post_owners links it once a User with that platformId is loaded.
FOREACH (oid IN CASE WHEN row.author IS NULL AND row.ownerId IS NOT NULL THEN [row.ownerId] ELSE [] END |
  SET p.ownerId = oid, p:AwaitingOwner)
FOREACH (a IN CASE WHEN row.author IS NULL THEN [] ELSE [row.author] END |
  MERGE (u:User {id: a})
  CREATE (u)-[:POSTED]->(p))
FOREACH (a IN coalesce(row.coauthors, []) |
  MERGE (u:User {id: a})
  CREATE (u)-[:POSTED {coauthor: true}]->(p))
FOREACH (tag IN coalesce(row.hashtags, []) |
  MERGE (h:Hashtag {name: tag})
  CREATE (p)-[:TAGGED]->(h))
FOREACH (m IN coalesce(row.mentions, []) |
  MERGE (u:User {id: m})
  CREATE (p)-[:MENTIONS]->(u))
FOREACH (f IN coalesce(row.features, []) |
  MERGE (u:User {id: f})
  CREATE (p)-[:FEATURES]->(u))
FOREACH (lid IN CASE WHEN row.locationId IS NULL THEN [] ELSE [row.locationId] END |
  MERGE (l:Location {id: lid})
  SET l.name = coalesce(row.locationName, l.name), l.slug = coalesce(row.locationSlug, l.slug)
  CREATE (p)-[:AT]->(l)
  FOREACH (code IN CASE WHEN row.country IS NULL THEN [] ELSE [row.country] END |
    MERGE (c:Country {code: code})
    MERGE (l)-[:IN]->(c)))
FOREACH (oid IN CASE WHEN row.obsId IS NULL THEN [] ELSE [row.obsId] END |
  MERGE (o:Observation {id: oid})
  SET o.at = observedAt, o.likes = row.likes, o.comments = row.comments,
      o.views = row.views, o.shares = row.shares
  CREATE (p)-[:HAS_OBSERVATION]->(o))
FOREACH (sid IN CASE WHEN row.scrape IS NULL THEN [] ELSE [row.scrape] END |
  MERGE (s:Scrape {id: sid})
  CREATE (p)-[:FROM_SCRAPE]->(s))
