"""Turn the #womenwhoclimb liker graph (JSON dicts, see its SOURCE.txt) into CSVs that
`influence load csv` reads.

    python scripts/womenwhoclimb_csv.py ../shared/data/instagram-womenwhoclimb wwc
    influence load csv wwc/accounts.csv --kind accounts
    influence load csv wwc/posts.csv --kind posts --observed-at 2017-10-31 --accept-missing  # no post dates
    influence load csv wwc/likes.csv --kind likes

Writes into OUTDIR:

* ``accounts.csv`` — ``username,followers``: every poster (numeric Instagram ids: the data has no
  usernames), with the follower count of the 119 influencers (``num_follow``);
* ``posts.csv`` — ``id,author,likes,caption``: the 4,999 posts of ``hashtags_likes_dict.json``
  (``likes`` is aligned with ``posts``) and their captions from ``influencer_dict_captions.json``;
* ``likes.csv`` — ``user,post``: the 113,517 likers of the influencers' top posts
  (``interaction_dict.json``).

The per-user hashtag lists are not aligned with the posts, so they are not written.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path


def convert(data: Path, out: Path) -> dict[str, int]:
    """Write the three CSVs; return the rows written per file."""
    posts = json.loads((data / "hashtags_likes_dict.json").read_text(encoding="utf-8"))
    captions = json.loads((data / "influencer_dict_captions.json").read_text(encoding="utf-8"))
    interactions = json.loads((data / "interaction_dict.json").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    rows = {"accounts.csv": 0, "posts.csv": 0, "likes.csv": 0}
    with (out / "accounts.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["username", "followers"])
        for user in sorted(set(posts) | set(interactions)):
            w.writerow([user, interactions.get(user, {}).get("num_follow", "")])
            rows["accounts.csv"] += 1
    with (out / "posts.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author", "likes", "caption"])
        for user, entry in posts.items():
            texts = dict(
                zip(
                    captions.get(user, {}).get("posts", []),
                    captions.get(user, {}).get("caption", []),
                    strict=False,
                )
            )
            for post, likes in zip(entry["posts"], entry["likes"], strict=False):
                w.writerow([post, user, likes, texts.get(post, "")])
                rows["posts.csv"] += 1
    with (out / "likes.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["user", "post"])
        for entry in interactions.values():
            for liker in entry.get("likes", []):
                w.writerow([liker, entry["post"]])
                rows["likes.csv"] += 1
    return rows


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python scripts/womenwhoclimb_csv.py DATA_DIR OUTDIR")
    for name, n in convert(Path(sys.argv[1]), Path(sys.argv[2])).items():
        print(f"{n:,} rows in {Path(sys.argv[2]) / name}")


if __name__ == "__main__":
    main()
