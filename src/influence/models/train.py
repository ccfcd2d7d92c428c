"""Training the virality predictor: three situations, two splits, honest baselines (pure: frames
in, boosters and figures out; no database, no printing except through ``progress``).

The frame (:class:`influence.models.pipeline.TrainingData`) has one row per labelled post with
the features and ``posted_at`` (epoch s), ``author``, ``target`` (``log1p`` of the label value),
``viral`` (0/1), ``followers``, ``engagement_log``, ``author_past_median``, ``author_past_posts``,
``relative_target`` and optionally ``viral_overall``.

**Situations** (:data:`SITUATIONS`) — a marketer scores a post in one of three:

* ``known_author`` — the author is in the graph with earlier posts: every feature, including
  the author's place in the graph and history; trained on posts whose author had earlier posts;
* ``new_author`` — the author is not in the graph (or has no earlier post): only what a draft can
  carry (the author's public counts, content, media, hashtags' graph features, timing);
* ``own_drafts`` — which of an author's drafts will do better: a learning-to-rank booster
  (:data:`RANKER_PARAMS`, ``rank:pairwise`` with the author as the query group) over what
  differs between one author's drafts (the post against the author's habits,
  :mod:`influence.models.history`, content, hashtags, timing — no ``author_*`` feature),
  early-stopped on the within-author pairwise accuracy of held-out authors; a line fitted on
  held-out rows maps its score to the log ratio to the author's usual (``times_usual``).

**Calibration** — every classifier's probability is Platt-scaled on out-of-fold probabilities
(:data:`CALIBRATION_FOLDS` folds of authors), never worse than the base rate on those rows.
**Verdicts** — :mod:`influence.models.verdicts` turns the author split into one sentence per
situation with a bootstrap-by-author interval. A booster that stops at fewer than
:data:`FEW_TREES` trees is listed in ``warnings``.

**Splits** — every situation is evaluated twice: *time* (the newest 20 % of posts are held out:
no future leaks into training) and *author* (20 % of the authors, chosen by a hash of their
id, are held out with all their posts: the model has never seen them). Two XGBoost models per
situation — a classifier for ``viral`` and a regressor for the situation's target — are trained
with fixed seeds and early stopping on a validation slice of the training part; the shipped
models are refitted on every row with the number of trees found on the time split.

**Baselines** — what a user would otherwise do, fitted on the same training rows and scored on
the same held-out rows: follower count alone, the author's own median engagement over earlier
posts (one-feature logistic / linear fits), and chance (ROC-AUC 0.5, pairwise 0.5). Figures:
ROC-AUC, PR-AUC, precision@k, Brier for the label; Spearman ρ and MAE on the target; pairwise
accuracy within an author (:func:`influence.models.evaluate.pairwise_accuracy`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LinearRegression, LogisticRegression

from influence.errors import ModelError
from influence.models import evaluate
from influence.models.history import RELATIVE_FEATURES

SEED = 42
REQUIRED = (
    "posted_at",
    "author",
    "target",
    "viral",
    "followers",
    "engagement_log",
    "author_past_median",
    "author_past_posts",
)
MIN_TRAIN = 20
MIN_TEST = 5

CLASSIFIER_PARAMS: dict[str, Any] = {
    "objective": "binary:logistic",
    "eval_metric": "logloss",
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.1,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 2.0,
    "lambda": 1.0,
    "seed": SEED,
    # one thread: on these sizes (tens of thousands of rows) a second OpenMP thread saves little,
    # and on a busy machine its spin-waiting made training 3-8 times slower (measured)
    "nthread": 1,
}
REGRESSOR_PARAMS: dict[str, Any] = {
    **CLASSIFIER_PARAMS,
    "objective": "reg:squarederror",
    "eval_metric": "mae",
}
#: The own-drafts ranker: learning to rank with the author as the query group (every pair of one
#: author's posts with different engagement is a training pair); early stopping on the
#: within-author pairwise accuracy of held-out authors.
RANKER_PARAMS: dict[str, Any] = {
    **{k: v for k, v in CLASSIFIER_PARAMS.items() if k != "eval_metric"},
    "objective": "rank:pairwise",
    "lambdarank_pair_method": "mean",
    "lambdarank_num_pair_per_sample": 8,
    "eta": 0.05,
    "max_depth": 3,
    "min_child_weight": 5.0,
    "disable_default_eval_metric": 1,
}
MAX_ROUNDS = 1000
EARLY_STOPPING = 50
#: A booster that early stopping keeps at fewer trees than this found almost nothing that held
#: on held-out data: ``train`` says so (it is never shipped in silence).
FEW_TREES = 10


@dataclass(frozen=True)
class Split:
    """Row positions of a time-ordered split; every test post is later than every train post."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    val_from: float  # first posted_at of the validation slice (epoch seconds)
    test_from: float  # first posted_at of the test slice

    def sizes(self) -> dict[str, int]:
        """Number of rows in each part."""
        return {"train": int(self.train.size), "val": int(self.val.size), "test": int(self.test.size)}


