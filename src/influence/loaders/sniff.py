"""Which loader reads a file or folder (pure; used to name the right command when a load
rejects most of what it read).

:func:`guess` reads the start of a few JSON files (at most :data:`SAMPLE_FILES`, each at most
:data:`HEAD_BYTES`) and names the loader whose shape most of them have: ``gallery-dl``,
``instaloader``, ``profilecrawl``, ``zeeschuimer`` or ``instagram-export`` — or None when
nothing is clear. It never raises.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

#: Files looked at in a folder.
SAMPLE_FILES = 20
#: Bytes read from each.
HEAD_BYTES = 256 * 1024

_EXPORT_NAME = re.compile(r"^instagram-[A-Za-z0-9._]{1,30}-\d{4}-\d{2}-\d{2}")
_EXPORT_FILES = re.compile(r"^(personal_information|followers_\d+|following|posts_\d+|liked_posts)\.json$")
_PROFILECRAWL_KEYS = frozenset(
    {
        "alias",
        "num_of_posts",
        "bio_url",
        "isprivate",
        "scraped",
        "scrapped",
        "prof_img",
        "descriptionProfile",
        "urlProfile",
        "numberPosts",
    }
)


def guess(path: Path | str) -> str | None:
    """The loader (``influence load <name>``) whose input ``path`` looks like, or None."""
    root = Path(path)
    try:
        if _EXPORT_NAME.match(root.name):
            return "instagram-export"
        files = (
            [root]
            if root.is_file()
            else sorted(p for p in root.rglob("*") if p.is_file())
            if root.is_dir()
            else []
        )
    except OSError:
        return None
    if any(_EXPORT_FILES.match(f.name) for f in files) and any(
        f.name == "personal_information.json" or f.parent.name == "followers_and_following" for f in files
    ):
        return "instagram-export"
    votes: Counter[str] = Counter()
    for file in [f for f in files if f.suffix.lower() in (".json", ".ndjson", ".jsonl", ".txt", ".xz")][
        :SAMPLE_FILES
    ]:
        kind = _kind(_first_value(file))
        if kind:
            votes[kind] += 1
    if not votes:
        return None
    (best, n), *rest = votes.most_common()
    return best if not rest or n > rest[0][1] else None


def _first_value(file: Path) -> Any:
    try:
        with open(file, "rb") as f:
            head = f.read(HEAD_BYTES)
        if file.suffix.lower() == ".xz":
            import lzma

            head = lzma.LZMADecompressor().decompress(head, max_length=HEAD_BYTES)
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
        value, _ = json.JSONDecoder().raw_decode(text)
        return value
    except (OSError, ValueError, EOFError, _lzma_error()):
        return None


def _lzma_error() -> type[Exception]:
    import lzma

    return lzma.LZMAError


def _kind(value: Any) -> str | None:
    if isinstance(value, list) and value:
        first = value[0]
        if isinstance(first, int) or (isinstance(first, list) and first and isinstance(first[0], int)):
            return "gallery-dl"  # -j message tuples
        if isinstance(first, dict) and "string_list_data" in first:
            return "instagram-export"
        if (
            isinstance(first, dict)
            and isinstance(first.get("media"), list)
            and "creation_timestamp" in str(first)[:2000]
        ):
            return "instagram-export"
        return None
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("data"), dict) and ("timestamp_collected" in value or "nav_index" in value):
        return "zeeschuimer"
    if "instaloader" in value or (isinstance(value.get("node"), dict) and "__typename" in value["node"]):
        return "instaloader"
    if value.get("category") == "instagram" or "post_shortcode" in value or "subcategory" in value:
        return "gallery-dl"
    if "profile_user" in value or any(k.startswith("relationships_") for k in value):
        return "instagram-export"
    if len(_PROFILECRAWL_KEYS & set(value)) >= 2 or ("alias" in value and "username" in value):
        return "profilecrawl"
    return None
