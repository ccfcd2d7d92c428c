"""The report's audience-overlap section: the Jaccard matrix of the top influencers' audiences.

:func:`overlap_section` takes the report's top influencers that have an audience loaded
(followers, likers, commenters or mentioners), computes their overlap with
:func:`influence.analytics.audience.overlap` and draws the matrix as a heat map (PNG).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neo4j import Driver

from influence.analytics import audience
from influence.errors import InputError

#: How many of the top influencers the matrix compares.
OVERLAP_ACCOUNTS = 10


def overlap_heatmap(names: Sequence[str], matrix: Sequence[Sequence[float]], path: Path) -> Path:
    """Draw a labelled Jaccard heat map (0..1, diagonal blank) to ``path`` (PNG); return it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    n = len(names)
    values = np.array(matrix, dtype=float)
    np.fill_diagonal(values, np.nan)
    top = float(np.nanmax(values)) if n > 1 and np.isfinite(values).any() else 1.0
    fig, ax = plt.subplots(figsize=(1.8 + 0.62 * n, 1.2 + 0.55 * n), dpi=110)
    image = ax.imshow(values, cmap="Blues", vmin=0.0, vmax=max(top, 0.05))
    labels = [f"@{name[:22]}" for name in names]
    ax.set_xticks(range(n), labels, rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(n), labels, fontsize=8)
    for i in range(n):
        for j in range(n):
            if i != j:
                v = values[i, j]
                ax.text(
                    j,
                    i,
                    f"{v:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.6 * max(top, 0.05) else "#333",
                )
    fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, label="Jaccard (shared ÷ combined audience)")
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


def overlap_section(
    driver: Driver,
    influencers: Sequence[dict[str, Any]],
    assets: Path,
    database: str | None = None,
) -> tuple[dict[str, Any] | None, str | None]:
    """``(section data, None)`` or ``(None, note)`` when fewer than two top accounts have an audience.

    Section data: ``chart`` (path relative to the report), ``pairs`` (the most overlapping five),
    ``union``, ``shared_by_two``, ``accounts``.
    """
    ids = [str(r["id"]) for r in influencers if r.get("id") is not None]
    found = audience.audiences(driver, ids, "all", database) if ids else {}
    loaded = [i for i in ids if i in found and found[i]["audience"]]
    thin = [
        i
        for i in loaded
        if audience.is_thin(
            found[i]["followers"], found[i]["known_followers"], known_engagers=found[i]["known_engagers"]
        )
    ]
    with_audience = [i for i in loaded if i not in thin][:OVERLAP_ACCOUNTS]
    if len(with_audience) < 2:
        why = ""
        if thin:
            examples = "; ".join(
                audience.coverage_words(
                    found[i]["username"],
                    found[i]["followers"],
                    found[i]["known_followers"],
                    found[i]["known_engagers"],
                )
                for i in thin[:3]
            )
            why = (
                f" {len(thin):,} of the top accounts have an audience in the graph, but with "
                f"{audience.floor_words()} ({examples}): their overlap would describe accounts that mention "
                "them, not their audiences."
            )
        return None, (
            "No two top accounts have enough of their audience loaded to compare."
            + why
            + " Load follower lists (`influence load follows`, gallery-dl follower dumps) or likes."
        )
    try:
        ov = audience.overlap(driver, with_audience, "all", database)
    except InputError as e:
        return None, str(e)
    path = overlap_heatmap(ov.usernames, ov.matrix, assets / "audience_overlap.png")
    known = sum(c["known_followers"] for c in ov.coverage)
    counted = sum(c["followers"] or 0 for c in ov.coverage if c["coverage"] is not None)
    words = (
        f"The graph knows {known:,} of the {counted:,} followers these accounts have by their profiles "
        f"({100.0 * known / counted:.2f} %); the figures count those and the engagers it knows."
        if counted
        else "Their follower counts are unknown, so the share of their audience loaded cannot be told."
    )
    if thin:
        words += f" {len(thin):,} top accounts with {audience.floor_words()} are left out."
    return {
        "chart": f"assets/{path.name}",
        "pairs": ov.pairs[:5],
        "union": ov.union,
        "shared_by_two": ov.shared_by_two,
        "accounts": len(ov.accounts),
        "path": path,
        "coverage": words,
        "warnings": ov.warnings,
    }, None
