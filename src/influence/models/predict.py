"""Scoring posts with a trained predictor: basis, probability, value, explanation, brand safety.

Posts come from the graph (by id) or are drafts that are not in the graph yet (CSV / JSON rows
with ``id, author, caption, hashtags, posted_at, media`` and the optional author columns
``author_followers, author_following, author_posts, author_verified``, or gallery-dl
sidecars). Features are read from Neo4j in batches (:mod:`influence.models.graphread`).

Each post is scored in its situation (``basis``, chosen per post): ``known_author`` when its
author is in the graph with earlier posts, else ``new_author`` (see
:mod:`influence.models.train`). It gets ``viral_probability`` (within the criteria's scope;
``viral_probability_overall`` over all posts when the scope is not global), ``predicted`` (the
model's target — settled engagement or engagement per hour — on its natural scale),
``times_usual`` for known authors (the own-drafts ranker — learning to rank with the author
as the query group — mapped to the post's engagement as a multiple of the author's usual; it
orders one author's drafts), the features that
pushed the probability up and down (XGBoost per-row SHAP contributions, in log-odds, with plain
names from :mod:`influence.models.catalogue`), and brand-safety flags. A post flagged by the
safety check is unsafe whatever its score. ``viral_probability`` is calibrated (Platt scaling
fitted on authors held out of training). Rows are ordered by what ranked best on the
author-split evaluation (:func:`rank_predictions`); where the model does not beat its baseline
the row's ``note`` says so and the baseline orders it. A bad row (unreadable media file, a value
of the wrong type) gets its own ``error`` and no score; the other rows are scored (a draft
without a caption is scored on the rest).
"""

from __future__ import annotations

import functools
import importlib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb
from neo4j import Driver

from influence import text as textmod
from influence import values
from influence.errors import InputError
from influence.models import catalogue, graphread
from influence.models import features as feat
from influence.models.evaluate import apply_platt
from influence.models.store import SavedModel
from influence.models.train import SituationModel, best_iteration_range

COLUMNS = [
    "id",
    "basis",
    "viral_probability",
    "viral_probability_overall",
    "predicted",
    "times_usual",
    "region",
    "rank_by",
    "note",
    "up",
    "down",
    "safe",
    "flags",
    "error",
    "up_features",
    "down_features",
    "flag_details",
]
#: What the table shows people (the JSON and CSV carry every column of :data:`COLUMNS`).
TABLE_COLUMNS = [
    "id",
    "basis",
    "viral_probability",
    "predicted",
    "times_usual",
    "up",
    "down",
    "safe",
    "flags",
    "note",
    "error",
]
TOP_REASONS = 3
DRAFT_COLUMNS = (
    "id",
    "author",
    "caption",
    "hashtags",
    "posted_at",
    "media",
    "author_followers",
    "author_following",
    "author_posts",
    "author_verified",
    "region",
)
Progress = Callable[[str], None]


