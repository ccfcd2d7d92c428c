"""Saving and loading models: .ubj + typed JSON metadata, identical predictions, tamper and
corruption detection (every broken file is a ModelError naming it, never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import xgboost as xgb
from test_train import FEATURES, synthetic_frame

from influence.errors import ModelError
from influence.models import store, train


@pytest.fixture(scope="module")
def trained() -> train.TrainResult:
    return train.train_models(synthetic_frame(500, seed=5), FEATURES)


def _save(result: train.TrainResult, directory: Path) -> Path:
    meta = store.ModelMeta(
        mode="pre",
        target="engagement",
        evaluation=result.evaluation,
        importance=result.importance,
        splits=result.splits,
    )
    return store.save(directory, result.models, meta)


def test_reloaded_model_gives_identical_predictions(trained: train.TrainResult, tmp_path: Path) -> None:
    _save(trained, tmp_path)
    loaded = store.load(tmp_path)
    assert set(loaded.situations) == set(trained.models)
    for name, before in trained.models.items():
        after = loaded.situations[name]
        assert after.features == before.features
        x = np.random.default_rng(0).normal(size=(50, len(before.features)))
        x[::7, 0] = np.nan
        dm = xgb.DMatrix(x, feature_names=before.features, missing=np.nan)
        for a, b in ((before.classifier, after.classifier), (before.regressor, after.regressor)):
            assert np.array_equal(
                a.predict(dm, iteration_range=train.best_iteration_range(a)),
                b.predict(dm, iteration_range=train.best_iteration_range(b)),
            )
    assert loaded.meta.evaluation["known_author"]["time"]["model"]["roc_auc"] > 0.5
    assert loaded.meta.importance["known_author"]["quality"] > 0


def test_metadata_has_versions_hashes_and_no_pickle(trained: train.TrainResult, tmp_path: Path) -> None:
    meta_path = _save(trained, tmp_path)
    meta = json.loads(meta_path.read_text())
    assert meta["format"] == store.FORMAT and meta["libraries"]["xgboost"] == xgb.__version__
    assert len(meta["files"]["known_author"]["classifier"]["sha256"]) == 64
    assert meta["features"]["new_author"] == trained.models["new_author"].features
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "model.json" in names and "own_drafts.regressor.ubj" in names
    assert not any(p.suffix in {".pkl", ".pickle", ".joblib"} for p in tmp_path.iterdir())


def test_changed_model_file_is_refused(trained: train.TrainResult, tmp_path: Path) -> None:
    _save(trained, tmp_path)
    with (tmp_path / "known_author.classifier.ubj").open("ab") as f:
        f.write(b"x")
    with pytest.raises(ModelError, match="changed after"):
        store.load(tmp_path)


def _rewrite(path: Path, change: object) -> None:
    meta = json.loads(path.read_text())
    path.write_text(json.dumps(change(meta) if callable(change) else change))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ([1, 2, 3], "not an influence virality model"),
        (lambda m: {**m, "features": {}}, "lacks the features"),
        (lambda m: {**m, "features": "x"}, "should be a dict"),
        (lambda m: {**m, "files": {}}, "lists no model files"),
        (lambda m: {**m, "format_version": 1}, "older influence-graph"),
        (lambda m: {**m, "format_version": "x"}, "older influence-graph"),
    ],
)
def test_malformed_model_json_is_a_clear_error(
    trained: train.TrainResult, tmp_path: Path, change: object, message: str
) -> None:
    meta_path = _save(trained, tmp_path)
    _rewrite(meta_path, change)
    with pytest.raises(ModelError, match=message):
        store.load(tmp_path)


def test_random_bytes_with_a_matching_checksum_are_a_clear_error(
    trained: train.TrainResult, tmp_path: Path
) -> None:
    meta_path = _save(trained, tmp_path)
    file = tmp_path / "new_author.regressor.ubj"
    file.write_bytes(np.random.default_rng(1).bytes(4096))
    meta = json.loads(meta_path.read_text())
    meta["files"]["new_author"]["regressor"]["sha256"] = store._sha256(file)
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="cannot read"):
        store.load(tmp_path)


def test_paths_outside_the_model_folder_are_refused(trained: train.TrainResult, tmp_path: Path) -> None:
    model = tmp_path / "m"
    meta_path = _save(trained, model)
    outside = tmp_path / "elsewhere.ubj"
    outside.write_bytes((model / "known_author.classifier.ubj").read_bytes())
    meta = json.loads(meta_path.read_text())
    meta["files"]["known_author"]["classifier"]["path"] = "../elsewhere.ubj"
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="outside the model folder"):
        store.load(model)


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
