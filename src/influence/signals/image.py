"""Image quality features of a post's media file (Pillow + numpy, no model).

Measured on the image scaled down to at most :data:`ANALYSIS_SIDE` pixels on its long side, so
the cost does not grow with the resolution and sharpness is comparable between a phone photo
and its Instagram-sized copy (width, height and megapixels are those of the original).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from influence.errors import InputError

#: Long side (pixels) of the copy the statistics are measured on.
ANALYSIS_SIDE = 512
IMAGE_FEATURES: tuple[str, ...] = (
    "width",
    "height",
    "megapixels",
    "sharpness",
    "brightness",
    "contrast",
    "colourfulness",
)
# Images larger than this many pixels are refused as probable decompression bombs.
MAX_PIXELS = 200_000_000
_EXIF_ORIENTATION = 0x0112
_ROTATED = frozenset({5, 6, 7, 8})  # orientations that swap width and height


def _laplacian_variance(lum: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian: high for crisp edges, low for blur."""
    if lum.shape[0] < 3 or lum.shape[1] < 3:
        return 0.0
    lap = lum[:-2, 1:-1] + lum[2:, 1:-1] + lum[1:-1, :-2] + lum[1:-1, 2:] - 4.0 * lum[1:-1, 1:-1]
    return float(lap.var())


def _colourfulness(rgb: np.ndarray) -> float:
    """Hasler & Süsstrunk (2003): sqrt(σ_rg² + σ_yb²) + 0.3 · sqrt(μ_rg² + μ_yb²)."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    rg = r - g
    yb = 0.5 * (r + g) - b
    return float(math.hypot(rg.std(), yb.std()) + 0.3 * math.hypot(rg.mean(), yb.mean()))


def image_quality(path: Path) -> dict[str, float]:
    """Quality features of the image at ``path``.

    Returns ``width``, ``height`` (pixels, after EXIF rotation), ``megapixels``, ``sharpness``
    (variance of the Laplacian of the luminance), ``brightness`` (mean luminance, 0–255),
    ``contrast`` (standard deviation of the luminance) and ``colourfulness``
    (Hasler–Süsstrunk). A missing, unreadable or broken file raises
    :class:`~influence.errors.InputError` naming the path and the reason.
    """
    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise InputError(f"image {path} has {width}x{height} pixels, more than {MAX_PIXELS:,}")
                if img.getexif().get(_EXIF_ORIENTATION) in _ROTATED:
                    width, height = height, width
                img.draft("RGB", (ANALYSIS_SIDE, ANALYSIS_SIDE))  # JPEG: decode at reduced size
                rgb_img = ImageOps.exif_transpose(img).convert("RGB")
                rgb_img.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE), Image.Resampling.BILINEAR)
                rgb = np.asarray(rgb_img, dtype=np.float32)
    except InputError:
        raise
    except FileNotFoundError as e:
        raise InputError(f"image {path} does not exist") from e
    except IsADirectoryError as e:
        raise InputError(f"image {path} is a directory, not an image file") from e
    except PermissionError as e:
        raise InputError(f"image {path} cannot be read: permission denied") from e
    except UnidentifiedImageError as e:
        raise InputError(f"image {path} is not an image Pillow can read (unknown or broken format)") from e
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as e:
        raise InputError(f"image {path} is broken or truncated: {e}") from e
    if rgb.size == 0:
        raise InputError(f"image {path} has no pixels")
    lum = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    return {
        "width": float(width),
        "height": float(height),
        "megapixels": width * height / 1e6,
        "sharpness": _laplacian_variance(lum),
        "brightness": float(lum.mean()),
        "contrast": float(lum.std()),
        "colourfulness": _colourfulness(rgb),
    }
