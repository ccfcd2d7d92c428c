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
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from influence.errors import InputError
from influence.models import features as feat
from influence.models import graphread
from influence.models.drafts import DRAFT_COLUMNS as DRAFT_COLUMNS
from influence.models.drafts import blank
from influence.models.drafts import read_drafts as read_drafts
from influence.models.drafts import validate_draft as validate_draft
from influence.models.prediction import Prediction as Prediction
from influence.models.ranking import rank_predictions as rank_predictions
from influence.models.scoring import TOP_REASONS as TOP_REASONS
from influence.models.scoring import Explanation as Explanation
from influence.models.scoring import boost_all, choose_basis, log_ratio, threads_for
from influence.models.scoring import explain as explain
from influence.models.store import SavedModel

if TYPE_CHECKING:
    from neo4j import Driver

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


@dataclass
class PredictResult:
    """Predictions (ranked by what ranked best on the author-split evaluation, see
    :func:`rank_predictions`; errors last) and notices for the user."""

    predictions: list[Prediction]
    notices: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """Rows for :func:`influence.report.tables.render`."""
        return [p.as_dict() for p in self.predictions]


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


@dataclass
class _GraphContext:
    """What a batch reads from the graph once (not once per chunk)."""

    authors: pd.DataFrame
    tags: pd.DataFrame
    history: pd.DataFrame  # the authors' earlier posts as features (author_history_block)
    observations: pd.DataFrame | None


def _with_region(
    good: pd.DataFrame, spec: feat.FeatureSpec, region: str | None, notices: list[str]
) -> pd.DataFrame:
    if region is None:
        return good
    if spec.scope == "global":
        raise InputError(
            '--region needs a model trained with a scope (scope = "country", "language" or '
            '"community" in the criteria file); this model\'s scope is global'
        )
    if spec.regions and region not in spec.regions:
        notices.append(
            f"region {region!r} was too small or absent in training (known: {', '.join(spec.regions)}) "
            "— its posts are scored like posts of an unknown region"
        )
    return good.assign(region=region)


def _read_context(
    driver: Driver,
    good: pd.DataFrame,
    spec: feat.FeatureSpec,
    database: str | None,
    in_graph: bool,
    notices: list[str],
) -> tuple[pd.DataFrame, _GraphContext]:
    """The graph's authors, hashtags, author histories (and early observations) of ``good``;
    ``good`` gains its ``scope_key``."""
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
    observations = graphread.read_observations(driver, good["id"], database) if spec.mode == "early" else None
    good = good.assign(scope_key=feat.scope_keys(good, authors, spec.scope).to_numpy())
    # the author's earlier posts, once for every post (not once per chunk)
    context = feat.author_history_block(good, history, spec.weights)
    return good, _GraphContext(authors, tags, context, observations)


def _set_threads(model: SavedModel, threads: int) -> None:
    for m in model.situations.values():
        for booster in (m.classifier, m.regressor, m.overall):
            if booster is not None:
                booster.set_param({"nthread": threads})


def _column(x: pd.DataFrame, name: str, fill: float) -> np.ndarray:
    return x[name].to_numpy(dtype=float) if name in x.columns else np.full(len(x), fill)


@dataclass
class _Chunk:
    """One chunk on its way: rows (positions in ``good``), the boosters' future, safety verdicts
    and what the outputs are turned into values and ranked with."""

    rows: list[int]
    future: Future[dict[str, dict[str, np.ndarray]]]
    safety: list[tuple[bool, list[str], list[dict[str, Any]]]]
    basis: np.ndarray
    usual: np.ndarray
    keys: list[Any]
    followers_log: np.ndarray
    seen: np.ndarray


def _start_chunk(
    pool: ThreadPoolExecutor,
    model: SavedModel,
    spec: feat.FeatureSpec,
    good: pd.DataFrame,
    ctx: _GraphContext,
    start: int,
    policy: Any,
    media_errors_out: dict[int, str],
) -> _Chunk | None:
    """Features of rows ``start`` … of ``good``, boosters submitted to ``pool``, safety checked
    here meanwhile; a row whose media cannot be used goes to ``media_errors_out`` (by position)."""
    part = good.iloc[start : start + CHUNK_ROWS]
    x, media_errors = feat.assemble(part, ctx.authors, ctx.tags, spec, observations=ctx.observations)
    x = pd.concat([x, ctx.history.iloc[start : start + len(part)].reset_index(drop=True)], axis=1)
    for pos, msg in media_errors.items():
        media_errors_out[start + pos] = msg
    keep = [p for p in range(len(part)) if p not in media_errors]
    if not keep:
        return None
    x = x.iloc[keep].reset_index(drop=True)
    basis = choose_basis(model, x)
    future = pool.submit(boost_all, model, x, basis)
    kept = part.iloc[keep]
    sentiments = x["sentiment_compound"].tolist() if "sentiment_compound" in x.columns else None
    media = kept["mediaPath"].tolist() if "mediaPath" in part.columns else None
    safety = _safety(
        kept["caption"].fillna("").tolist(), kept["hashtags"].tolist(), policy, sentiments, media
    )
    # early mode predicts the growth after the first hours: the engagement seen is added back
    seen = _column(x, "early_engagement_log", 0.0) if spec.mode == "early" else np.zeros(len(x))
    return _Chunk(
        rows=[start + p for p in keep],
        future=future,
        safety=safety,
        basis=basis,
        usual=x["author_past_median"].to_numpy(dtype=float),
        keys=kept["scope_key"].tolist(),
        followers_log=_column(x, "author_followers_log", np.nan),
        seen=seen,
    )


