"""Saving and loading a trained predictor: XGBoost ``.ubj`` files plus JSON metadata, never pickle.

A model directory holds ``model.ubj`` (the viral classifier), ``velocity.ubj`` (the log1p
velocity regressor) and ``model.json``: the feature list, the criteria, the scoring mode, a
fingerprint of the training data, library versions, the metrics, the embedding version, and
the SHA-256 of both ``.ubj`` files so a load notices a swapped or damaged file.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from influence.errors import ModelError

FORMAT = "influence-virality-model"
FORMAT_VERSION = 1
CLASSIFIER_FILE = "model.ubj"
REGRESSOR_FILE = "velocity.ubj"
METADATA_FILE = "model.json"


@dataclass
class SavedModel:
    """A loaded (or just trained) predictor: both boosters and their metadata."""

    classifier: xgb.Booster
    regressor: xgb.Booster
    metadata: dict[str, Any]

    @property
    def features(self) -> list[str]:
        """Feature names in the order the boosters expect them."""
        return list(self.metadata["features"])

    @property
    def mode(self) -> str:
        """``pre`` or ``early``."""
        return str(self.metadata.get("mode", "pre"))


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


def save(directory: Path, classifier: xgb.Booster, regressor: xgb.Booster, metadata: dict[str, Any]) -> Path:
    """Write both boosters and ``model.json`` into ``directory``; return the metadata path.

    ``metadata`` must hold ``features``; format, versions, time and file hashes are added.
    """
    if "features" not in metadata:
        raise ModelError("model metadata needs the feature list")
    directory.mkdir(parents=True, exist_ok=True)
    clf_path, reg_path = directory / CLASSIFIER_FILE, directory / REGRESSOR_FILE
    classifier.save_model(str(clf_path))
    regressor.save_model(str(reg_path))
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "libraries": library_versions(),
        **metadata,
        "files": {
            "classifier": {"path": CLASSIFIER_FILE, "sha256": _sha256(clf_path)},
            "regressor": {"path": REGRESSOR_FILE, "sha256": _sha256(reg_path)},
        },
    }
    out = directory / METADATA_FILE
    out.write_text(json.dumps(_clean(meta), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def load(path: Path) -> SavedModel:
    """Load a model from its directory, ``model.json`` or ``model.ubj``, and verify it.

    Raises :class:`ModelError` when a file is missing, was changed after saving, or does not
    match the metadata.
    """
    path = Path(path)
    directory = path if path.is_dir() else path.parent
    meta_path = directory / METADATA_FILE
    if not meta_path.is_file():
        raise ModelError(f"no {METADATA_FILE} in {directory} — train a model with `influence train --out {directory}`")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ModelError(f"{meta_path} is not valid JSON ({e}) — retrain with `influence train`") from e
    if meta.get("format") != FORMAT:
        raise ModelError(f"{meta_path} is not an influence virality model")
    if int(meta.get("format_version", 0)) > FORMAT_VERSION:
        raise ModelError(f"{meta_path} was written by a newer influence-graph — upgrade the package")
    boosters = []
    for role in ("classifier", "regressor"):
        info = meta.get("files", {}).get(role, {})
        file = directory / str(info.get("path", ""))
        if not file.is_file():
            raise ModelError(f"the {role} file {file} is missing — retrain with `influence train`")
        if _sha256(file) != info.get("sha256"):
            raise ModelError(f"{file} changed after {METADATA_FILE} was written — retrain, or restore the file")
        booster = xgb.Booster(params={"nthread": 2})
        try:
            booster.load_model(str(file))
        except xgb.core.XGBoostError as e:
            raise ModelError(f"XGBoost cannot read {file}: {e}") from e
        if booster.feature_names is not None and list(booster.feature_names) != list(meta["features"]):
            raise ModelError(f"{file} and {METADATA_FILE} disagree on the features — retrain")
        boosters.append(booster)
    return SavedModel(classifier=boosters[0], regressor=boosters[1], metadata=meta)
