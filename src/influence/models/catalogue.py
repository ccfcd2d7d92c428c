"""Plain names of the predictor's features, for people (its figures, baselines and situations
are named in :mod:`influence.glossary`).

The CLI, the JSON output, the model card and the HTML report all name a feature with
:func:`plain_name` (and keep the internal name in a separate field for tools). The FastRP
embedding dimensions ``emb_0`` … are one entry, "account's position in the network (embedding)":
a single dimension means nothing to a reader.
"""

from __future__ import annotations

#: internal feature name (or prefix ending in ``_``) -> plain words
FEATURES: dict[str, str] = {
    "caption_length": "caption length",
    "word_count": "caption length in words",
    "hashtag_count": "number of hashtags",
    "mention_count": "number of mentions",
    "emoji_count": "number of emoji",
    "url_count": "links in the caption",
    "question": "a question in the caption",
    "exclamation": "exclamation marks",
    "cta": "a call to action",
    "uppercase_ratio": "share of capital letters",
    "sentiment_compound": "caption sentiment",
    "sentiment_pos": "positive words",
    "sentiment_neg": "negative words",
    "emo_joy": "joy in the caption",
    "emo_anger": "anger in the caption",
    "emo_fear": "fear in the caption",
    "emo_sadness": "sadness in the caption",
    "emo_surprise": "surprise in the caption",
    "emo_disgust": "disgust in the caption",
    "emo_trust": "trust in the caption",
    "emo_anticipation": "anticipation in the caption",
    "emo_arousal": "emotional intensity (arousal)",
    "hour": "posting hour",
    "weekday": "day of the week",
    "type_": "post type",
    "carousel_size": "number of images in the carousel",
    "lang_": "caption language",
    "region_": "region",
    "img_": "image quality",
    "author_followers_log": "followers",
    "author_following_log": "accounts the author follows",
    "author_posts_log": "author's number of posts",
    "author_verified": "verified account",
    "author_pagerank": "account's influence in the network (PageRank)",
    "author_community_size_log": "size of the author's community",
    "emb_": "account's position in the network (embedding)",
    "author_past_median": "author's usual engagement",
    "author_past_posts": "author's earlier posts",
    "rel_hashtags": "hashtags compared with the author's usual",
    "rel_caption_length": "caption length compared with the author's usual",
    "type_share": "post type compared with the author's usual",
    "hour_distance": "posting hour compared with the author's usual",
    "days_since_previous": "days since the author's previous post",
    "new_hashtags": "hashtags new to the author",
    "new_hashtag_share": "hashtags new to the author",
    "tag_uses_": "hashtags' popularity",
    "tag_pagerank_": "hashtags' influence (PageRank)",
    "tag_spread_": "communities the hashtags reach",
    "early_engagement_log": "engagement in the first hours",
    "early_velocity_log": "engagement per hour in the first hours",
    "early_age_hours": "age at the early observation",
    "early_observations": "early observations",
}


def plain_name(feature: str) -> str:
    """Plain words for an internal feature name; the name itself when none is known."""
    if feature in FEATURES:
        return FEATURES[feature]
    best = ""
    for key in FEATURES:
        if key.endswith("_") and feature.startswith(key) and len(key) > len(best):
            best = key
    if best:  # one-hot groups (post type, language, region) are one reason, whichever column pushed
        return FEATURES[best]
    return feature.replace("_", " ")
