"""Which fields each kind of CSV has, and the column names that map to them by default."""

from __future__ import annotations

SOURCE = "csv"

KINDS: tuple[str, ...] = ("accounts", "posts", "follows", "observations", "likes", "comments")

#: The fields each kind can map a column to (``-`` ignores a column).
FIELDS: dict[str, tuple[str, ...]] = {
    "accounts": (
        "id", "username", "platform_id", "full_name", "followers", "following", "posts_count",
        "verified", "private", "biography", "category", "language", "country",
    ),
    "posts": (
        "id", "url", "author", "type", "caption", "posted_at", "observed_at", "likes", "comments",
        "views", "shares", "hashtags", "mentions", "location_id", "location_name", "language",
        "country", "subreddit", "is_self", "link", "age", "author_followers", "impressions", "reach",
        "saves", "profile_visits", "follows",
    ),
    "follows": ("follower", "followed", "weight", "type"),
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
    "nodes": {"id": "id", "username": "username", "name": "full_name", "followers": "followers", "following": "following"},
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

#: Further column names recognised for each field (after the default mapping).
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
        "id": ("post_id", "shortcode", "code", "media_id"),
        "url": ("link", "permalink", "post_url", "permanent_link"),
        "author": ("owner", "username", "user", "owner_username", "account", "account_username"),
        "type": ("media_type", "post_type", "typename"),
        "caption": ("text", "description", "title", "body"),
        "posted_at": ("date", "timestamp", "created_at", "created", "taken_at", "time", "datetime", "published_at",
                      "created_utc", "publish_time", "published", "post_date"),
        "observed_at": ("scraped_at", "crawled_at", "captured_at"),
        "likes": ("likes_count", "like_count", "number_likes", "score", "favorite_count", "favourite_count", "favorites",
                  "reactions"),
        "comments": ("comments_count", "comment_count", "number_comments", "num_comments"),
        "views": ("view_count", "video_views", "plays", "video_view_count"),
        "shares": ("share_count", "reposts", "retweet_count", "retweets"),
        "hashtags": ("tags", "hashtag"),
        "mentions": ("mentioned", "user_mentions"),
        "location_name": ("location_name", "place", "localization"),
        "language": ("lang",),
        # Kaggle's "Instagram Reach" table and Meta Business Suite / Insights exports
        "age": ("time_since_posted", "posted_ago", "time_since_post", "age_of_post"),
        "author_followers": ("followers", "followers_count", "author_followers_count"),
        "impressions": ("impression", "post_impressions"),
        "reach": ("accounts_reached", "post_reach"),
        "saves": ("saved", "save_count"),
        "profile_visits": ("profile_visit", "visits"),
        "follows": ("new_follows", "follows_from_post"),
    },
    "follows": {
        "follower": ("source", "src", "from", "follower_id", "source_id", "from_id", "user", "user_id", "follower_username"),
        "followed": ("target", "dst", "to", "followed_id", "target_id", "to_id", "following", "followee", "followed_username"),
        "weight": ("w", "value", "strength", "count"),
        "type": ("edge_type", "direction", "directed"),
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
