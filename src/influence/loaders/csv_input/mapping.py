"""Which fields each kind of CSV has, and the column names that map to them by default."""

from __future__ import annotations

SOURCE = "csv"

KINDS: tuple[str, ...] = ("accounts", "posts", "follows", "observations", "likes", "comments")

#: The fields each kind can map a column to (``-`` ignores a column). Posts' list fields
#: (:data:`LIST_FIELDS`) also read Apify's flattened ``name/0``, ``name/1/username`` columns.
FIELDS: dict[str, tuple[str, ...]] = {
    "accounts": (
        "id", "username", "platform_id", "full_name", "followers", "following", "posts_count",
        "verified", "private", "biography", "category", "language", "country",
    ),
    "posts": (
        "id", "url", "author", "type", "caption", "posted_at", "observed_at", "likes", "comments",
        "views", "shares", "hashtags", "mentions", "location_id", "location_name", "language",
        "country", "subreddit", "is_self", "link", "age", "author_followers", "impressions", "reach",
        "saves", "profile_visits", "follows", "features", "coauthors", "product_type", "posted_time",
    ),
    # full_name, private, verified: of the follower (PhantomBuster's follower exports)
    "follows": ("follower", "followed", "weight", "type", "full_name", "private", "verified"),
    "likes": ("user", "post"),
    "comments": ("user", "post", "text", "at", "id"),
    # follow-graph node tables (follows.parse_nodes): the key is the node id as written
    "nodes": ("id", "username", "full_name", "followers", "following", "verified", "language", "country"),
    "observations": (
        "post", "at", "likes", "comments", "views", "shares", "author", "caption", "posted_at",
        "url", "type", "subreddit", "is_self", "link",
    ),
}  # fmt: skip

IGNORE = "-"

#: Fields that hold a list: a cell is a JSON array or Python list literal (of strings or of
#: objects) or names separated by spaces, commas, ``;``, ``|``; flattened ``field/N[/key]``
#: columns add one item each.
LIST_FIELDS = frozenset({"hashtags", "mentions", "features", "coauthors"})

#: Keys of a list item object that name it, in order of preference (``username`` before the
#: display ``name``): twint's mention objects, Apify's ``taggedUsers/0/username`` and
#: ``hashtags/0/name``, Instagram's usertags ``{"user": {"username": …}}``.
ITEM_NAME_KEYS = (
    "username",
    "screen_name",
    "unique_id",
    "uniqueid",
    "handle",
    "login",
    "name",
    "tag",
    "hashtag",
    "text",
    "title",
)

#: Fields a posts table needs for the numbers downstream (reach, engagement, baselines): a
#: load that finds none of a group's columns says so and stops unless ``--accept-missing``.
POSTS_NEEDS: dict[str, tuple[str, ...]] = {
    "author": ("author",),
    "date": ("posted_at", "age"),
    "engagement": ("likes", "comments", "views", "shares", "impressions", "reach", "saves"),
}

#: Default column → field mapping of each kind (column names compared loosely, see module doc).
DEFAULT_MAPPINGS: dict[str, dict[str, str]] = {
    "accounts": {
        "username": "username",
        "id": "id",
        "full_name": "full_name",
        "followers": "followers",
        "following": "following",
        "posts": "posts_count",
        "verified": "verified",
        "private": "private",
        "biography": "biography",
        "category": "category",
        "language": "language",
        "country": "country",
    },
    "posts": {
        "id": "id",
        "url": "url",
        "author": "author",
        "type": "type",
        "caption": "caption",
        "posted_at": "posted_at",
        "observed_at": "observed_at",
        "likes": "likes",
        "comments": "comments",
        "views": "views",
        "shares": "shares",
        "hashtags": "hashtags",
        "mentions": "mentions",
        "location_id": "location_id",
        "location": "location_name",
        "language": "language",
        "country": "country",
    },
    "follows": {"follower": "follower", "followed": "followed", "weight": "weight", "type": "type"},
    "likes": {"user": "user", "post": "post"},
    "comments": {"user": "user", "post": "post", "text": "text", "at": "at", "id": "id"},
    "nodes": {
        "id": "id",
        "username": "username",
        "name": "full_name",
        "followers": "followers",
        "following": "following",
    },
    "observations": {
        "post": "post",
        "at": "at",
        "likes": "likes",
        "comments": "comments",
        "views": "views",
        "shares": "shares",
        "author": "author",
        "caption": "caption",
        "posted_at": "posted_at",
        # the Reddit hourly top-100 export
        "id": "post",
        "date": "at",
        "score": "likes",
        "num_comments": "comments",
        "title": "caption",
        "created": "posted_at",
        "created_date": IGNORE,  # 12-hour clock: wrong on most rows, `created` is right
        "subreddit_display_name": "subreddit",
        "is_self": "is_self",
        "url": "link",
    },
}

