"""Training the virality predictor on a feature frame (pure: no database, no printing).

The frame has one row per labelled post and these columns besides the features:

* ``posted_at`` — seconds since the epoch (UTC); the split is by time, never random, because a
  random split lets the model learn from posts published after the ones it is tested on;
* ``author`` — the author's id, for the author's own median;
* ``target`` — ``log1p`` of the post's velocity (the regression target);
* ``viral`` — 0/1 label from the client's criteria (the classification target);
* ``followers`` — the author's follower count (baseline 1);
* ``engagement_log`` — ``log1p`` of the post's weighted engagement (baseline 2 is the author's
  median of it over *earlier* posts only).

Two XGBoost models are trained with fixed seeds and early stopping on a time-ordered
validation slice (the newest part of the training period): a classifier for ``viral`` and a
regressor for ``target``. The baselines a user would otherwise use are fitted on the same
training rows and scored on the same held-out rows: follower count alone, and the author's own
median engagement. Each baseline is a one-feature logistic (for the label) and linear (for the
velocity) fit, so their probabilities and errors are on the same footing as the model's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LinearRegression, LogisticRegression

from influence.errors import ModelError
from influence.models import evaluate

SEED = 42
REQUIRED = ("posted_at", "author", "target", "viral", "followers", "engagement_log")
#: Columns added by :func:`add_author_history` (features too: they use past posts only).
HISTORY_FEATURES = ("author_past_median", "author_past_posts")
MIN_TRAIN = 20
MIN_TEST = 5

CLASSIFIER_PARAMS: dict[str, Any] = {
    "objective": "binary:logistic",
    "eval_metric": "logloss",
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 2.0,
    "lambda": 1.0,
    "seed": SEED,
    "nthread": 2,
}
REGRESSOR_PARAMS: dict[str, Any] = {**CLASSIFIER_PARAMS, "objective": "reg:squarederror", "eval_metric": "mae"}
MAX_ROUNDS = 1000
EARLY_STOPPING = 50


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


@dataclass
class TrainResult:
    """Everything a training run produces."""

    classifier: xgb.Booster
    regressor: xgb.Booster
    features: list[str]
    split: Split
    metrics: dict[str, dict[str, Any]]  # model / followers / author_median -> metric -> value
    test: pd.DataFrame  # held-out rows: id, posted_at, viral, target, scores of every method
    importance: dict[str, float]  # feature -> total gain of the classifier
    best_rounds: dict[str, int] = field(default_factory=dict)


def time_split(posted_at: Sequence[float] | np.ndarray | pd.Series, test_fraction: float = 0.2,
               val_fraction: float = 0.15) -> Split:
    """Split rows by time: oldest → train, then validation, newest → test.

    Cut points are timestamps, so posts sharing a timestamp (day-precision dates) all land on
    the same side and each part is strictly later than the previous one.
    """
    t = np.asarray(posted_at, dtype=float)
    if np.isnan(t).any():
        raise ModelError("some posts have no publication time — they cannot be placed in a time-ordered split")
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


def add_author_history(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``author_past_median`` and ``author_past_posts``: the author's median
    ``engagement_log`` over posts published strictly earlier (leave-one-out, past only), and
    how many such posts there are. A first post has NaN / 0.
    """
    out = frame.copy()
    med = np.full(len(out), np.nan)
    cnt = np.zeros(len(out))
    t_all = out["posted_at"].to_numpy(dtype=float)
    v_all = out["engagement_log"].to_numpy(dtype=float)
    for _, pos in out.groupby("author", sort=False, dropna=True).indices.items():
        order = pos[np.argsort(t_all[pos], kind="stable")]
        t = t_all[order]
        v = v_all[order]
        prefix = pd.Series(v).expanding().median().to_numpy()
        valid = pd.Series(~np.isnan(v)).cumsum().to_numpy()
        earlier = np.searchsorted(t, t, side="left")  # how many posts strictly before each one
        has = earlier > 0
        med[order[has]] = prefix[earlier[has] - 1]
        cnt[order[has]] = valid[earlier[has] - 1]
    out["author_past_median"] = med
    out["author_past_posts"] = cnt
    return out


def _check(frame: pd.DataFrame, features: Sequence[str]) -> None:
    missing = [c for c in (*REQUIRED, *features) if c not in frame.columns]
    if missing:
        raise ModelError(f"the training frame lacks columns {missing} — build it with influence.models.features")
    if frame["viral"].nunique(dropna=True) < 2:
        raise ModelError(
            "every labelled post has the same label, so there is nothing to learn — load more posts or "
            "loosen the threshold in the criteria file"
        )


def _one_feature(x: np.ndarray, fill: float) -> np.ndarray:
    x = np.asarray(x, dtype=float).copy()
    x[np.isnan(x)] = fill
    return x.reshape(-1, 1)


