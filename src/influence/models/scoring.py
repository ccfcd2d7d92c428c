"""The predictor's boosters on a feature matrix: which situation scores a row
(:func:`choose_basis`), each situation's outputs (regressor value, calibrated probability, SHAP
contributions) and the reasons read from the contributions (:func:`explain`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xgboost as xgb

from influence.models import catalogue
from influence.models.evaluate import apply_platt
from influence.models.store import SavedModel
from influence.models.train import SituationModel, best_iteration_range

TOP_REASONS = 3


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


def threads_for(rows: int) -> int:
    return 2 if rows >= PARALLEL_ROWS else 1


def _matrix(frame: pd.DataFrame, names: Sequence[str]) -> xgb.DMatrix:
    x = frame.reindex(columns=list(names)).to_numpy(dtype=float)
    return xgb.DMatrix(x, feature_names=list(names), missing=np.nan, nthread=threads_for(len(x)))


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


def boost_all(model: SavedModel, x: pd.DataFrame, basis: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
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


def log_ratio(m: SituationModel, value: np.ndarray) -> np.ndarray:
    """The own-drafts model's output as log(engagement ÷ the author's usual)."""
    if m.target == "rank" and m.ratio is not None:
        out: np.ndarray = float(m.ratio.get("intercept", 0.0)) + float(
            m.ratio.get("slope", 0.0)
        ) * np.asarray(value)
        return out
    return np.asarray(value, dtype=float)
