"""Saving and loading a trained predictor: XGBoost ``.ubj`` files plus JSON metadata, never pickle.

A model folder holds, for each situation (``known_author``, ``new_author``, ``own_drafts``; see
:mod:`influence.models.train`), ``<situation>.classifier.ubj`` (viral within the criteria's
scope), ``<situation>.regressor.ubj`` (the situation's target) and, with a scope,
``<situation>.overall.ubj`` (viral over all posts; the own-drafts "regressor" is a
within-author ranker); and ``model.json`` — :class:`ModelMeta`: the
features of each situation, the criteria, the target and why, the scoring mode, a fingerprint
of the training data, library versions, the evaluation, and the SHA-256 of every ``.ubj`` file
so a load notices a swapped or damaged file. Every path in ``model.json`` must name a file
inside the folder.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from influence.errors import ModelError
from influence.loaders.limits import read_json_file
from influence.models.train import SituationModel

FORMAT = "influence-virality-model"
FORMAT_VERSION = 3
METADATA_FILE = "model.json"
ROLES = ("classifier", "regressor", "overall")
#: Largest ``model.json`` read (a trained model's is tens of KB); checked before reading.
MAX_METADATA_BYTES = 16 * 1024 * 1024
#: Largest ``.ubj`` booster read (a trained one is a few hundred KB; XGBoost holds ~3x the file).
MAX_BOOSTER_BYTES = 128 * 1024 * 1024


@dataclass
class ModelMeta:
    """Everything ``model.json`` holds besides the file list; the report and the model card read
    it through this type rather than guessing keys."""

    mode: str = "pre"
    target: str = "velocity"
    target_reason: str = ""
    settled_after_hours: float | None = None
    scope: str = "global"
    spec: dict[str, Any] = field(default_factory=dict)
    criteria: dict[str, Any] = field(default_factory=dict)
    data_fingerprint: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    exclusions: dict[str, int] = field(default_factory=dict)
    split: dict[str, Any] = field(default_factory=dict)  # the known-author time split (sizes, test_from)
    splits: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    #: situation -> split -> method -> metric -> value
    evaluation: dict[str, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    best_rounds: dict[str, dict[str, int]] = field(default_factory=dict)
    importance: dict[str, dict[str, float]] = field(default_factory=dict)  # situation -> feature -> gain
    params: dict[str, Any] = field(default_factory=dict)
    features: dict[str, list[str]] = field(default_factory=dict)  # situation -> feature names
    #: situation -> what its regressor predicts (``target`` or ``relative_target``)
    regressor_targets: dict[str, str] = field(default_factory=dict)
    created_at: str = ""
    libraries: dict[str, str] = field(default_factory=dict)
    #: situation -> plain verdict from the author split (:mod:`influence.models.verdicts`):
    #: sentence, beats_baseline, rank_by, figure, ci, baseline, baseline_figure, difference_ci, …
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: situation -> calibration on held-out authors: method, params (Platt a, b), brier,
    #: brier_uncalibrated, brier_base_rate, base_rate, n, positives, bins (reliability curve)
    calibration: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: own drafts: ``{"slope", "intercept"}`` mapping the ranking score to log(× usual)
    ratio_maps: dict[str, dict[str, float]] = field(default_factory=dict)
    #: what a reader must know about the fit (boosters that stopped at very few trees, …)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelMeta:
        """Inverse of :meth:`as_dict`; unknown keys are ignored, wrong types raise :class:`ModelError`."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known or value is None:
                continue
            default = cls.__dataclass_fields__[key].default_factory  # type: ignore[misc]
            expected = type(default()) if callable(default) else type(cls.__dataclass_fields__[key].default)
            if expected in (dict, list, str) and not isinstance(value, expected):
                raise ModelError(
                    f"{METADATA_FILE}: {key!r} should be a {expected.__name__}, not {type(value).__name__}"
                )
            values[key] = value
        return cls(**values)