def _baseline(x_all: np.ndarray, frame: pd.DataFrame, split: Split) -> dict[str, np.ndarray]:
    """Fit a one-feature baseline on the training rows; return its test-row scores."""
    fit_rows = np.union1d(split.train, split.val)
    x_fit = x_all[fit_rows]
    if not np.isfinite(x_fit).any():  # e.g. no follower counts at all: this baseline does not exist
        nan = np.full(split.test.size, np.nan)
        return {"probability": nan, "velocity_log": nan, "raw": nan}
    fill = float(np.nanmedian(x_fit)) if np.isfinite(x_fit).any() else 0.0
    xf, xt = _one_feature(x_fit, fill), _one_feature(x_all[split.test], fill)
    y_cls = frame["viral"].to_numpy(dtype=float)
    y_reg = frame["target"].to_numpy(dtype=float)
    ok = ~np.isnan(y_reg[fit_rows])
    reg = LinearRegression().fit(xf[ok], y_reg[fit_rows][ok])
    if len(set(y_cls[fit_rows])) == 2:
        clf = LogisticRegression().fit(xf, y_cls[fit_rows])
        prob = clf.predict_proba(xt)[:, 1]
    else:
        prob = np.full(xt.shape[0], float(y_cls[fit_rows].mean()))
    return {"probability": prob, "velocity_log": reg.predict(xt), "raw": xt.ravel()}