#: Further column names recognised for each field (after the default mapping): the ONE table of
#: the export names of the tools the loaders read. When two columns of a file claim the same
#: field, the one named earlier here wins (the default mapping before any alias).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "username": (
            "user", "user_name", "account", "account_name", "user_account_name", "channel_info",
            "channel", "handle", "screen_name", "instagram", "instagram_handle", "profile",
            "owner_username", "login",
        ),
        "id": ("user_id", "node", "node_id", "id_str"),
        "platform_id": ("pk", "instagram_id", "ig_id"),
        "full_name": ("name", "owner", "display_name", "real_name", "fullname"),
        "followers": ("followers_count", "follower_count", "number_followers", "subscribers", "n_followers"),
        "following": ("following_count", "number_following", "friends_count", "follows_count", "followings", "followees"),
        "posts_count": ("posts_count", "number_posts", "media_count", "num_posts", "num_of_posts", "uploads"),
        "verified": ("is_verified",),
        "private": ("is_private",),
        "biography": ("bio", "description"),
        "category": ("profession", "profession_activity", "activity", "category_name", "niche"),
        "language": ("lang",),
        "country": ("country_continent", "nationality", "country_code"),
    },
    "posts": {
        # the export names of the tools people use (Apify's Instagram and TikTok scrapers,
        # twint, Meta Business Suite, Kaggle tables …): see the README's table of inputs
        "id": ("post_id", "shortcode", "code", "media_id", "tweet_id", "id_str", "video_id", "aweme_id"),
        "url": ("link", "permalink", "post_url", "permanent_link", "web_video_url", "webvideourl"),
        "author": ("owner", "username", "user", "owner_username", "account", "account_username", "screen_name",
                   "authormeta.name", "author_username", "author_unique_id", "user_screen_name", "user_username"),
        "type": ("media_type", "post_type", "typename"),
        "product_type": ("producttype",),
        "caption": ("text", "tweet", "full_text", "description", "title", "body", "desc"),
        # full timestamps before bare dates: twint's created_at beats its date column
        "posted_at": ("created_at", "timestamp", "taken_at", "taken_at_timestamp", "createtimeiso", "createtime",
                      "datetime", "published_at", "created_utc", "publish_time", "published", "created", "post_date",
                      "date", "date_posted", "upload_date"),
        # a separate time-of-day column completes a date-only posted_at (Excel, twint)
        "posted_time": ("time", "time_posted", "post_time"),
        "observed_at": ("scraped_at", "crawled_at", "captured_at"),
        "likes": ("likes_count", "like_count", "likescount", "number_likes", "score", "favorite_count", "favourite_count",
                  "favorites", "reactions", "digg_count", "diggcount", "heart_count"),
        "comments": ("comments_count", "comment_count", "commentcount", "number_comments", "num_comments",
                     "replies_count", "reply_count"),
        # Instagram's "views" before its "plays" (a reel counts both; views is what the app shows)
        "views": ("view_count", "video_views", "video_view_count", "plays", "play_count", "playcount",
                  "video_play_count"),
        "shares": ("share_count", "sharecount", "reposts", "retweet_count", "retweets_count", "retweets"),
        "hashtags": ("tags", "hashtag"),
        "mentions": ("mentioned", "user_mentions"),
        "features": ("tagged_users", "taggedusers", "usertags", "user_tags", "tagged_accounts", "tagged"),
        "coauthors": ("coauthor_producers", "coauthorproducers", "coauthors", "co_authors", "collaborators"),
        "location_id": ("locationid", "place_id"),
        "location_name": ("location_name", "place", "localization"),
        "language": ("lang", "text_language", "textlanguage"),
        # Kaggle's "Instagram Reach" table and Meta Business Suite / Insights exports
        "age": ("time_since_posted", "posted_ago", "time_since_post", "age_of_post"),
        "author_followers": ("followers", "followers_count", "author_followers_count", "authormeta.fans",
                             "owner_followers"),
        "impressions": ("impression", "post_impressions"),
        "reach": ("accounts_reached", "post_reach"),
        "saves": ("saved", "save_count", "collect_count", "collectcount"),
        "profile_visits": ("profile_visit", "visits"),
        "follows": ("new_follows", "follows_from_post"),
    },
    "follows": {
        "follower": ("source", "src", "from", "follower_id", "source_id", "from_id", "user", "user_id", "follower_username",
                     "username", "profile_url", "profileurl"),
        "followed": ("target", "dst", "to", "followed_id", "target_id", "to_id", "following", "followee", "followed_username",
                     "query", "followed_profile"),
        "weight": ("w", "value", "strength", "count"),
        "type": ("edge_type", "direction", "directed"),
        "full_name": ("fullname", "follower_full_name"),
        "private": ("is_private", "isprivate"),
        "verified": ("is_verified", "isverified"),
    },
    "likes": {
        "user": ("liker", "username", "user_id", "liker_id", "account", "from", "source"),
        "post": ("post_id", "shortcode", "code", "media_id", "url", "post_url", "to", "target"),
    },
    "comments": {
        "user": ("commenter", "author", "username", "user_id", "owner", "account"),
        "post": ("post_id", "shortcode", "code", "media_id", "post_url"),
        "text": ("comment", "body", "message", "content", "comment_text"),
        "at": ("time", "timestamp", "created_at", "created_utc", "date", "posted_at", "commented_at"),
        "id": ("comment_id", "cid"),
    },
    "nodes": {
        "id": ("id_str", "node", "node_id", "user_id", "vertex", "key"),
        "username": ("screen_name", "twitter", "handle", "user", "user_name", "login", "account"),
        "full_name": ("label", "full_name", "display_name", "fullname"),
        "followers": ("followers_count", "follower_count"),
        "following": ("following_count", "friends_count"),
        "verified": ("is_verified",),
        "language": ("lang",),
        "country": ("nationality",),
    },
    "observations": {
        "post": ("post_id", "shortcode", "code"),
        "at": ("observed_at", "time", "timestamp", "captured_at", "scraped_at", "datetime", "hour"),
        "likes": ("likes_count", "like_count", "upvotes"),
        "comments": ("comments_count", "comment_count"),
        "views": ("view_count", "plays"),
        "shares": ("share_count",),
        "author": ("owner", "username", "user"),
        "caption": ("text",),
        "posted_at": ("created_utc", "created_at", "taken_at"),
        "subreddit": ("subreddit",),
    },
}  # fmt: skip


_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "accounts": ("username", "id"),
    "posts": ("id", "url"),
    "follows": ("follower", "followed"),
    "likes": ("user", "post"),
    "comments": ("user", "post"),
    "nodes": ("id",),
    "observations": ("post",),
}