def _outputs(model: SavedModel, chunk: _Chunk) -> tuple[list[dict[str, Any]], dict[int, float]]:
    """The boosters' outputs of ``chunk`` as Prediction fields per row, and the own-drafts
    ranker's score by row (within the chunk)."""
    outs = chunk.future.result()
    scored: list[dict[str, Any]] = [{} for _ in chunk.rows]
    draft_score: dict[int, float] = {}
    seen = np.nan_to_num(chunk.seen)
    for name, o in outs.items():
        situation = model.situations[name]
        rows = o["rows"].tolist()
        if name == "own_drafts":
            times = np.exp(log_ratio(situation, o["value"])).tolist()
            for k, j in enumerate(rows):
                scored[j]["times_usual"] = float(times[k])
                draft_score[j] = float(o["value"][k])
            continue
        why = explain(o["contribs"], situation.features)
        relative = situation.target == "relative_target"
        values = o["value"].tolist()
        probability = o["probability"].tolist()
        overall = o["overall"].tolist() if "overall" in o else None
        for k, j in enumerate(rows):
            log_value = float(values[k]) + (chunk.usual[j] if relative else 0.0) + float(seen[j])
            scored[j].update(
                viral_probability=float(probability[k]),
                viral_probability_overall=float(overall[k]) if overall is not None else None,
                predicted=float(max(np.expm1(log_value), 0.0)),
                up=why.up[k],
                down=why.down[k],
                up_features=why.up_features[k],
                down_features=why.down_features[k],
            )
    return scored, draft_score


def _finish_chunk(
    model: SavedModel,
    chunk: _Chunk,
    good: pd.DataFrame,
    ok: list[int],
    preds: dict[int, Prediction],
    ranking: dict[int, dict[str, Any]],
) -> None:
    scored, draft_score = _outputs(model, chunk)
    ids = good["id"].iloc[chunk.rows].tolist()
    authors_of = good["author"].iloc[chunk.rows].tolist()
    for j, p in enumerate(chunk.rows):
        info: dict[str, Any] = {} if j not in draft_score else {"draft_score": draft_score[j]}
        info.update(
            author=authors_of[j],
            usual=float(chunk.usual[j]),
            followers_log=float(chunk.followers_log[j]),
            seen=float(chunk.seen[j]),
        )
        ranking[ok[p]] = info
        safe, flags, details = chunk.safety[j]
        key = chunk.keys[j]
        preds[ok[p]] = Prediction(
            id=str(ids[j]),
            basis=str(chunk.basis[j]),
            region=str(key) if isinstance(key, str) else None,
            safe=bool(safe),
            flags=list(flags),
            flag_details=details,
            **scored[j],
        )


def score_frame(
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
    good = _with_region(posts.iloc[ok].reset_index(drop=True), spec, region, notices)
    preds: dict[int, Prediction] = {}
    ranking: dict[int, dict[str, Any]] = {}  # row -> what ordering needs (author, usual, ranker score)
    if len(good):
        good, ctx = _read_context(driver, good, spec, database, in_graph, notices)
        # pipelined chunks run the boosters on one thread beside the main one; a single chunk
        # uses both cores only when it is big enough to repay OpenMP's start-up
        _set_threads(model, 1 if len(good) > CHUNK_ROWS else threads_for(len(good)))
        media_errors: dict[int, str] = {}
        policy = policy if policy is not None else _default_policy()
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = [
                _start_chunk(pool, model, spec, good, ctx, start, policy, media_errors)
                for start in range(0, len(good), CHUNK_ROWS)
            ]
            for chunk in pending:
                if chunk is None:
                    continue
                _finish_chunk(model, chunk, good, ok, preds, ranking)
                if on_rows is not None:
                    on_rows(len(chunk.rows))
        errors.update({ok[pos]: msg for pos, msg in media_errors.items()})
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
            rows.append({"id": pid if not blank(pid) else f"row {i + 1}"})
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
    found = graphread.read_posts(driver, ids, database).drop_duplicates("id", keep="last")
    at = dict(zip(found["id"].tolist(), range(len(found)), strict=True))
    take = [at.get(pid, -1) for pid in ids]
    errors = {
        i: f"no post with id {pid!r} in the graph"
        for i, (pid, k) in enumerate(zip(ids, take, strict=True))
        if k < 0
    }
    if errors:  # rows of unknown ids: their id and no hashtags, nothing else
        rows = [
            found.iloc[k].to_dict() if k >= 0 else {"id": pid, "hashtags": []}
            for pid, k in zip(ids, take, strict=True)
        ]
        posts = pd.DataFrame(rows, columns=graphread.POST_COLUMNS)
    else:  # the usual case: every id found, rows taken in bulk
        posts = found.iloc[take].reset_index(drop=True).reindex(columns=graphread.POST_COLUMNS)
    posts["caption"] = ["" if blank(c) else c for c in posts["caption"].tolist()]
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
