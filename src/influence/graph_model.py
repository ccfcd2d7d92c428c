"""The graph model in one place: every node label, relationship type and property the project
writes, and which record field each loaded property comes from.

The Bolt writer (:mod:`influence.ingest.rows`), the bulk import (:mod:`influence.ingest.bulk`,
which also takes the neo4j-admin column types from here) and the CSV mapping
(:mod:`influence.loaders.csv_input.columns`, which keeps extra columns off the reserved names)
all read these tables, so a property added here appears in all three. The Cypher files name the
same properties by hand (a statement is text with parameters only); ``tests/unit/test_graph_model.py``
checks that the ``merge_*`` statements set exactly the properties listed here.

Drawn in ``DESIGN.md`` and the README's "Graph model"::

    (:User)-[:POSTED {coauthor}]->(:Post)-[:TAGGED]->(:Hashtag)
    (:Post)-[:MENTIONS|FEATURES]->(:User)   (:User)-[:FOLLOWS {weight}]->(:User)
    (:User)-[:LIKED]->(:Post)   (:User)-[:COMMENTED {id, text, at}]->(:Post)
    (:Post)-[:AT]->(:Location)-[:IN]->(:Country)<-[:IN]-(:User)-[:SPEAKS]->(:Language)
    (:Post)-[:HAS_OBSERVATION]->(:Observation)   (:Post|User)-[:FROM_SCRAPE]->(:Scrape)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: A property's type as neo4j-admin names it in an import header (``followers:long``).
AdminType = Literal["string", "long", "double", "boolean", "datetime"]

# ------------------------------------------------------------------------------ labels
USER = "User"
POST = "Post"
OBSERVATION = "Observation"
SCRAPE = "Scrape"
LOCATION = "Location"
HASHTAG = "Hashtag"
COUNTRY = "Country"
LANGUAGE = "Language"
#: A Post known only by its owner's platform id, waiting for that profile (``link_post_owners``).
AWAITING_OWNER = "AwaitingOwner"
#: Written by ``influence analyze``.
TIME_ZONE = "TimeZone"
EMBEDDING_RUN = "EmbeddingRun"

# ------------------------------------------------------------------------------ relationship types
POSTED = "POSTED"
TAGGED = "TAGGED"
MENTIONS = "MENTIONS"
FEATURES = "FEATURES"
FOLLOWS = "FOLLOWS"
LIKED = "LIKED"
COMMENTED = "COMMENTED"
AT = "AT"
IN = "IN"  # Location → Country and User → Country
SPEAKS = "SPEAKS"
HAS_OBSERVATION = "HAS_OBSERVATION"
FROM_SCRAPE = "FROM_SCRAPE"  # Post → Scrape and User → Scrape
#: Written by ``influence analyze``.
INTERACTS = "INTERACTS"
CO_OCCURS = "CO_OCCURS"
SIMILAR = "SIMILAR"
IN_TIME_ZONE = "IN_TIME_ZONE"


@dataclass(frozen=True, slots=True)
class Prop:
    """One property of a node or relationship: its name in the graph, the record field it is
    loaded from (``None`` when the writer derives it) and its neo4j-admin type."""

    name: str
    field: str | None
    type: AdminType = "string"


#: Key property of each label the loaders write.
KEYS: dict[str, str] = {
    USER: "id",
    POST: "id",
    OBSERVATION: "id",
    SCRAPE: "id",
    LOCATION: "id",
    HASHTAG: "name",
    COUNTRY: "code",
    LANGUAGE: "code",
}

#: The engagement counts of a post and of each of its observations (a time series).
ENGAGEMENT_COUNTS: tuple[str, ...] = ("likes", "comments", "views", "shares")

#: Properties the loaders set on each label (besides its key), in import-column order.
NODE_PROPERTIES: dict[str, tuple[Prop, ...]] = {
    USER: (
        Prop("username", "username"),
        Prop("platformId", "platform_id"),
        Prop("fullName", "full_name"),
        Prop("followers", "followers", "long"),
        Prop("following", "following", "long"),
        Prop("postsCount", "posts_count", "long"),
        Prop("verified", "verified", "boolean"),
        Prop("private", "private", "boolean"),
        Prop("biography", "biography"),
        Prop("category", "category"),
        Prop("language", "language"),
        Prop("country", "country"),
    ),
    POST: (
        Prop("shortcode", "shortcode"),
        Prop("mediaId", "media_id"),
        Prop("url", "url"),
        Prop("type", "type"),
        Prop("caption", "caption"),
        Prop("postedAt", "posted_at", "datetime"),
        Prop("carouselSize", "carousel_size", "long"),
        Prop("width", "width", "long"),
        Prop("height", "height", "long"),
        Prop("mediaPath", "media_path"),
        Prop("language", "language"),
        *(Prop(name, name, "long") for name in ENGAGEMENT_COUNTS),
        Prop("lastObservedAt", None, "datetime"),  # observed_at of the latest counts
        Prop("impressions", "impressions", "long"),
        Prop("reach", "reach", "long"),
        Prop("saves", "saves", "long"),
        Prop("profileVisits", "profile_visits", "long"),
        Prop("follows", "follows", "long"),
        Prop("ownerId", "owner_id"),  # only while the author is unknown (AwaitingOwner)
    ),
    OBSERVATION: (
        Prop("at", "at", "datetime"),
        *(Prop(name, name, "long") for name in ENGAGEMENT_COUNTS),
    ),
    SCRAPE: (
        Prop("source", "source"),
        Prop("tool", "tool"),
        Prop("toolVersion", "tool_version"),
        Prop("startedAt", "started_at", "datetime"),
        Prop("path", "path"),
    ),
    LOCATION: (Prop("name", "location_name"), Prop("slug", "location_slug")),
    HASHTAG: (),
    COUNTRY: (),
    LANGUAGE: (),
}

#: Post fields the writer passes on in a post's row to other nodes: its location's name and
#: slug (Location) and its country (Country of the Location); row key → record field.
POST_ROW_TEXTS: tuple[Prop, ...] = (
    Prop("locationName", "location_name"),
    Prop("locationSlug", "location_slug"),
    Prop("country", "country"),
)


@dataclass(frozen=True, slots=True)
class Rel:
    """A relationship the loaders write: its type, its ends and its properties."""

    type: str
    start: str
    end: str
    properties: tuple[Prop, ...] = ()


#: Relationships the loaders write, by a name unique per (type, ends): ``IN`` and
#: ``FROM_SCRAPE`` join two kinds of node each.
RELATIONSHIPS: dict[str, Rel] = {
    "POSTED": Rel(POSTED, USER, POST, (Prop("coauthor", None, "boolean"),)),
    "TAGGED": Rel(TAGGED, POST, HASHTAG),
    "MENTIONS": Rel(MENTIONS, POST, USER),
    "FEATURES": Rel(FEATURES, POST, USER),
    "FOLLOWS": Rel(FOLLOWS, USER, USER, (Prop("weight", "weight", "double"),)),
    "LIKED": Rel(LIKED, USER, POST),
    "COMMENTED": Rel(
        COMMENTED, USER, POST, (Prop("id", "id"), Prop("text", "text"), Prop("at", "at", "datetime"))
    ),
    "AT": Rel(AT, POST, LOCATION),
    "IN_COUNTRY": Rel(IN, LOCATION, COUNTRY),
    "USER_IN": Rel(IN, USER, COUNTRY),
    "SPEAKS": Rel(SPEAKS, USER, LANGUAGE),
    "HAS_OBSERVATION": Rel(HAS_OBSERVATION, POST, OBSERVATION),
    "POST_FROM_SCRAPE": Rel(FROM_SCRAPE, POST, SCRAPE),
    # with the follower count seen in that scrape (audience quality reads its history)
    "USER_FROM_SCRAPE": Rel(FROM_SCRAPE, USER, SCRAPE, (Prop("followers", "followers", "long"),)),
}

#: User properties ``influence analyze`` writes (a loaded extra must never overwrite them).
USER_ANALYTICS_PROPERTIES: frozenset[str] = frozenset(
    {
        "pagerank",
        "articlerank",
        "eigenvector",
        "community",
        "proximityCommunity",
        "communitySize",
        "embedding",
        "embeddingVersion",
        "engagementRate",
        "engagementRateTierZ",
        "followerTier",
        "timeZone",
        "timeZoneSource",
        "timeZoneConfidence",
        "postingHourUtc",
    }
)

#: Extra user properties the loaders themselves write (``country_name``: the country cell as
#: written, next to its ISO code in ``country``).
USER_LOADER_EXTRAS: frozenset[str] = frozenset({"country_name"})

#: Properties the loader or the analytics own: ``UserRecord.extra`` may not overwrite them.
#: The record field names (``platform_id``) are reserved too: an extra of that name would be a
#: misspelt field.
RESERVED_USER_PROPERTIES: frozenset[str] = frozenset(
    {KEYS[USER]}
    | {p.name for p in NODE_PROPERTIES[USER]}
    | {p.field for p in NODE_PROPERTIES[USER] if p.field is not None}
    | USER_ANALYTICS_PROPERTIES
)


def properties(label: str, type_: AdminType | None = None) -> tuple[Prop, ...]:
    """The loaded properties of ``label`` (of one neo4j-admin type when ``type_`` is given)."""
    return tuple(p for p in NODE_PROPERTIES[label] if type_ is None or p.type == type_)


def field_map(props: tuple[Prop, ...]) -> tuple[tuple[str, str], ...]:
    """``(record field, graph property)`` of each property loaded from a record field."""
    return tuple((p.field, p.name) for p in props if p.field is not None)


def admin_columns(props: tuple[Prop, ...]) -> list[tuple[str, AdminType]]:
    """``(property, neo4j-admin type)`` of each property, in order (the bulk import's header)."""
    return [(p.name, p.type) for p in props]
