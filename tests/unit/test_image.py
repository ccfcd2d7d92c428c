"""Image quality features on images generated with Pillow."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from influence.errors import InputError
from influence.signals.image import IMAGE_FEATURES, image_quality


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(7)
    # a colourful scene with edges: stripes of saturated colours plus noise
    arr = np.zeros((300, 400, 3), dtype=np.float32)
    for i, colour in enumerate([(230, 30, 30), (30, 200, 40), (30, 60, 230), (240, 220, 20)]):
        arr[:, i * 100 : (i + 1) * 100] = colour
    arr += rng.normal(0, 25, arr.shape)
    original = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    paths = {
        "original": d / "original.png",
        "blurred": d / "blurred.png",
        "dark": d / "dark.png",
        "grey": d / "grey.png",
        "flat": d / "flat.png",
        "jpeg": d / "photo.jpg",
    }
    original.save(paths["original"])
    original.filter(ImageFilter.GaussianBlur(5)).save(paths["blurred"])
    Image.fromarray((np.asarray(original, dtype=np.float32) * 0.25).astype(np.uint8)).save(paths["dark"])
    original.convert("L").convert("RGB").save(paths["grey"])
    Image.new("RGB", (50, 40), (128, 128, 128)).save(paths["flat"])
    big = original.resize((2000, 1500))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the displayed image is 1500 x 2000
    big.save(paths["jpeg"], quality=90, exif=exif)
    return paths


def test_features_and_dimensions(images: dict[str, Path]) -> None:
    q = image_quality(images["original"])
    assert tuple(q) == IMAGE_FEATURES
    assert (q["width"], q["height"], q["megapixels"]) == (400, 300, 0.12)
    assert all(isinstance(v, float) for v in q.values())


def test_blur_lowers_sharpness(images: dict[str, Path]) -> None:
    assert image_quality(images["blurred"])["sharpness"] < image_quality(images["original"])["sharpness"] / 10


def test_dark_image_is_darker_and_flatter(images: dict[str, Path]) -> None:
    original, dark = image_quality(images["original"]), image_quality(images["dark"])
    assert dark["brightness"] < original["brightness"] / 2
    assert dark["contrast"] < original["contrast"]


def test_grey_image_is_not_colourful(images: dict[str, Path]) -> None:
    assert (
        image_quality(images["grey"])["colourfulness"]
        < 1.0
        < image_quality(images["original"])["colourfulness"]
    )


def test_uniform_image_has_no_sharpness_or_contrast(images: dict[str, Path]) -> None:
    q = image_quality(images["flat"])
    assert q["sharpness"] == 0 and q["contrast"] == 0 and q["colourfulness"] == 0
    assert q["brightness"] == pytest.approx(128)


def test_large_rotated_jpeg(images: dict[str, Path]) -> None:
    q = image_quality(images["jpeg"])
    assert (q["width"], q["height"]) == (1500, 2000)
    assert q["megapixels"] == pytest.approx(3.0)
    assert q["colourfulness"] > 20


@pytest.mark.parametrize("case", ["missing", "truncated", "not_an_image", "directory", "empty"])
def test_broken_files_raise_input_error_naming_path_and_reason(
    tmp_path: Path, images: dict[str, Path], case: str
) -> None:
    path = tmp_path / f"{case}.jpg"
    reason = {
        "missing": "does not exist",
        "truncated": "broken or truncated",
        "not_an_image": "not an image",
        "directory": "is a directory",
        "empty": "not an image",
    }[case]
    if case == "truncated":
        path.write_bytes(images["jpeg"].read_bytes()[:3000])
    elif case == "not_an_image":
        path.write_text("caption,likes\nhello,3\n")
    elif case == "directory":
        path.mkdir()
    elif case == "empty":
        path.write_bytes(b"")
    with pytest.raises(InputError) as err:
        image_quality(path)
    assert str(path) in str(err.value) and reason in str(err.value)