def time_split(
    posted_at: Sequence[float] | np.ndarray | pd.Series,
    test_fraction: float = 0.2,
    val_fraction: float = 0.15,
) -> Split:
    """Split rows by time: oldest → train, then validation, newest → test.

    Cut points are timestamps, so posts sharing a timestamp (day-precision dates) all land on
    the same side and each part is strictly later than the previous one.
    """
    t = np.asarray(posted_at, dtype=float)
    if np.isnan(t).any():
        raise ModelError(
            "some posts have no publication time — they cannot be placed in a time-ordered split"
        )
    if t.size == 0:
        raise ModelError("no labelled posts to split")
    test_from = float(np.quantile(t, 1.0 - test_fraction, method="higher"))
    if test_from <= t.min():
        raise ModelError(
            "all posts share one publication time, so there is no past to train on and no future to "
            "test on — load posts spanning more time"
        )
    before = t[t < test_from]
    val_from = float(np.quantile(before, 1.0 - val_fraction, method="higher"))
    if val_from <= before.min():
        val_from = float(before.max())  # too few distinct times: validate on the latest one
    order = np.arange(t.size)
    train = order[t < val_from]
    val = order[(t >= val_from) & (t < test_from)]
    test = order[t >= test_from]
    if train.size == 0 or val.size == 0:
        train = order[t < test_from]
        val = train  # degenerate: too few distinct times, validate in-sample
    return Split(train=train, val=val, test=test, val_from=val_from, test_from=test_from)