def _metrics(y_cls: np.ndarray, y_reg: np.ndarray, prob: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    out = evaluate.classification_report(y_cls, prob)
    out.update(evaluate.regression_report(y_reg, pred))
    return out


def _dmatrix(frame: pd.DataFrame, rows: np.ndarray, features: Sequence[str], label: str) -> xgb.DMatrix:
    x = frame.iloc[rows][list(features)].to_numpy(dtype=float)
    y = frame.iloc[rows][label].to_numpy(dtype=float)
    return xgb.DMatrix(x, label=y, feature_names=list(features), missing=np.nan, nthread=2)


def _fit(params: dict[str, Any], dtrain: xgb.DMatrix, dval: xgb.DMatrix) -> xgb.Booster:
    return xgb.train(
        params, dtrain, num_boost_round=MAX_ROUNDS, evals=[(dval, "val")],
        early_stopping_rounds=EARLY_STOPPING, verbose_eval=False,
    )


def best_iteration_range(booster: xgb.Booster) -> tuple[int, int]:
    """The trees up to the early-stopping optimum (the whole model when none was recorded)."""
    best = booster.attr("best_iteration")
    return (0, int(best) + 1) if best is not None else (0, booster.num_boosted_rounds())


def train_models(
    frame: pd.DataFrame,
    features: Sequence[str],
    *,
    test_fraction: float = 0.2,
    val_fraction: float = 0.15,
    progress: Callable[[str], None] | None = None,
    extra_baselines: dict[str, str] | None = None,
) -> TrainResult:
    """Train the classifier and the regressor on ``frame`` and evaluate them and the baselines.

    ``features`` need not include the history columns; they are added (past posts only) and
    used as features. ``extra_baselines`` maps a baseline name to a frame column scored the
    same way as the two standard baselines (early mode: the engagement seen so far). Raises :class:`ModelError` when there is too little data.
    """
    say = progress or (lambda _m: None)
    frame = frame.reset_index(drop=False)
    frame = frame[~frame["viral"].isna()].reset_index(drop=True)
    _check(frame, features)
    if not all(h in frame.columns for h in HISTORY_FEATURES):
        frame = add_author_history(frame)
    feats = [*features, *[h for h in HISTORY_FEATURES if h not in features]]
    split = time_split(frame["posted_at"], test_fraction, val_fraction)
    if split.train.size < MIN_TRAIN or split.test.size < MIN_TEST:
        raise ModelError(
            f"too few labelled posts for a time-ordered split ({split.sizes()}); need at least "
            f"{MIN_TRAIN} to train and {MIN_TEST} to test — load more posts"
        )
    train_y = frame["viral"].to_numpy()[split.train]
    if len(set(train_y.tolist())) < 2:
        raise ModelError(
            "the training period has only one class of posts (all viral or none) — load more history "
            "or loosen the threshold in the criteria file"
        )
    say(f"training on {split.train.size} posts, validating on {split.val.size}, testing on {split.test.size}")
    clf = _fit(CLASSIFIER_PARAMS, _dmatrix(frame, split.train, feats, "viral"),
               _dmatrix(frame, split.val, feats, "viral"))
    reg_train = split.train[~frame["target"].iloc[split.train].isna().to_numpy()]
    reg_val = split.val[~frame["target"].iloc[split.val].isna().to_numpy()]
    reg = _fit(REGRESSOR_PARAMS, _dmatrix(frame, reg_train, feats, "target"),
               _dmatrix(frame, reg_val, feats, "target"))
    say(f"classifier: {best_iteration_range(clf)[1]} trees, regressor: {best_iteration_range(reg)[1]} trees")

    dtest = _dmatrix(frame, split.test, feats, "viral")
    prob = clf.predict(dtest, iteration_range=best_iteration_range(clf))
    pred = reg.predict(dtest, iteration_range=best_iteration_range(reg))
    y_cls = frame["viral"].to_numpy(dtype=float)[split.test]
    y_reg = frame["target"].to_numpy(dtype=float)[split.test]

    followers = _baseline(np.log1p(frame["followers"].to_numpy(dtype=float)), frame, split)
    median = _baseline(frame["author_past_median"].to_numpy(dtype=float), frame, split)
    metrics = {
        "model": _metrics(y_cls, y_reg, prob, pred),
        "followers": _metrics(y_cls, y_reg, followers["probability"], followers["velocity_log"]),
        "author_median": _metrics(y_cls, y_reg, median["probability"], median["velocity_log"]),
    }
    extra = {name: _baseline(frame[col].to_numpy(dtype=float), frame, split)
             for name, col in (extra_baselines or {}).items()}
    for name, scores in extra.items():
        metrics[name] = _metrics(y_cls, y_reg, scores["probability"], scores["velocity_log"])
    test = pd.DataFrame({
        "id": frame["id"].to_numpy()[split.test] if "id" in frame.columns else split.test,
        "posted_at": frame["posted_at"].to_numpy()[split.test],
        "viral": y_cls, "target": y_reg,
        "model_probability": prob, "model_velocity_log": pred,
        "followers_probability": followers["probability"], "followers_velocity_log": followers["velocity_log"],
        "author_median_probability": median["probability"],
        "author_median_velocity_log": median["velocity_log"],
        **{f"{n}_{k}": v[k] for n, v in extra.items() for k in ("probability", "velocity_log")},
    })
    gain = clf.get_score(importance_type="total_gain")
    importance = {f: float(np.sum(gain.get(f, 0.0))) for f in feats}
    return TrainResult(
        classifier=clf, regressor=reg, features=feats, split=split, metrics=metrics, test=test,
        importance=importance,
        best_rounds={"classifier": best_iteration_range(clf)[1], "regressor": best_iteration_range(reg)[1]},
    )


def metrics_rows(metrics: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The metrics as table rows, one per method (model and both baselines)."""
    rows = []
    for method, m in metrics.items():
        row: dict[str, Any] = {"method": method}
        for key, value in m.items():
            if key != "calibration":
                row[key] = value
        rows.append(row)
    return rows


@dataclass
class TrainReport:
    """What :func:`train_from_graph` did: where the model is, and how it scored."""

    model_dir: Path
    card: Path
    metrics: dict[str, dict[str, Any]]
    split: dict[str, Any]
    counts: dict[str, int]


def train_from_graph(
    driver: Any,
    criteria: Any,
    out_dir: Path,
    *,
    mode: str = "pre",
    early_hours: float = 2.0,
    target: str = "velocity",
    database: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> TrainReport:
    """Read features from Neo4j, label them with ``criteria``, train, evaluate, and write
    ``model.ubj``, ``velocity.ubj``, ``model.json`` and the model card into ``out_dir``."""
    from influence.models import features, store
    from influence.models.criteria import describe
    from influence.report.model_card import write_model_card

    if target == "engagement" and math.isfinite(criteria.max_first_observation_hours):
        # the limit protects a per-hour rate from the age at which it was measured; a saturated
        # engagement total (data scraped once, long after posting) does not divide by the age
        criteria = replace(criteria, max_first_observation_hours=math.inf)
    data = features.training_frame(driver, criteria, mode=mode, early_hours=early_hours, database=database,
                                   progress=progress, target=target)
    baselines = {"early_engagement": "early_engagement_log"} if mode == "early" else {}
    result = train_models(data.frame, data.features, progress=progress, extra_baselines=baselines)
    split = {
        **result.split.sizes(),
        "val_from": result.split.val_from, "test_from": result.split.test_from,
        "test_from_iso": datetime.fromtimestamp(result.split.test_from, UTC).isoformat(timespec="seconds"),
    }
    meta = {
        "features": result.features,
        "mode": mode,
        "target": target,
        "spec": data.spec.as_dict(),
        "criteria": describe(criteria),
        "data_fingerprint": store.fingerprint(data.frame, [*result.features, "posted_at", "viral", "target"]),
        "counts": data.counts,
        "split": split,
        "metrics": result.metrics,
        "best_rounds": result.best_rounds,
        "params": {"classifier": CLASSIFIER_PARAMS, "regressor": REGRESSOR_PARAMS},
    }
    out_dir = Path(out_dir)
    store.save(out_dir, result.classifier, result.regressor, meta)
    saved = store.load(out_dir)
    card = write_model_card(out_dir, saved.metadata, result.test, result.importance)
    return TrainReport(model_dir=out_dir, card=card, metrics=result.metrics, split=split, counts=data.counts)