@dataclass
class SavedModel:
    """A loaded (or just trained) predictor: the boosters of each situation and the metadata."""

    situations: dict[str, SituationModel]
    meta: ModelMeta

    @property
    def metadata(self) -> dict[str, Any]:
        """The metadata as a plain dict (``model.json`` without the file list)."""
        return self.meta.as_dict()

    @property
    def mode(self) -> str:
        """``pre`` or ``early``."""
        return self.meta.mode


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose behaviour the model depends on."""
    out = {"python": platform.python_version()}
    for pkg in ("xgboost", "numpy", "pandas", "scikit-learn", "influence-graph"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "unknown"
    return out


def fingerprint(frame: pd.DataFrame, columns: list[str]) -> str:
    """SHA-256 of the training rows (ids, times, labels and feature values), order-independent."""
    cols = [c for c in columns if c in frame.columns]
    data = frame[cols].copy()
    data.insert(0, "_id", frame.index.astype(str))
    data = data.sort_values("_id", kind="stable")
    hashed = pd.util.hash_pandas_object(data, index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _file_name(situation: str, role: str) -> str:
    return f"{situation}.{role}.ubj"


def save(directory: Path, models: dict[str, SituationModel], meta: ModelMeta) -> Path:
    """Write every situation's boosters and ``model.json`` into ``directory``; return the
    metadata path. Format, versions, time and file hashes are added."""
    if not models:
        raise ModelError("no trained situation to save")
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict[str, dict[str, str]]] = {}
    meta.features = {name: list(m.features) for name, m in models.items()}
    meta.regressor_targets = {name: m.target for name, m in models.items()}
    meta.ratio_maps = {name: dict(m.ratio) for name, m in models.items() if m.ratio is not None}
    for name, m in models.items():
        if m.calibration is not None:
            meta.calibration.setdefault(name, {})["params"] = dict(m.calibration)
            meta.calibration[name].setdefault("method", "platt")
    meta.created_at = datetime.now(UTC).isoformat(timespec="seconds")
    meta.libraries = library_versions()
    for name, m in models.items():
        files[name] = {}
        for role in ROLES:
            booster = getattr(m, role)
            if booster is None:
                continue
            path = directory / _file_name(name, role)
            booster.save_model(str(path))
            files[name][role] = {"path": path.name, "sha256": _sha256(path)}
    data = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta.as_dict(), "files": files}
    out = directory / METADATA_FILE
    out.write_text(json.dumps(_clean(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def _booster(directory: Path, info: Any, what: str) -> xgb.Booster:
    if not isinstance(info, dict) or not isinstance(info.get("path"), str) or not info["path"]:
        raise ModelError(
            f"{directory / METADATA_FILE} does not name the {what} file — retrain with `influence train`"
        )
    file = (directory / info["path"]).resolve()
    if file.parent != directory.resolve():
        raise ModelError(
            f"{directory / METADATA_FILE} points the {what} outside the model folder ({info['path']!r}) — "
            "refusing to read it; retrain with `influence train`"
        )
    if not file.is_file():
        raise ModelError(f"the {what} file {file} is missing — retrain with `influence train`")
    size = file.stat().st_size
    if size > MAX_BOOSTER_BYTES:
        raise ModelError(
            f"{file} is {size / 1024 / 1024:,.0f} MiB, over the {MAX_BOOSTER_BYTES // 1024 // 1024} MiB a "
            "model file may take — not a model `influence train` wrote; retrain"
        )
    if _sha256(file) != info.get("sha256"):
        raise ModelError(f"{file} changed after {METADATA_FILE} was written — retrain, or restore the file")
    booster = xgb.Booster(params={"nthread": 2})
    try:
        booster.load_model(str(file))
    except (xgb.core.XGBoostError, UnicodeDecodeError, ValueError, OSError) as e:
        raise ModelError(
            f"XGBoost cannot read {file} ({type(e).__name__}) — retrain with `influence train`"
        ) from e
    return booster


def load(path: Path) -> SavedModel:
    """Load a model from its folder or its ``model.json``, and verify it.

    Raises :class:`ModelError` when a file is missing, malformed, outside the folder, was
    changed after saving, or does not match the metadata.
    """
    path = Path(path)
    directory = path if path.is_dir() else path.parent
    meta_path = directory / METADATA_FILE
    data = _read_metadata(directory, meta_path)
    meta = ModelMeta.from_dict(data)
    files = data.get("files")
    if not isinstance(files, dict) or not files:
        raise ModelError(f"{meta_path} lists no model files — retrain with `influence train`")
    situations = {
        name: _load_situation(directory, meta_path, meta, name, roles) for name, roles in files.items()
    }
    return SavedModel(situations=situations, meta=meta)


def _read_metadata(directory: Path, meta_path: Path) -> dict[str, Any]:
    """The metadata of a saved model, checked for its format and version."""
    if not meta_path.is_file():
        raise ModelError(
            f"no {METADATA_FILE} in {directory} — train a model with `influence train --out {directory}`"
        )
    try:
        data = read_json_file(meta_path, MAX_METADATA_BYTES)
    except (OSError, ValueError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise ModelError(
            f"{meta_path} is not a readable model file ({e}) — retrain with `influence train`"
        ) from e
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"{meta_path} is not an influence virality model")
    try:
        found = int(data.get("format_version", 0))
    except (TypeError, ValueError):
        found = -1
    if found > FORMAT_VERSION:
        raise ModelError(f"{meta_path} was written by a newer influence-graph — upgrade the package")
    if found < FORMAT_VERSION:
        raise ModelError(
            f"{meta_path} was written by an older influence-graph (format {found}) — retrain with "
            "`influence train` (models now hold a model per scoring situation)"
        )
    return data


def _load_situation(
    directory: Path, meta_path: Path, meta: ModelMeta, name: str, roles: Any
) -> SituationModel:
    """One situation's boosters, checked against the metadata's features, target and maps."""
    feats = meta.features.get(name)
    if (
        not isinstance(roles, dict)
        or not isinstance(feats, list)
        or not all(isinstance(f, str) for f in feats)
    ):
        raise ModelError(f"{meta_path} lacks the features or files of situation {name!r} — retrain")
    boosters: dict[str, xgb.Booster | None] = {}
    for role in ROLES:
        if role not in roles:
            if role == "overall":
                boosters[role] = None
                continue
            raise ModelError(f"{meta_path} lacks the {name} {role} file — retrain with `influence train`")
        booster = _booster(directory, roles[role], f"{name} {role}")
        if booster.feature_names is not None and list(booster.feature_names) != feats:
            raise ModelError(f"{roles[role]['path']} and {METADATA_FILE} disagree on the features — retrain")
        boosters[role] = booster
    clf, reg = boosters["classifier"], boosters["regressor"]
    assert clf is not None and reg is not None
    target = meta.regressor_targets.get(name, "target")
    if target not in ("target", "relative_target", "rank"):
        raise ModelError(f"{meta_path}: unknown regressor target {target!r} for {name} — retrain")
    params = (
        meta.calibration.get(name, {}).get("params") if isinstance(meta.calibration.get(name), dict) else None
    )
    ratio = meta.ratio_maps.get(name)
    if target == "rank" and not isinstance(ratio, dict):
        raise ModelError(
            f"{meta_path} lacks the ratio map of the {name} ranker — retrain with `influence train`"
        )
    return SituationModel(
        name,
        feats,
        clf,
        reg,
        boosters["overall"],
        target,
        calibration=params if isinstance(params, dict) else None,
        ratio=ratio if isinstance(ratio, dict) else None,
    )