def author_split(
    authors: Sequence[Any] | np.ndarray | pd.Series,
    posted_at: Sequence[float] | np.ndarray | pd.Series,
    test_fraction: float = 0.2,
    val_fraction: float = 0.15,
) -> Split:
    """Hold out whole authors: each author lands in train, validation or test by a hash of its
    id (stable across runs and machines), so no test author has a post in training."""
    a = np.asarray(authors, dtype=object)
    t = np.asarray(posted_at, dtype=float)
    if a.size == 0:
        raise ModelError("no labelled posts to split")

    def bucket(author: Any) -> float:
        digest = hashlib.sha256(str(author).encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    u = {x: bucket(x) for x in set(a.tolist())}
    b = np.array([u[x] for x in a.tolist()])
    order = np.arange(a.size)
    test = order[b < test_fraction]
    val = order[(b >= test_fraction) & (b < test_fraction + val_fraction * (1 - test_fraction))]
    train = order[b >= test_fraction + val_fraction * (1 - test_fraction)]
    if train.size == 0 or val.size == 0:
        train = np.union1d(train, val)
        val = train
    finite = t[np.isfinite(t)]
    first = float(finite.min()) if finite.size else float("nan")
    return Split(train=train, val=val, test=test, val_from=first, test_from=first)


@dataclass(frozen=True)
class Situation:
    """One scoring situation: which rows it learns from, which features, which target."""

    name: str
    title: str  # plain words for people
    #: frame column the regressor learns; ``relative_target`` is the log ratio to the author's usual
    target: str
    needs_history: bool  # rows (and posts scored) must have an author with earlier posts
    excluded: tuple[str, ...] = ()  # feature name prefixes it must not use
    #: the regressor's value is reported on the engagement scale (the author's usual added back)
    absolute: bool = True


#: Features a draft of an unknown author cannot carry (its place in the graph and its history).
GRAPH_AUTHOR_FEATURES = (
    "author_pagerank",
    "author_community_size_log",
    "emb_",
    "author_past_",
    *RELATIVE_FEATURES,
)

SITUATIONS: dict[str, Situation] = {
    # the known-author regressor learns a correction to the author's usual engagement (boosting
    # from the baseline a user would otherwise use); its value is the usual plus the correction
    "known_author": Situation(
        "known_author", "known author (in the graph, with earlier posts)", "relative_target", True
    ),
    "new_author": Situation(
        "new_author",
        "new author (not in the graph, or no earlier posts)",
        "target",
        False,
        GRAPH_AUTHOR_FEATURES,
    ),
    # ranks one author's drafts against each other: the author's level is left out on purpose
    # only what differs between one author's drafts: the author's counts, place in the graph and
    # history size are the same for every draft (and, across an author's past posts, the history
    # size only stands for the post's age, which a draft does not have)
    "own_drafts": Situation(
        "own_drafts",
        "an author's own drafts (engagement × the author's usual)",
        "relative_target",
        True,
        ("emb_", "author_"),
        absolute=False,
    ),
}


def situation_features(situation: Situation, features: Sequence[str]) -> list[str]:
    """The features of ``features`` that ``situation`` may use, in order."""
    return [f for f in features if not any(f.startswith(p) for p in situation.excluded)]


def _one_feature(x: np.ndarray, fill: float) -> np.ndarray:
    x = np.asarray(x, dtype=float).copy()
    x[np.isnan(x)] = fill
    return x.reshape(-1, 1)


def _baseline(
    x_all: np.ndarray, y_cls: np.ndarray, y_reg: np.ndarray, fit_rows: np.ndarray, test_rows: np.ndarray
) -> dict[str, np.ndarray]:
    """Fit a one-feature baseline on ``fit_rows``; return its scores on ``test_rows``."""
    x_fit = x_all[fit_rows]
    if not np.isfinite(x_fit).any():  # e.g. no follower counts at all: this baseline does not exist
        nan = np.full(test_rows.size, np.nan)
        return {"probability": nan, "value": nan}
    fill = float(np.nanmedian(x_fit))
    xf, xt = _one_feature(x_fit, fill), _one_feature(x_all[test_rows], fill)
    ok = ~np.isnan(y_reg[fit_rows])
    value = (
        LinearRegression().fit(xf[ok], y_reg[fit_rows][ok]).predict(xt)
        if ok.sum() >= 2
        else np.full(test_rows.size, np.nan)
    )
    if len(set(y_cls[fit_rows].tolist())) == 2:
        prob = LogisticRegression().fit(xf, y_cls[fit_rows]).predict_proba(xt)[:, 1]
    else:
        prob = np.full(xt.shape[0], float(y_cls[fit_rows].mean()))
    return {"probability": prob, "value": value}


def _dmatrix(frame: pd.DataFrame, rows: np.ndarray, features: Sequence[str], label: str) -> xgb.DMatrix:
    x = frame.iloc[rows][list(features)].to_numpy(dtype=float)
    y = frame.iloc[rows][label].to_numpy(dtype=float)
    return xgb.DMatrix(x, label=y, feature_names=list(features), missing=np.nan, nthread=1)


def _fit(
    params: dict[str, Any], dtrain: xgb.DMatrix, dval: xgb.DMatrix | None = None, rounds: int | None = None
) -> xgb.Booster:
    if dval is None:
        return xgb.train(params, dtrain, num_boost_round=max(int(rounds or 1), 1), verbose_eval=False)
    return xgb.train(
        params,
        dtrain,
        num_boost_round=MAX_ROUNDS,
        evals=[(dval, "val")],
        early_stopping_rounds=EARLY_STOPPING,
        verbose_eval=False,
    )


def best_iteration_range(booster: xgb.Booster) -> tuple[int, int]:
    """The trees up to the early-stopping optimum (the whole model when none was recorded)."""
    best = booster.attr("best_iteration")
    return (0, int(best) + 1) if best is not None else (0, booster.num_boosted_rounds())


@dataclass
class SituationModel:
    """The boosters of one situation: ``classifier`` (viral within the scope), ``regressor``
    (the situation's target) and, when the criteria have a scope, ``overall`` (viral over all
    posts)."""

    name: str
    features: list[str]
    classifier: xgb.Booster
    regressor: xgb.Booster
    overall: xgb.Booster | None = None
    #: what the regressor predicts: ``target`` (log1p of the label value), ``relative_target``
    #: (log ratio to the author's usual engagement) or ``rank`` (own drafts: a within-author
    #: ranking score; :attr:`ratio` maps it to a log ratio to the author's usual)
    target: str = "target"
    #: Platt scaling of the classifier's probability (:func:`influence.models.evaluate.apply_platt`),
    #: fitted on authors held out of training
    calibration: dict[str, float] | None = None
    #: own drafts: ``{"slope", "intercept"}`` of log(engagement ÷ usual) on the ranking score
    ratio: dict[str, float] | None = None


@dataclass
class TrainResult:
    """Everything a training run produces."""

    models: dict[str, SituationModel]
    #: situation -> split ("time" / "author") -> method ("model", baselines) -> metric -> value
    evaluation: dict[str, dict[str, dict[str, dict[str, Any]]]]
    #: situation -> split -> {"train", "val", "test", ...}
    splits: dict[str, dict[str, dict[str, Any]]]
    test: pd.DataFrame  # known author, time split: held-out rows with the scores of every method
    importance: dict[str, dict[str, float]]  # situation -> feature -> total gain of its classifier
    best_rounds: dict[str, dict[str, int]] = field(default_factory=dict)
    #: situation -> author-split held-out rows with every method's scores (for the verdicts)
    author_scores: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: situation -> Brier of the calibrated probability vs the base rate, reliability bins
    calibration: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: what a reader must know about the fit (boosters that stopped at very few trees, …)
    warnings: list[str] = field(default_factory=list)
    #: situation -> plain verdict (:func:`influence.models.verdicts.verdicts`)
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)


