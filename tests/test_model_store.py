"""Saving and loading models: .ubj + JSON metadata, identical predictions, tamper detection."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import xgboost as xgb

from influence.errors import ModelError
from influence.models import store, train
from test_train import synthetic_frame


@pytest.fixture(scope="module")
def trained() -> train.TrainResult:
    return train.train_models(synthetic_frame(400, seed=5), ["log_followers", "quality", "irrelevant"])


def _save(result: train.TrainResult, directory: Path) -> Path:
    return store.save(directory, result.classifier, result.regressor,
                      {"features": result.features, "metrics": result.metrics, "mode": "pre"})


def test_reloaded_model_gives_identical_predictions(trained: train.TrainResult, tmp_path: Path) -> None:
    _save(trained, tmp_path)
    loaded = store.load(tmp_path)
    x = np.random.default_rng(0).normal(size=(50, len(trained.features)))
    x[::7, 0] = np.nan
    dm = xgb.DMatrix(x, feature_names=trained.features, missing=np.nan)
    for before, after in ((trained.classifier, loaded.classifier), (trained.regressor, loaded.regressor)):
        a = before.predict(dm, iteration_range=train.best_iteration_range(before))
        b = after.predict(dm, iteration_range=train.best_iteration_range(after))
        assert np.array_equal(a, b)
    assert loaded.features == trained.features


def test_metadata_has_versions_hashes_and_no_pickle(trained: train.TrainResult, tmp_path: Path) -> None:
    meta_path = _save(trained, tmp_path)
    meta = json.loads(meta_path.read_text())
    assert meta["format"] == store.FORMAT and meta["libraries"]["xgboost"] == xgb.__version__
    assert len(meta["files"]["classifier"]["sha256"]) == 64
    assert meta["metrics"]["model"]["roc_auc"] > 0.5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "model.ubj", "velocity.ubj"]
    assert not any(p.suffix in {".pkl", ".pickle", ".joblib"} for p in tmp_path.iterdir())


def test_changed_model_file_is_refused(trained: train.TrainResult, tmp_path: Path) -> None:
    _save(trained, tmp_path)
    with (tmp_path / "model.ubj").open("ab") as f:
        f.write(b"x")
    with pytest.raises(ModelError, match="changed after"):
        store.load(tmp_path)


def test_missing_model_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="influence train"):
        store.load(tmp_path)


def test_fingerprint_ignores_row_order_but_not_values() -> None:
    frame = synthetic_frame(50)
    cols = ["quality", "viral"]
    assert store.fingerprint(frame, cols) == store.fingerprint(frame.sample(frac=1, random_state=1), cols)
    changed = frame.copy()
    changed.iloc[0, changed.columns.get_loc("quality")] += 1
    assert store.fingerprint(frame, cols) != store.fingerprint(changed, cols)
