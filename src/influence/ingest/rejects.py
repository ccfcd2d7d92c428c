"""The rejects file: each record a load refused, with its reason, capped in lines and bytes."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any

from influence.errors import OutputError
from influence.loaders import limits
from influence.loaders.common import MAX_RAW_CHARS, MAX_RAW_ITEMS


# ------------------------------------------------------------------------------ rejects
def json_safe(value: Any) -> Any:
    """``value`` as something :func:`json.dumps` accepts (dates as ISO text, bytes decoded),
    bounded like :func:`influence.loaders.common.json_safe`: long strings and lists are cut, so a
    20 MB caption does not put 20 MB into the rejects file."""
    if isinstance(value, str):
        return value if len(value) <= MAX_RAW_CHARS else value[:MAX_RAW_CHARS] + "…"
    if value is None or isinstance(value, int | bool):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return json_safe(bytes(value[: MAX_RAW_CHARS * 4]).decode("utf-8", errors="replace"))
    if is_dataclass(value) and not isinstance(value, type):
        return json_safe(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in islice(value.items(), MAX_RAW_ITEMS)}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in islice(value, MAX_RAW_ITEMS)]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value)


_ESCAPE_RE = re.compile(r"\\(\\|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    if code == "\\":
        return m.group(0)
    char = chr(int(code[1:], 16))
    if unicodedata.category(char) == "Zs":  # no-break, narrow, ideographic … spaces
        return " "
    return char if char.isprintable() else m.group(0)


def readable(reason: str) -> str:
    """``reason`` with the escapes ``repr()`` put into quoted input values turned back into what a
    person reads: a no-break space (``\\xa0``) and other space characters as a space, printable
    characters as themselves; control and invisible characters stay escaped (``\\x00``,
    ``\\u200b``) so they can be seen."""
    return _ESCAPE_RE.sub(_unescape, reason) if "\\" in reason else reason


def reason_kind(reason: str) -> str:
    """The tally key of a reject reason: the text before its first ``:`` (at most 80 chars)."""
    return reason.split(":", 1)[0].strip()[:80] or "unspecified"


class RejectWriter:
    """Appends rejects to a JSON Lines file, opened on the first reject (thread-safe).

    At most ``max_rejects`` lines and ``max_rejects_bytes`` bytes are written (default: the
    :mod:`~influence.loaders.limits` in force); later rejects are only counted (``count``,
    ``reasons``, ``unwritten``), so millions of bad rows cannot fill a disk. A file that cannot
    be written (a full disk) raises :class:`~influence.errors.OutputError` naming the file and
    what to free.
    """

    def __init__(self, path: Path, max_lines: int | None = None, max_bytes: int | None = None) -> None:
        lim = limits.current()
        self.path = path
        self.max_lines = max_lines or lim.max_rejects
        self.max_bytes = max_bytes or lim.max_rejects_bytes
        self._file: IO[str] | None = None
        self._lock = threading.Lock()
        self._failed = False
        self.count = 0
        self.written = 0
        self.bytes = 0
        #: rejects counted but not written once the file reached its cap
        self.unwritten = 0
        self.reasons: Counter[str] = Counter()

    def write(self, source: str, position: str, reason: str, raw: Any) -> None:
        """Append one reject ``{source, position, reason, raw}`` (the reason made :func:`readable`)."""
        reason = readable(reason)
        with self._lock:
            self.count += 1
            self.reasons[reason_kind(reason)] += 1
            if self._failed or self.written >= self.max_lines or self.bytes >= self.max_bytes:
                self.unwritten += 1
                return
        line = {"source": str(source), "position": str(position), "reason": reason, "raw": json_safe(raw)}
        text = json.dumps(line, ensure_ascii=False) + "\n"
        with self._lock:
            size = len(text.encode("utf-8", errors="replace"))
            if self.bytes + size > self.max_bytes:
                self.bytes = self.max_bytes
                self.unwritten += 1
                return
            try:
                if self._file is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._file = self.path.open("a", encoding="utf-8")
                self._file.write(text)
            except OSError as e:
                raise self._error(e) from e
            self.written += 1
            self.bytes += size

    def _error(self, e: OSError) -> OutputError:
        self._failed = True
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        where = self.path.parent.resolve()
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            try:
                free = (
                    f"{os.statvfs(where).f_bavail * os.statvfs(where).f_frsize / 1024 / 1024:,.0f} MiB free"
                )
            except OSError:
                free = "no space left"
            what = (
                f"the disk holding it is full ({free}) — free space on that disk (the rejects file needs up to "
                f"{self.max_bytes / 1024 / 1024:,.0f} MiB, --max-rejects-mb) or pass --rejects with a path on "
                "another disk"
            )
        else:
            what = f"{e.strerror or e} — pass --rejects with a path you can write"
        return OutputError(
            f"cannot write the rejects file {self.path}: {what}; the load stopped after {self.count:,} rejects, what "
            "it wrote to the graph stays, and rerunning the same command finishes it"
        )

    def close(self) -> None:
        """Close the file; :class:`~influence.errors.OutputError` when its last lines cannot be written."""
        with self._lock:
            if self._file is not None:
                file, self._file = self._file, None
                try:
                    file.close()
                except OSError as e:
                    raise self._error(e) from e