def _metrics(
    y_cls: np.ndarray,
    y_reg: np.ndarray,
    prob: np.ndarray,
    value: np.ndarray,
    authors: np.ndarray,
    truth: np.ndarray,
    order_score: np.ndarray,
) -> dict[str, Any]:
    out = evaluate.classification_report(y_cls, prob)
    out.update(evaluate.regression_report(y_reg, value))
    out["spearman_probability"] = evaluate.spearman(y_reg, prob)
    acc, pairs = evaluate.pairwise_accuracy(authors, truth, order_score)
    out["pairwise"] = acc
    out["pairs"] = pairs
    out["tied_authors"] = evaluate.tied_group_share(authors, order_score)
    return out


def _by_author(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """``rows`` reordered so each author's rows are contiguous (a ranking query group)."""
    authors = frame["author"].to_numpy(dtype=object)[rows].astype(str)
    return rows[np.argsort(authors, kind="stable")]


def _rank_dmatrix(frame: pd.DataFrame, rows: np.ndarray, features: Sequence[str], label: str) -> xgb.DMatrix:
    rows = _by_author(frame, rows)
    _, qid = np.unique(frame["author"].to_numpy(dtype=object)[rows].astype(str), return_inverse=True)
    x = frame.iloc[rows][list(features)].to_numpy(dtype=float)
    y = frame.iloc[rows][label].to_numpy(dtype=float)
    return xgb.DMatrix(x, label=y, qid=qid, feature_names=list(features), missing=np.nan, nthread=1)


def _pairwise_metric(groups: np.ndarray) -> Callable[[np.ndarray, xgb.DMatrix], tuple[str, float]]:
    """A custom XGBoost metric: within-author pairwise accuracy of the held-out rows (a tie
    counts half) — what the own-drafts situation is judged by, so early stopping aims at it."""

    def metric(predt: np.ndarray, dmat: xgb.DMatrix) -> tuple[str, float]:
        acc, _ = evaluate.pairwise_accuracy(groups, dmat.get_label(), predt)
        return "pairwise", float(acc) if acc == acc else 0.5

    return metric


def _fit_ranker(
    frame: pd.DataFrame,
    train_rows: np.ndarray,
    val_rows: np.ndarray | None,
    feats: Sequence[str],
    label: str,
    rounds: int | None = None,
) -> xgb.Booster:
    dtrain = _rank_dmatrix(frame, train_rows, feats, label)
    if val_rows is None:
        return xgb.train(RANKER_PARAMS, dtrain, num_boost_round=max(int(rounds or 1), 1), verbose_eval=False)
    ordered = _by_author(frame, val_rows)
    dval = _rank_dmatrix(frame, val_rows, feats, label)
    groups = frame["author"].to_numpy(dtype=object)[ordered].astype(str)
    return xgb.train(
        RANKER_PARAMS,
        dtrain,
        num_boost_round=MAX_ROUNDS,
        evals=[(dval, "val")],
        custom_metric=_pairwise_metric(groups),
        maximize=True,
        early_stopping_rounds=EARLY_STOPPING,
        verbose_eval=False,
    )


def _ratio_map(score: np.ndarray, relative: np.ndarray) -> dict[str, float]:
    """Least-squares line of the log ratio to the author's usual on the ranking score, so
    ``times_usual`` = exp(intercept + slope · score) keeps the ranker's order (slope ≥ 0)."""
    ok = np.isfinite(score) & np.isfinite(relative)
    if ok.sum() < 3 or np.all(score[ok] == score[ok][0]):
        return {"slope": 0.0, "intercept": float(np.nanmedian(relative)) if ok.any() else 0.0}
    slope, intercept = np.polyfit(score[ok], relative[ok], 1)
    slope = max(float(slope), 0.0)
    return {"slope": slope, "intercept": float(np.mean(relative[ok]) - slope * np.mean(score[ok]))}


CALIBRATION_FOLDS = 3


def _cross_fitted_platt(
    frame: pd.DataFrame, rows: np.ndarray, feats: Sequence[str], trees: int
) -> dict[str, float]:
    """Platt scaling fitted on out-of-fold probabilities: the rows' authors fall in
    :data:`CALIBRATION_FOLDS` folds (by hash); each fold is scored by a classifier (``trees``
    trees) trained on the other folds, so every probability it is fitted on comes from authors
    held out of that classifier's training. When the scaled probabilities do no better than
    always answering the base rate on those rows, the base rate is what it returns (slope 0):
    a probability is never worse than no model."""
    y = frame["viral"].to_numpy(dtype=float)
    authors = frame["author"].to_numpy(dtype=object)[rows]
    fold = np.array(
        [
            int.from_bytes(hashlib.sha256(f"fold:{a}".encode()).digest()[:4], "big") % CALIBRATION_FOLDS
            for a in authors
        ]
    )
    oof = np.full(rows.size, np.nan)
    for k in range(CALIBRATION_FOLDS):
        fit, held = rows[fold != k], rows[fold == k]
        if held.size == 0 or len(set(y[fit].tolist())) < 2:
            continue
        booster = _fit(CLASSIFIER_PARAMS, _dmatrix(frame, fit, feats, "viral"), rounds=trees)
        oof[fold == k] = booster.predict(_dmatrix(frame, held, feats, "viral"))
    ok = np.isfinite(oof)
    platt = evaluate.fit_platt(oof[ok], y[rows][ok])
    rate = float(np.clip(np.nanmean(y[rows]), 1e-4, 1 - 1e-4))
    constant = {"a": 0.0, "b": float(np.log(rate / (1 - rate)))}
    if not ok.any() or evaluate.brier(y[rows][ok], evaluate.apply_platt(oof[ok], platt)) >= evaluate.brier(
        y[rows][ok], np.full(int(ok.sum()), rate)
    ):
        return constant
    return platt


def _base_rate_brier(y_fit: np.ndarray, y_test: np.ndarray) -> tuple[float, float]:
    """(base rate of the fitting rows, Brier of always answering it on the test rows)."""
    rate = float(np.nanmean(y_fit)) if y_fit.size else float("nan")
    return rate, evaluate.brier(y_test, np.full(y_test.size, rate))


def _evaluate(
    frame: pd.DataFrame,
    situation: Situation,
    feats: list[str],
    split: Split,
    overall: bool,
    extra_baselines: Mapping[str, str] | None = None,
) -> tuple[dict[str, dict[str, Any]], pd.DataFrame, dict[str, int], SituationModel]:
    """Fit one situation on ``split``'s train rows, score its test rows, and the baselines.

    The classifier's probabilities are Platt-scaled on the validation rows (never the test
    rows); the own-drafts situation's ranker is early-stopped on the validation rows' pairwise
    accuracy within an author.
    """
    y_col = situation.target
    clf = _fit(
        CLASSIFIER_PARAMS,
        _dmatrix(frame, split.train, feats, "viral"),
        _dmatrix(frame, split.val, feats, "viral"),
    )
    ranking = situation.name == "own_drafts"
    reg_rows = [r[~frame[y_col].iloc[r].isna().to_numpy()] for r in (split.train, split.val)]
    if ranking:
        reg = _fit_ranker(frame, reg_rows[0], reg_rows[1], feats, "target")
    else:
        reg = _fit(
            REGRESSOR_PARAMS,
            _dmatrix(frame, reg_rows[0], feats, y_col),
            _dmatrix(frame, reg_rows[1], feats, y_col),
        )
    over = None
    if overall:
        over = _fit(
            CLASSIFIER_PARAMS,
            _dmatrix(frame, split.train, feats, "viral_overall"),
            _dmatrix(frame, split.val, feats, "viral_overall"),
        )
    y_cls = frame["viral"].to_numpy(dtype=float)
    dval = _dmatrix(frame, split.val, feats, "viral")
    platt = _cross_fitted_platt(
        frame, np.union1d(split.train, split.val), feats, best_iteration_range(clf)[1]
    )
    ratio = None
    if ranking:
        val_score = reg.predict(dval, iteration_range=best_iteration_range(reg))
        ratio = _ratio_map(val_score, frame["relative_target"].to_numpy(dtype=float)[split.val])
    dtest = _dmatrix(frame, split.test, feats, "viral")
    raw = clf.predict(dtest, iteration_range=best_iteration_range(clf))
    prob = evaluate.apply_platt(raw, platt)
    value = reg.predict(dtest, iteration_range=best_iteration_range(reg))
    order = value
    if ranking and ratio is not None:
        value = ratio["intercept"] + ratio["slope"] * value  # the log ratio to the author's usual
    test = split.test
    past = frame["author_past_median"].to_numpy(dtype=float)
    relative = y_col == "relative_target"
    # figures are on the situation's own scale: log engagement for known / new authors, the
    # log ratio to the author's usual for own drafts
    y_reg = frame["target" if situation.absolute else y_col].to_numpy(dtype=float)
    if relative and situation.absolute:
        value = value + past[test]
    authors = frame["author"].to_numpy(dtype=object)[test]
    truth = frame["target"].to_numpy(dtype=float)[test]
    fit_rows = np.union1d(split.train, split.val)
    methods: dict[str, dict[str, np.ndarray]] = {"model": {"probability": prob, "value": value}}
    if not situation.absolute:  # drafts are ranked by the ranker's score
        methods["model"]["order"] = order
    followers = _baseline(np.log1p(frame["followers"].to_numpy(dtype=float)), y_cls, y_reg, fit_rows, test)
    median = _baseline(past, y_cls, y_reg, fit_rows, test)
    if not situation.absolute:  # "your usual": a ratio of 1 for every draft (chance within the author)
        median = {**median, "value": np.zeros(test.size), "order": np.zeros(test.size)}
    if situation.name != "own_drafts":
        methods["followers"] = followers
    if situation.needs_history:
        methods["author_median"] = median
    for name, column in (extra_baselines or {}).items():  # early mode: the engagement seen so far
        if column in frame.columns and situation.absolute:
            methods[name] = _baseline(frame[column].to_numpy(dtype=float), y_cls, y_reg, fit_rows, test)
    metrics = {
        name: _metrics(
            y_cls[test], y_reg[test], m["probability"], m["value"], authors, truth, m.get("order", m["value"])
        )
        for name, m in methods.items()
    }
    metrics["model"]["brier_uncalibrated"] = evaluate.brier(y_cls[test], raw)
    rate, base_brier = _base_rate_brier(y_cls[fit_rows], y_cls[test])
    metrics["chance"] = {
        "roc_auc": 0.5,
        "pairwise": 0.5,
        "n": int(test.size),
        "positives": int(np.nansum(y_cls[test])),
        "base_rate": rate,
        "brier": base_brier,
    }
    if over is not None:
        p_over = over.predict(dtest, iteration_range=best_iteration_range(over))
        metrics["model"]["roc_auc_overall"] = evaluate.roc_auc(
            frame["viral_overall"].to_numpy(dtype=float)[test], p_over
        )
    scores = pd.DataFrame(
        {
            "id": frame["id"].to_numpy()[test] if "id" in frame.columns else test,
            "posted_at": frame["posted_at"].to_numpy()[test],
            "author": authors,
            "viral": y_cls[test],
            "target": y_reg[test],
            "truth": truth,
            **{f"{n}_probability": m["probability"] for n, m in methods.items()},
            **{f"{n}_value": m["value"] for n, m in methods.items()},
            **{f"{n}_order": m.get("order", m["value"]) for n, m in methods.items()},
        }
    )
    rounds = {"classifier": best_iteration_range(clf)[1], "regressor": best_iteration_range(reg)[1]}
    if over is not None:
        rounds["overall"] = best_iteration_range(over)[1]
    model = SituationModel(
        situation.name,
        feats,
        clf,
        reg,
        over,
        "rank" if ranking else situation.target,
        calibration=platt,
        ratio=ratio,
    )
    return metrics, scores, rounds, model


def _refit(
    frame: pd.DataFrame,
    situation: Situation,
    feats: list[str],
    rounds: Mapping[str, int],
    overall: bool,
    fitted: SituationModel,
) -> SituationModel:
    """The shipped boosters: every row, the numbers of trees early stopping found; the
    calibration and ratio map of ``fitted`` (fitted on held-out authors)."""
    rows = np.arange(len(frame))
    reg_rows = rows[~frame[situation.target].isna().to_numpy()]
    clf = _fit(CLASSIFIER_PARAMS, _dmatrix(frame, rows, feats, "viral"), rounds=rounds["classifier"])
    if fitted.target == "rank":
        reg = _fit_ranker(frame, reg_rows, None, feats, "target", rounds=rounds["regressor"])
    else:
        reg = _fit(
            REGRESSOR_PARAMS, _dmatrix(frame, reg_rows, feats, situation.target), rounds=rounds["regressor"]
        )
    over = (
        _fit(CLASSIFIER_PARAMS, _dmatrix(frame, rows, feats, "viral_overall"), rounds=rounds["overall"])
        if overall
        else None
    )
    return SituationModel(
        situation.name,
        feats,
        clf,
        reg,
        over,
        fitted.target,
        calibration=fitted.calibration,
        ratio=fitted.ratio,
    )


def _follower_fit(rows: pd.DataFrame) -> dict[str, float]:
    """The follower-count baseline as a line: log1p(engagement) ≈ intercept + slope · log1p(followers)
    (``fill``: the log follower count used when it is unknown)."""
    x = np.log1p(rows["followers"].to_numpy(dtype=float))
    y = rows["target"].to_numpy(dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.all(x[ok] == x[ok][0]):
        return {
            "slope": 0.0,
            "intercept": float(np.nanmedian(y)) if np.isfinite(y).any() else 0.0,
            "fill": 0.0,
        }
    slope, intercept = np.polyfit(x[ok], y[ok], 1)
    return {"slope": float(slope), "intercept": float(intercept), "fill": float(np.median(x[ok]))}


def _situation_rows(frame: pd.DataFrame, situation: Situation) -> pd.DataFrame:
    rows = frame
    if situation.needs_history:
        rows = rows[(rows["author_past_posts"] > 0) & rows["author_past_median"].notna()]
    return rows[rows[situation.target].notna()].reset_index(drop=True)


ROLE_WORDS = {
    "classifier": "viral classifier",
    "regressor": "engagement model",
    "overall": "overall viral classifier",
}


def _few_trees(situation: Situation, rounds: Mapping[str, int], split: str) -> list[str]:
    """Plain warnings for boosters that early stopping kept at fewer than :data:`FEW_TREES` trees."""
    out = []
    held = "newer posts" if split == "time" else "held-out authors"
    for role, n in rounds.items():
        if n < FEW_TREES:
            what = (
                "within-author ranker"
                if situation.name == "own_drafts" and role == "regressor"
                else ROLE_WORDS[role]
            )
            out.append(
                f"{situation.title}: the {what} stopped after {n} tree{'s' if n != 1 else ''} — beyond that it "
                f"found nothing that held on {held}, so it adds little over its starting point"
            )
    return out


def _calibration_summary(
    metrics: Mapping[str, Mapping[str, Any]], platt: Mapping[str, float] | None, scores: pd.DataFrame
) -> dict[str, Any]:
    """Brier of the calibrated probability vs always answering the base rate, on held-out
    authors, and the reliability curve in deciles of the probability."""
    model, chance = metrics["model"], metrics["chance"]
    return {
        "method": "platt",
        "params": dict(platt or {}),
        "split": "author",
        "brier": model.get("brier"),
        "brier_uncalibrated": model.get("brier_uncalibrated"),
        "brier_base_rate": chance.get("brier"),
        "base_rate": chance.get("base_rate"),
        "n": model.get("n"),
        "positives": model.get("positives"),
        "bins": evaluate.quantile_bins(scores["viral"], scores["model_probability"]),
    }


def train_models(  # noqa: C901 — split by issue 21's tidy-up
    frame: pd.DataFrame,
    features: Sequence[str],
    *,
    test_fraction: float = 0.2,
    val_fraction: float = 0.15,
    progress: Callable[[str], None] | None = None,
    situations: Sequence[str] = tuple(SITUATIONS),
    extra_baselines: Mapping[str, str] | None = None,
    relative_known: bool = True,
) -> TrainResult:
    """Train and evaluate every situation of ``situations`` on ``frame`` (see the module doc).

    ``relative_known``: the known-author regressor learns a correction to the author's usual
    engagement (right when the target *is* engagement); with a velocity target pass False and
    it learns the target itself. ``extra_baselines`` maps a baseline name to a frame column scored like the standard ones
    (early mode: ``{"early_engagement": "early_engagement_log"}``). A situation without enough rows (fewer than :data:`MIN_TRAIN` to train or :data:`MIN_TEST`
    to test, or one class only) is left out with a message; :class:`ModelError` when the known-
    or new-author situation cannot be trained at all. Deterministic: the same frame gives the
    same boosters and figures (fixed seeds, one thread, author buckets by hash).
    """
    say = progress or (lambda _m: None)
    frame = frame.reset_index(drop=False)
    frame = frame[~frame["viral"].isna()].reset_index(drop=True)
    missing = [c for c in (*REQUIRED, *features) if c not in frame.columns]
    if missing:
        raise ModelError(
            f"the training frame lacks columns {missing} — build it with influence.models.pipeline"
        )
    if frame["viral"].nunique(dropna=True) < 2:
        raise ModelError(
            "every labelled post has the same label, so there is nothing to learn — load more posts or "
            "loosen the threshold in the criteria file"
        )
    if "relative_target" not in frame.columns:
        frame["relative_target"] = frame["engagement_log"] - frame["author_past_median"]
    overall = (
        "viral_overall" in frame.columns
        and frame["viral_overall"].notna().all()
        and not frame["viral_overall"].equals(frame["viral"])
    )
    result = TrainResult(models={}, evaluation={}, splits={}, test=pd.DataFrame(), importance={})
    follower_fits: dict[str, dict[str, float]] = {}
    for name in situations:
        situation = SITUATIONS[name]
        if name == "known_author" and not relative_known:
            situation = replace(situation, target="target")
        rows = _situation_rows(frame, situation)
        feats = situation_features(situation, features)
        try:
            time = time_split(rows["posted_at"], test_fraction, val_fraction)
            by_author = author_split(rows["author"], rows["posted_at"], test_fraction, val_fraction)
        except ModelError as e:
            if name == "own_drafts":
                say(f"{situation.title}: not trained — {e}")
                continue
            raise
        usable = all(
            s.train.size >= MIN_TRAIN
            and s.test.size >= MIN_TEST
            and rows["viral"].iloc[s.train].nunique() == 2
            for s in (time, by_author)
        )
        if not usable:
            message = (
                f"too few labelled posts for {situation.title} ({len(rows)} rows; need at least {MIN_TRAIN} "
                f"to train and {MIN_TEST} to test on both a time and an author split, with viral and non-viral "
                "posts in training)"
            )
            if name == "own_drafts":
                say(f"{message} — left out")
                continue
            raise ModelError(f"{message} — load more posts or loosen the threshold in the criteria file")
        say(f"{situation.title}: {len(rows):,} posts")
        result.evaluation[name], result.splits[name] = {}, {}
        fitted: dict[str, tuple[dict[str, int], SituationModel]] = {}
        for split_name, split in (("time", time), ("author", by_author)):
            metrics, scores, rounds, model = _evaluate(
                rows, situation, feats, split, overall, extra_baselines
            )
            result.evaluation[name][split_name] = metrics
            result.splits[name][split_name] = {**split.sizes(), "test_from": split.test_from}
            fitted[split_name] = (rounds, model)
            if split_name == "time":
                gain = model.classifier.get_score(importance_type="total_gain")
                result.importance[name] = {f: float(np.sum(gain.get(f, 0.0))) for f in feats}
                if name == "known_author":
                    result.test = scores
            else:
                result.author_scores[name] = scores
        # the shipped boosters keep the trees found on the time split (no future leaks), except the
        # ranker, which is judged on held-out authors; calibration comes from held-out authors
        rounds = dict(fitted["time"][0])
        if name == "own_drafts":
            rounds["regressor"] = fitted["author"][0]["regressor"]
        result.best_rounds[name] = rounds
        for split_name in ("time", "author"):
            for warning in _few_trees(situation, fitted[split_name][0], split_name):
                if warning not in result.warnings:
                    result.warnings.append(warning)
        follower_fits[name] = _follower_fit(rows)
        author_model = fitted["author"][1]
        result.calibration[name] = _calibration_summary(
            result.evaluation[name]["author"], author_model.calibration, result.author_scores[name]
        )
        result.models[name] = _refit(rows, situation, feats, rounds, overall, author_model)
    if "known_author" not in result.models and "new_author" not in result.models:
        raise ModelError("no situation could be trained — load more posts")
    from influence.models.verdicts import verdicts

    result.verdicts = verdicts(result.author_scores)
    for name, v in result.verdicts.items():
        if v.get("baseline") == "followers" and name in follower_fits:
            v["baseline_fit"] = follower_fits[name]  # predict ranks by it when the model does not beat it
    return result


def metrics_rows(
    evaluation: Mapping[str, Mapping[str, Mapping[str, Mapping[str, Any]]]],
) -> list[dict[str, Any]]:
    """The evaluation as table rows: one per situation, split and method."""
    rows = []
    for situation, splits in evaluation.items():
        for split, methods in splits.items():
            for method, m in methods.items():
                row: dict[str, Any] = {"situation": situation, "split": split, "method": method}
                row.update({k: v for k, v in m.items() if k != "calibration"})
                rows.append(row)
    return rows
