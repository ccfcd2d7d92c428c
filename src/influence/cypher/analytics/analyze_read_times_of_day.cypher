// The most common times of day (seconds after midnight UTC) of the posts' publication times, and
// how many dated posts there are: a time of day that many posts share is a date without a time
// (a crawl writing every date as midnight in its own zone), not a time anyone posted at.
// No parameters.
// Returns: dated (posts with postedAt), common (list of {second, posts}, most frequent first, up to 5).
MATCH (p:Post) WHERE p.postedAt IS NOT NULL
WITH p.postedAt.epochSeconds % 86400 AS second, count(*) AS posts
ORDER BY posts DESC, second
WITH collect({second: second, posts: posts}) AS all, sum(posts) AS dated
RETURN dated, all[..5] AS common