@dataclass
class Prediction:
    """The score of one post (or the reason it has none)."""

    id: str
    basis: str | None = None  # known_author / new_author
    viral_probability: float | None = None
    viral_probability_overall: float | None = None  # only when the criteria's scope is not global
    predicted: float | None = None  # the model's target on its natural scale
    times_usual: float | None = None  # known authors: engagement as a multiple of the author's usual
    region: str | None = None  # the post's group in the criteria's scope
    #: what put the row in its place (:func:`rank_predictions`): ``predicted``,
    #: ``viral_probability``, ``followers``, ``author_median``, with ``+times_usual`` when one
    #: author's drafts are ordered by the own-drafts ranker
    rank_by: str | None = None
    #: plain words when the model cannot beat its baseline for this row's situation
    note: str | None = None
    up: list[str] = field(default_factory=list)  # plain names with their contribution
    down: list[str] = field(default_factory=list)
    safe: bool | None = None
    flags: list[str] = field(default_factory=list)
    error: str | None = None
    up_features: list[str] = field(default_factory=list)  # internal names, for tools
    down_features: list[str] = field(default_factory=list)
    #: one entry per brand-safety check that fired: check, category, matches, score, threshold
    flag_details: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A plain dict in :data:`COLUMNS` order."""
        return asdict(self)

    #: Keys every row of ``influence predict --format json`` carries (older files may lack the rest).
    REQUIRED = ("id", "viral_probability", "predicted", "up", "down", "safe", "flags", "error")

    @classmethod
    def from_dict(cls, data: Any, source: str = "the predictions") -> Prediction:
        """One row of ``influence predict --format json`` (:meth:`as_dict`) read back.

        ``source`` names the row in messages (``scored.json, row 3``). Raises
        :class:`~influence.errors.InputError` naming ``source`` and the key when a row is not an
        object, lacks a key of :attr:`REQUIRED` or holds a value of the wrong type. Keys written
        by newer versions are ignored.
        """
        hint = "write it with `influence predict DRAFTS --format json > FILE`"
        if not isinstance(data, Mapping):
            raise InputError(f"{source} is a {type(data).__name__}, not a prediction object — {hint}")
        missing = [k for k in cls.REQUIRED if k not in data]
        if missing:
            raise InputError(f"{source} has no {', '.join(repr(k) for k in missing)} — {hint}")
        if isinstance(data["id"], bool) or not isinstance(data["id"], str | int):
            raise InputError(f"{source}: 'id' holds {data['id']!r}, not a post id — {hint}")
        kwargs: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            value = data.get(name)
            if value is None:
                continue
            if name == "id":
                value = str(value)
            elif not cls._fits(name, value):
                raise InputError(f"{source}: {name!r} holds {value!r}, not what predict writes — {hint}")
            kwargs[name] = value
        return cls(**kwargs)

    @staticmethod
    def _fits(name: str, value: Any) -> bool:
        """Whether ``value`` has the type :class:`Prediction` keeps under ``name``."""
        if name in ("viral_probability", "viral_probability_overall", "predicted", "times_usual"):
            return isinstance(value, int | float) and not isinstance(value, bool)
        if name == "safe":
            return isinstance(value, bool)
        if name == "flag_details":
            return isinstance(value, list) and all(isinstance(v, Mapping) for v in value)
        if name in ("up", "down", "flags", "up_features", "down_features"):
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        return isinstance(value, str)


@dataclass
class PredictResult:
    """Predictions (ranked by what ranked best on the author-split evaluation, see
    :func:`rank_predictions`; errors last) and notices for the user."""

    predictions: list[Prediction]
    notices: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """Rows for :func:`influence.report.tables.render`."""
        return [p.as_dict() for p in self.predictions]


# ------------------------------------------------------------------------------- drafts


def read_drafts(path: Path) -> list[dict[str, Any]]:
    """Draft posts from a CSV or JSON file (a list of objects, or JSON Lines), or from
    gallery-dl sidecars / ``-j`` dumps (a directory, or a JSON file gallery-dl wrote).

    Values are returned as found; :func:`score_drafts` validates each row.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(
            f"{path} does not exist — pass a CSV/JSON file of draft posts or a gallery-dl folder"
        )
    if path.is_dir():
        return _gallery_dl_drafts(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        # the loaders' one CSV reader: Excel's sep= line, ; or tab, cp1252, mojibake, None/N/A
        # placeholders; a row it cannot split is kept as {"_raw": …} so scoring rejects it
        from influence.loaders.csv_input import read_dicts
        from influence.loaders.records import Reject

        drafts: list[dict[str, Any]] = []
        for item in read_dicts(path):
            if isinstance(item, Reject):
                if item.position == "file":
                    raise InputError(f"cannot read draft posts from {path}: {item.reason}")
                drafts.append({"_raw": {"position": item.position, "reason": item.reason, "cells": item.raw}})
            else:
                drafts.append(dict(item[1]))
        return drafts
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read draft posts from {path}: {e}") from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as e:
            raise InputError(f"{path} is neither CSV nor JSON / JSON Lines: {e}") from e
    if isinstance(data, dict):
        data = data.get("posts", [data])
    if isinstance(data, list) and data and isinstance(data[0], list):  # a gallery-dl -j dump
        return _gallery_dl_drafts(path)
    if not isinstance(data, list):
        raise InputError(f"{path} must hold a list of draft posts")
    return [r if isinstance(r, dict) else {"_raw": r} for r in data]


def _gallery_dl_drafts(path: Path) -> list[dict[str, Any]]:
    from influence.loaders import gallery_dl
    from influence.loaders.records import PostRecord, UserRecord

    users: dict[str, int | None] = {}
    posts: list[PostRecord] = []
    for record in gallery_dl.parse(path):
        if isinstance(record, UserRecord):
            users[record.id] = record.followers
        elif isinstance(record, PostRecord):
            posts.append(record)
    return [
        {
            "id": p.id,
            "author": p.author,
            "caption": p.caption if p.caption is not None else "",
            "hashtags": list(p.hashtags),
            "posted_at": p.posted_at,
            "media": p.media_path,
            "author_followers": users.get(p.author or ""),
            "type": p.type,
            "carousel_size": p.carousel_size,
        }
        for p in posts
    ]


def _hashtag_list(value: Any, caption: str) -> list[str]:
    if isinstance(value, str):
        items: Iterable[Any] = [t for t in value.replace(",", " ").replace(";", " ").split()]
    elif isinstance(value, list | tuple):
        items = value
    elif value is None or (isinstance(value, float) and math.isnan(value)):
        items = []
    else:
        raise ValueError(f"hashtags must be a list or a space-separated string, got {type(value).__name__}")
    tags = [textmod.normalise_hashtag(str(t)) for t in items]
    return list(dict.fromkeys([t for t in tags if t] + textmod.extract_hashtags(caption)))


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff")


def _check_image(path: str) -> None:
    if not path.lower().endswith(IMAGE_SUFFIXES):
        return  # videos and other media are not decoded here
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im.verify()
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as e:
        raise ValueError(f"media file {path} is not a readable image: {e}") from e


#: A platform-prefixed id the loaders create (``reddit:r/pics``, ``id:123``): kept as it is.
PREFIXED_ID = re.compile(r"[a-z][a-z0-9_-]{0,15}:[^\s]{1,200}")


def _author_id(author: Any) -> str:
    if _blank(author):
        raise ValueError(
            "author is missing — give the account's username (for an account not in the graph, "
            "also its author_followers)"
        )
    if isinstance(author, bool) or not isinstance(author, str | int):
        raise ValueError(f"author must be a username or an account id, got {type(author).__name__}")
    text = str(author).strip()
    if PREFIXED_ID.fullmatch(text):
        return text
    # an Instagram username as every loader keys it ('@Some.User' -> 'some.user'), else a
    # follow-graph node id as `load follows` / `load csv` keys it (numeric ids, GML labels)
    from influence.loaders.csv_input import node_id

    author_id = textmod.normalise_username(text) or node_id(text)
    if author_id is None:
        raise ValueError(f"author {str(author)[:80]!r} is not a username or an account id")
    return author_id


def _optional_count(row: Mapping[str, Any], key: str) -> float:
    value = row.get(key)
    if _blank(value):
        return np.nan
    try:
        n = values.to_count(value)
    except ValueError as e:
        raise ValueError(f"{key} must be a whole number ≥ 0 ({e})") from e
    return float(n) if n is not None else np.nan


def validate_draft(row: Mapping[str, Any], position: int) -> dict[str, Any]:
    """One draft as a raw post row (``features_posts`` columns + the draft author columns).

    Raises :class:`ValueError` with the reason when the row cannot be scored.
    """
    if not isinstance(row, Mapping) or "_raw" in row:
        raise ValueError(f"row {position} is not an object with the draft columns")
    pid = row.get("id")
    if _blank(pid):
        raise ValueError("id is missing")
    caption = row.get("caption")
    if _blank(caption):
        caption = ""  # a post without a caption is a real post (1.6 % of the crawl's): scored on the rest
    if not isinstance(caption, str):
        raise ValueError(f"caption must be text, got {type(caption).__name__}")
    author_id = _author_id(row.get("author"))
    posted = row.get("posted_at")
    posted_at = values.to_datetime(None if _blank(posted) else posted)
    verified_raw = row.get("author_verified")
    try:
        verified = None if _blank(verified_raw) else values.to_bool(verified_raw)
    except ValueError as e:
        raise ValueError(f"author_verified must be true or false ({e})") from e
    media = row.get("media")
    if not _blank(media):
        if not isinstance(media, str):
            raise ValueError(f"media must be a file path, got {type(media).__name__}")
        if not Path(media).is_file():
            raise ValueError(f"media file {media} does not exist")
        _check_image(media)
    kind = row.get("type")
    region = row.get("region")
    return {
        "id": str(pid).strip(),
        "author": author_id,
        "postedAt": posted_at.timestamp() if posted_at is not None else np.nan,
        # a draft without a type is a single image, the commonest post (and what a crawl without
        # types was trained on); "no type at all" is a combination no training post had
        "caption": caption,
        "type": kind.strip().lower() if isinstance(kind, str) and kind.strip() else "image",
        "carouselSize": row.get("carousel_size"),
        "language": textmod.detect_language(caption),
        "mediaPath": media if isinstance(media, str) and media.strip() else None,
        "likes": None,
        "comments": None,
        "views": None,
        "shares": None,
        "hashtags": _hashtag_list(row.get("hashtags"), caption),
        "mentions": len(textmod.extract_mentions(caption)),
        "author_followers": _optional_count(row, "author_followers"),
        "author_following": _optional_count(row, "author_following"),
        "author_posts": _optional_count(row, "author_posts"),
        "author_verified": verified,
        "region": str(region).strip() if not _blank(region) else None,
    }


# ------------------------------------------------------------------------------ scoring


def _reason(name: str, value: float) -> str:
    return f"{name} ({value:+.2f})"


@dataclass
class Explanation:
    """Per-row reasons: plain names with their contribution, and the internal names."""

    up: list[list[str]]
    down: list[list[str]]
    up_features: list[list[str]]
    down_features: list[list[str]]


def explain(contribs: np.ndarray, names: Sequence[str], k: int = TOP_REASONS) -> Explanation:
    """Top ``k`` features pushing each row up and down, from SHAP contributions (log-odds).

    ``contribs`` has one column per feature plus the bias. Features that share a plain name
    (:func:`influence.models.catalogue.plain_name`: the FastRP dimensions, a hashtag mean and
    max, …) are summed into one reason, so a reader sees "account's position in the network
    (embedding)" once rather than 64 meaningless dimensions.
    """
    c = contribs[:, : len(names)]
    groups: dict[str, list[int]] = {}
    internal: dict[str, str] = {}
    for i, n in enumerate(names):
        plain = catalogue.plain_name(n)
        groups.setdefault(plain, []).append(i)
        internal.setdefault(plain, "emb_*" if n.startswith("emb_") else n)
    labels = list(groups)
    grouped = np.column_stack([c[:, idx].sum(axis=1) for idx in groups.values()]) if labels else c
    # one sort for the whole matrix, not one per row
    order = np.argsort(-grouped, axis=1, kind="stable")
    top = order[:, :k]
    bottom = order[:, ::-1][:, :k]
    top_v = np.take_along_axis(grouped, top, axis=1).tolist()
    bottom_v = np.take_along_axis(grouped, bottom, axis=1).tolist()
    out = Explanation([], [], [], [])
    for js, vs in zip(top.tolist(), top_v, strict=True):
        keep = [(labels[j], v) for j, v in zip(js, vs, strict=True) if v > 1e-6]
        out.up.append([_reason(n, v) for n, v in keep])
        out.up_features.append([internal[n] for n, _ in keep])
    for js, vs in zip(bottom.tolist(), bottom_v, strict=True):
        keep = [(labels[j], v) for j, v in zip(js, vs, strict=True) if v < -1e-6]
        out.down.append([_reason(n, v) for n, v in keep])
        out.down_features.append([internal[n] for n, _ in keep])
    return out


#: Below this many rows prediction runs on one thread: OpenMP start-up and spinning cost more
#: than they save on a few rows, and much more on a busy machine.
PARALLEL_ROWS = 2000


def _threads(rows: int) -> int:
    return 2 if rows >= PARALLEL_ROWS else 1


def _matrix(frame: pd.DataFrame, names: Sequence[str]) -> xgb.DMatrix:
    x = frame.reindex(columns=list(names)).to_numpy(dtype=float)
    return xgb.DMatrix(x, feature_names=list(names), missing=np.nan, nthread=_threads(len(x)))


def load_policy(path: Path | None) -> Any:
    """The brand-safety policy in ``path`` (or the shipped default), via :mod:`influence.safety.policy`."""
    if path is None:
        return _default_policy()
    return importlib.import_module("influence.safety.policy").load_policy(path)


@functools.cache
def _default_policy() -> Any:
    # parsed and compiled once per process: a one-post prediction should not pay for it
    return importlib.import_module("influence.safety.policy").load_policy(None)


def _safety(
    captions: Sequence[str],
    hashtags: Sequence[list[str]],
    policy: Any,
    sentiments: Sequence[float] | None,
    media: Sequence[Any] | None = None,
) -> list[tuple[bool, list[str], list[dict[str, Any]]]]:
    safety = importlib.import_module("influence.safety.checks")
    if policy is None:
        policy = _default_policy()
    results = safety.check_safety(
        list(captions), [list(h) for h in hashtags], policy, sentiments=sentiments, media=media
    )
    return [(bool(r.safe), list(r.flags), [d.as_dict() for d in r.details]) for r in results]


#: Rows per chunk when scoring many posts: the boosters and SHAP of one chunk run in a worker
#: thread (XGBoost releases the GIL; SHAP is most of its time) while the main thread computes
#: the next chunk's features and this chunk's safety check.
CHUNK_ROWS = 2000


def _boost(m: SituationModel, x: pd.DataFrame, explained: bool = True) -> dict[str, np.ndarray]:
    """Regressor output and, when ``explained``, probabilities and SHAP contributions of one situation."""
    dm = _matrix(x, m.features)
    out = {"value": m.regressor.predict(dm, iteration_range=best_iteration_range(m.regressor))}
    if not explained:  # own drafts: only its value ("× usual") is shown
        return out
    raw = m.classifier.predict(dm, iteration_range=best_iteration_range(m.classifier))
    out["probability"] = apply_platt(raw, m.calibration)  # calibrated on authors held out of training
    if explained:
        out["contribs"] = m.classifier.predict(
            dm, pred_contribs=True, iteration_range=best_iteration_range(m.classifier)
        )
    if m.overall is not None:
        out["overall"] = m.overall.predict(dm, iteration_range=best_iteration_range(m.overall))
    return out


def _boost_all(model: SavedModel, x: pd.DataFrame, basis: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Each situation's outputs on the rows it scores (own drafts: the known-author rows)."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for name, rows in (
        ("known_author", basis == "known_author"),
        ("new_author", basis == "new_author"),
        ("own_drafts", basis == "known_author"),
    ):
        if rows.any() and name in model.situations:
            # own drafts only gives "× usual": its reasons are not shown, so no SHAP for it
            out[name] = {
                "rows": np.flatnonzero(rows),
                **_boost(
                    model.situations[name], x.iloc[np.flatnonzero(rows)], explained=name != "own_drafts"
                ),
            }
    return out


def choose_basis(model: SavedModel, x: pd.DataFrame) -> np.ndarray:
    """``known_author`` for rows whose author has earlier posts with a known engagement (and a
    model for that situation), else ``new_author``."""
    known = (x["author_past_posts"].to_numpy(dtype=float) > 0) & x["author_past_median"].notna().to_numpy()
    if "known_author" not in model.situations:
        known[:] = False
    if "new_author" not in model.situations:
        known[:] = True
    return np.where(known, "known_author", "new_author")


def _notices(good: pd.DataFrame, known: set[str]) -> list[str]:
    notices = []
    for pos, author in enumerate(good["author"].tolist()):
        if author is None or author not in known:
            given = good["author_followers"].iloc[pos] if "author_followers" in good.columns else np.nan
            who = f"author {author!r}" if author else "no author"
            how = (
                "its author_followers"
                if given == given and given is not None
                else "its content alone (no author_followers)"
            )
            notices.append(
                f"post {good['id'].iloc[pos]}: {who} is not in the graph — scored as a new author from {how}"
            )
    return notices


def _log_ratio(m: SituationModel, value: np.ndarray) -> np.ndarray:
    """The own-drafts model's output as log(engagement ÷ the author's usual)."""
    if m.target == "rank" and m.ratio is not None:
        out: np.ndarray = float(m.ratio.get("intercept", 0.0)) + float(
            m.ratio.get("slope", 0.0)
        ) * np.asarray(value)
        return out
    return np.asarray(value, dtype=float)


BASELINE_WORDS = {
    "followers": "follower count",
    "author_median": "the account's usual (median) engagement",
    "early_engagement": "engagement so far",
    "early_vs_usual": "engagement so far ÷ the account's usual",
}
SITUATION_WORDS = {"known_author": "known accounts", "new_author": "new accounts"}


def _level(p: Prediction, info: Mapping[str, Any], rank_by: str, fit: Mapping[str, float] | None) -> float:
    """The row's place on the log-engagement scale under ``rank_by``."""
    if (
        rank_by == "author_median"
        and info.get("usual") == info.get("usual")
        and info.get("usual") is not None
    ):
        return float(info["usual"])
    seen = info.get("seen")
    if rank_by in ("early_engagement", "early_vs_usual") and seen is not None and seen == seen:
        usual = info.get("usual")
        if rank_by == "early_vs_usual" and usual is not None and usual == usual:
            return float(seen) - float(usual)
        return float(seen)
    if rank_by == "followers" and fit:
        f = info.get("followers_log", math.nan)
        f = float(fit.get("fill", 0.0)) if f is None or f != f else float(f)
        return float(fit.get("intercept", 0.0)) + float(fit.get("slope", 0.0)) * f
    return float(np.log1p(p.predicted or 0.0))


def _rematch(keys: np.ndarray, members: list[int], order_by: np.ndarray, tiebreak: np.ndarray) -> None:
    """Give ``members`` their own key values, re-dealt in the order of ``order_by`` (highest
    first): the group keeps its places in the batch, ``order_by`` decides who takes which
    (``tiebreak`` records that order for members left with equal keys)."""
    values = np.sort(keys[members])[::-1]
    ranked = [members[i] for i in np.argsort(-order_by, kind="stable")]
    keys[ranked] = values
    tiebreak[ranked] = np.arange(len(ranked))


def rank_predictions(
    preds: list[Prediction], info: list[Mapping[str, Any]], verdicts: Mapping[str, Mapping[str, Any]]
) -> list[Prediction]:
    """Order scored rows by what ranked best on the author-split evaluation (``verdicts`` of
    ``model.json``) and say on a row when the model cannot beat its baseline.

    Each situation ranks by its verdict's ``rank_by``: the model's ``predicted`` engagement, its
    ``viral_probability``, or the baseline it could not beat (follower count, the account's
    usual). One account's drafts are then put in the order of the own-drafts ranker when it
    beats chance (``times_usual``); otherwise they keep the situation's order and the row says
    the model cannot tell them apart. A model without verdicts (older) ranks by probability.
    """
    if not preds:
        return preds
    if not verdicts:
        return sorted(preds, key=lambda p: -(p.viral_probability or 0.0))
    keys = np.zeros(len(preds))
    tiebreak = np.zeros(len(preds))
    for i, p in enumerate(preds):
        v = verdicts.get(p.basis or "", {})
        rank_by = str(v.get("rank_by") or "predicted")
        p.rank_by = rank_by
        keys[i] = _level(p, info[i], rank_by, v.get("baseline_fit"))
        if v and not v.get("beats_baseline", True):
            words = BASELINE_WORDS.get(rank_by, rank_by)
            p.note = (
                f"the model does not beat {words} for {SITUATION_WORDS.get(p.basis or '', 'these posts')} "
                f"({v.get('figure', math.nan):.2f} vs {v.get('baseline_figure', math.nan):.2f}): ranked by {words}"
            )
    for basis in {
        p.basis for p in preds
    }:  # a probability ranks within its situation, on its engagement scale
        members = [i for i, p in enumerate(preds) if p.basis == basis and p.rank_by == "viral_probability"]
        if len(members) > 1:
            _rematch(keys, members, np.array([preds[i].viral_probability or 0.0 for i in members]), tiebreak)
    drafts = verdicts.get("own_drafts", {})
    by_author: dict[Any, list[int]] = {}
    for i, p in enumerate(preds):
        if p.basis == "known_author" and info[i].get("author") is not None:
            by_author.setdefault(info[i]["author"], []).append(i)
    for members in by_author.values():
        if len(members) < 2:
            continue
        if drafts.get("beats_baseline") and all("draft_score" in info[i] for i in members):
            _rematch(keys, members, np.array([info[i]["draft_score"] for i in members]), tiebreak)
            for i in members:
                preds[i].rank_by = f"{preds[i].rank_by}+times_usual"
        elif drafts:
            for i in members:
                extra = (
                    f"cannot tell this account's drafts apart better than chance on this data "
                    f"({drafts.get('figure', math.nan):.2f} of pairs right)"
                )
                preds[i].note = f"{preds[i].note}; {extra}" if preds[i].note else extra
    order = np.lexsort((tiebreak, -keys))  # by key, then the order the group was re-dealt in
    return [preds[i] for i in order]


def score_frame(  # noqa: C901 — split by issue 21's tidy-up
    driver: Driver,
    model: SavedModel,
    posts: pd.DataFrame,
    errors: Mapping[int, str],
    *,
    policy: Any = None,
    safe_only: bool = False,
    database: str | None = None,
    in_graph: bool = False,
    region: str | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> PredictResult:
    """Score raw post rows (``features_posts`` columns); rows in ``errors`` are not scored.
    ``on_rows`` gets the number of rows of each chunk once it is scored.

    ``region`` (``predict --region``) puts every post in that group of the criteria's scope.
    """
    spec = feat.FeatureSpec.from_dict(model.meta.spec)
    notices: list[str] = []
    errors = dict(errors)
    ok = [i for i in range(len(posts)) if i not in errors]
    good = posts.iloc[ok].reset_index(drop=True)
    if region is not None:
        if spec.scope == "global":
            raise InputError(
                '--region needs a model trained with a scope (scope = "country", "language" or '
                '"community" in the criteria file); this model\'s scope is global'
            )
        good = good.assign(region=region)
        if spec.regions and region not in spec.regions:
            notices.append(
                f"region {region!r} was too small or absent in training (known: {', '.join(spec.regions)}) "
                "— its posts are scored like posts of an unknown region"
            )
    preds: dict[int, Prediction] = {}
    ranking: dict[int, dict[str, Any]] = {}  # row -> what ordering needs (author, usual, ranker score)
    if len(good):
        authors_ids = good["author"].dropna().unique().tolist()
        authors = graphread.read_authors(driver, authors_ids, database)
        notices += _notices(good, set(authors["id"]))
        versions = set(authors["embeddingVersion"].dropna().astype(str)) if not authors.empty else set()
        if (
            spec.embedding_dim
            and spec.embedding_version is not None
            and versions
            and versions != {str(spec.embedding_version)}
        ):
            notices.append(
                f"the graph's author embeddings (version {', '.join(sorted(versions))}) are not the ones the model "
                f"was trained with ({spec.embedding_version}) — FastRP is not reproducible: retrain with `influence train`"
            )
        tags = graphread.read_hashtags(driver, {t for ts in good["hashtags"] for t in ts}, database)
        if in_graph:  # the graph's counts include the post itself
            tags = tags.assign(uses=(pd.to_numeric(tags["uses"]) - 1).clip(lower=0))
        history = graphread.read_author_history(driver, authors_ids, database)
        observations = (
            graphread.read_observations(driver, good["id"], database) if spec.mode == "early" else None
        )
        good = good.assign(scope_key=feat.scope_keys(good, authors, spec.scope).to_numpy())
        # the author's earlier posts, once for every post (not once per chunk)
        context = feat.author_history_block(good, history, spec.weights)
        if policy is None:
            policy = _default_policy()
        chunked = len(good) > CHUNK_ROWS
        # pipelined chunks run the boosters on one thread beside the main one; a single chunk
        # uses both cores only when it is big enough to repay OpenMP's start-up
        threads = 1 if chunked else _threads(len(good))
        for m in model.situations.values():
            for booster in (m.classifier, m.regressor, m.overall):
                if booster is not None:
                    booster.set_param({"nthread": threads})
        ids = good["id"].tolist()
        authors_of = good["author"].tolist()
        captions = good["caption"].fillna("").tolist()
        hashtags = good["hashtags"].tolist()
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = []
            for start in range(0, len(good), CHUNK_ROWS):
                part = good.iloc[start : start + CHUNK_ROWS]
                x, media_errors = feat.assemble(part, authors, tags, spec, observations=observations)
                x = pd.concat([x, context.iloc[start : start + len(part)].reset_index(drop=True)], axis=1)
                for pos, msg in media_errors.items():
                    errors[ok[start + pos]] = msg
                keep = [p for p in range(len(part)) if p not in media_errors]
                if not keep:
                    continue
                x = x.iloc[keep].reset_index(drop=True)
                basis = choose_basis(model, x)
                rows = [start + p for p in keep]
                future = pool.submit(_boost_all, model, x, basis)
                sentiments = x["sentiment_compound"].tolist() if "sentiment_compound" in x.columns else None
                media = part["mediaPath"].iloc[keep].tolist() if "mediaPath" in part.columns else None
                safety = _safety(
                    [captions[p] for p in rows], [hashtags[p] for p in rows], policy, sentiments, media
                )
                usual = x["author_past_median"].to_numpy(dtype=float)
                # early mode predicts the growth after the first hours: the engagement seen is added back
                seen = (
                    x["early_engagement_log"].to_numpy(dtype=float)
                    if spec.mode == "early" and "early_engagement_log" in x.columns
                    else np.zeros(len(x))
                )
                followers_log = (
                    x["author_followers_log"].to_numpy(dtype=float)
                    if "author_followers_log" in x.columns
                    else np.full(len(x), np.nan)
                )
                keys = part["scope_key"].iloc[keep].tolist()
                pending.append((rows, future, safety, basis, usual, keys, followers_log, seen))
            for rows, future, safety, basis, usual, keys, followers_log, seen in pending:
                outs = future.result()
                for p in rows:
                    ranking.setdefault(ok[p], {})
                scored: dict[int, dict[str, Any]] = {j: {} for j in range(len(rows))}
                for name, o in outs.items():
                    if name == "own_drafts":
                        log_ratio = _log_ratio(model.situations[name], o["value"])
                        for k, j in enumerate(o["rows"].tolist()):
                            scored[j]["times_usual"] = float(np.exp(log_ratio[k]))
                            ranking[ok[rows[j]]]["draft_score"] = float(o["value"][k])
                        continue
                    why = explain(o["contribs"], model.situations[name].features)
                    for k, j in enumerate(o["rows"].tolist()):
                        relative = model.situations[name].target == "relative_target"
                        log_value = (
                            float(o["value"][k])
                            + (usual[j] if relative else 0.0)
                            + float(np.nan_to_num(seen[j]))
                        )
                        scored[j].update(
                            viral_probability=float(o["probability"][k]),
                            viral_probability_overall=float(o["overall"][k]) if "overall" in o else None,
                            predicted=float(max(np.expm1(log_value), 0.0)),
                            up=why.up[k],
                            down=why.down[k],
                            up_features=why.up_features[k],
                            down_features=why.down_features[k],
                        )
                for j, p in enumerate(rows):
                    ranking[ok[p]].update(
                        author=authors_of[p],
                        usual=float(usual[j]),
                        followers_log=float(followers_log[j]),
                        seen=float(seen[j]),
                    )
                    safe, flags, details = safety[j]
                    key = keys[j]
                    preds[ok[p]] = Prediction(
                        id=str(ids[p]),
                        basis=str(basis[j]),
                        region=str(key) if isinstance(key, str) else None,
                        safe=bool(safe),
                        flags=list(flags),
                        flag_details=details,
                        **scored[j],
                    )
                if on_rows is not None:
                    on_rows(len(rows))
    for pos, msg in errors.items():
        pid = posts["id"].iloc[pos] if "id" in posts.columns and pos < len(posts) else None
        preds[pos] = Prediction(
            id=str(pid) if pid is not None and pid == pid else f"row {pos + 1}", error=msg
        )
    kept = [i for i in sorted(preds) if preds[i].error is None and (preds[i].safe or not safe_only)]
    scored_preds = rank_predictions(
        [preds[i] for i in kept], [ranking.get(i, {}) for i in kept], model.meta.verdicts
    )
    failed = [preds[i] for i in sorted(preds) if preds[i].error is not None]
    return PredictResult(predictions=scored_preds + failed, notices=notices)


def score_drafts(
    driver: Driver,
    model: SavedModel,
    drafts: Sequence[Mapping[str, Any]],
    *,
    policy: Any = None,
    safe_only: bool = False,
    database: str | None = None,
    region: str | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> PredictResult:
    """Score draft posts (not in the graph); each bad row gets its own error. ``on_rows`` is
    called with the number of posts of each chunk scored (a progress bar counts them)."""
    rows: list[dict[str, Any]] = []
    errors: dict[int, str] = {}
    for i, raw in enumerate(drafts):
        try:
            rows.append(validate_draft(raw, i + 1))
        except ValueError as e:
            errors[i] = str(e)
            pid = raw.get("id") if isinstance(raw, Mapping) else None
            rows.append({"id": pid if not _blank(pid) else f"row {i + 1}"})
    posts = pd.DataFrame(rows, columns=[*graphread.POST_COLUMNS, *feat.DRAFT_AUTHOR_COLUMNS, "region"])
    return score_frame(
        driver,
        model,
        posts,
        errors,
        policy=policy,
        safe_only=safe_only,
        database=database,
        region=region,
        on_rows=on_rows,
    )


def score_post_ids(
    driver: Driver,
    model: SavedModel,
    ids: Sequence[str],
    *,
    policy: Any = None,
    safe_only: bool = False,
    database: str | None = None,
    region: str | None = None,
) -> PredictResult:
    """Score posts that are in the graph; an unknown id gets an error row."""
    found = graphread.read_posts(driver, ids, database)
    by_id = {r["id"]: r for r in found.to_dict(orient="records")}
    rows: list[dict[str, Any]] = []
    errors: dict[int, str] = {}
    for i, pid in enumerate(ids):
        if pid in by_id:
            row = by_id[pid]
            if _blank(row.get("caption")):
                row = {**row, "caption": ""}
            rows.append(row)
        else:
            errors[i] = f"no post with id {pid!r} in the graph"
            rows.append({"id": pid, "hashtags": []})
    posts = pd.DataFrame(rows, columns=graphread.POST_COLUMNS)
    posts["hashtags"] = [h if isinstance(h, list) else [] for h in posts["hashtags"]]
    return score_frame(
        driver,
        model,
        posts,
        errors,
        policy=policy,
        safe_only=safe_only,
        database=database,
        in_graph=True,
        region=region,
    )
