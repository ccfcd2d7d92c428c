"""Settings files in TOML laid over a default shipped in this package (criteria, policy)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from influence.errors import ConfigError


def read_over_default(
    package: str, default_file: str, path: Path | str | None, what: str
) -> tuple[dict[str, Any], str]:
    """``(data, source)``: the ``default_file`` shipped in ``package`` (dotted name) with the top-level keys of ``path``
    (TOML) laid over it, and ``"default"`` or the path as the source.

    A top-level table in ``path`` replaces the default's table as a whole. Raises
    :class:`~influence.errors.ConfigError` naming ``what`` (``"criteria"``, ``"policy"``) and
    the path when the file is missing, unreadable, not UTF-8 or not TOML.
    """
    data = tomllib.loads(resources.files(package).joinpath(default_file).read_text(encoding="utf-8"))
    if path is None:
        return data, "default"
    path = Path(path)
    try:
        user = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"{what} file {path} does not exist — check the path") from e
    except OSError as e:
        raise ConfigError(f"cannot read {what} file {path}: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{what} file {path} is not UTF-8 text: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{what} file {path} is not valid TOML: {e}") from e
    data.update(user)
    return data, str(path)
