"""Progress on stderr for the CLI: the one place that draws it (the library only calls back).

* On a terminal: a `tqdm <https://tqdm.github.io/>`_ bar with the count, the rate and, when the
  total is known (files counted first), the ETA.
* When stderr is not a terminal (a pipe, a CI log): plain lines, at most one every
  :data:`LINE_INTERVAL` seconds plus a last one, never carriage returns.
* ``quiet``: nothing at all.

Commands get a :class:`Display` and ask it for a :class:`Bar` (``with display.bar(...) as bar``)
or a plain message line. :func:`load_callback` turns a bar into the callback
:func:`influence.ingest.ingest` calls with its live :class:`LoadSummary`, so the last
figures shown are the summary's own.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from influence.ingest import LoadSummary
    from influence.loaders.common import ParseStats

#: Seconds between two plain progress lines when stderr is not a terminal.
LINE_INTERVAL = 2.0


class Bar:
    """One unit of work being counted: ``update`` / ``set`` it, ``close`` it once."""

    def __init__(self, display: Display, desc: str, total: int | None, unit: str) -> None:
        self.display = display
        self.desc = desc
        self.total = total
        self.unit = unit
        self.n = 0
        self.postfix = ""
        self.started = time.monotonic()
        self._last_line = self.started  # the first line after one interval: a short job gets only its last
        self._closed = False
        self._printed: tuple[int, str] | None = None
        self._tqdm: Any = None
        if display.enabled and display.tty:
            from tqdm import tqdm

            try:
                width = os.get_terminal_size(display.stream.fileno()).columns
            except (OSError, ValueError, AttributeError):
                width = 0
            # a terminal that reports no size (a bare pty) would get an empty bar
            self._tqdm = tqdm(
                total=total,
                desc=desc,
                unit=f" {unit}",
                unit_scale=False,
                file=display.stream,
                dynamic_ncols=width > 0,
                ncols=None if width > 0 else 100,
                mininterval=0.2,
                leave=True,
            )

    def update(self, n: int = 1) -> None:
        """Count ``n`` more."""
        self.set(self.n + n)

    def set(self, n: int, postfix: str | None = None) -> None:
        """Set the count to ``n`` (and the text after the bar)."""
        self.n = n
        if postfix is not None:
            self.postfix = postfix
        if self._tqdm is not None:
            now = time.monotonic()
            if now - self._last_line >= 0.2:
                self._last_line = now
                self._tqdm.n = n
                if postfix is not None:
                    self._tqdm.set_postfix_str(postfix, refresh=False)
                self._tqdm.refresh()
        elif self.display.enabled and (self.total is None or n < self.total):  # close() prints the end
            now = time.monotonic()
            if now - self._last_line >= self.display.interval:
                self._last_line = now
                self._printed = (self.n, self.postfix)
                self.display.line(self.text())

    def text(self) -> str:
        """The plain line: ``desc: n/total unit (rate/s, ETA …) — postfix``."""
        elapsed = time.monotonic() - self.started
        rate = self.n / elapsed if elapsed > 0 else 0.0
        count = f"{self.n:,}/{self.total:,}" if self.total is not None else f"{self.n:,}"
        parts = [
            f"{rate:,.0f} {self.unit}/s"
            if rate >= 10 or rate == 0 and self.n == 0
            else f"{rate:.2g} {self.unit}/s"
        ]
        if self.total and rate > 0 and self.n < self.total:
            parts.append(f"ETA {_duration((self.total - self.n) / rate)}")
        elif self._closed:
            parts.append(f"in {_duration(elapsed)}")
        line = f"{self.desc}: {count} {self.unit} ({', '.join(parts)})"
        return f"{line} — {self.postfix}" if self.postfix else line

    def close(self) -> None:
        """Show the final count (a terminal keeps the full bar; a log gets a last line)."""
        if self._closed:
            return
        self._closed = True
        if self._tqdm is not None:
            self._tqdm.n = self.n
            if self.postfix:
                self._tqdm.set_postfix_str(self.postfix, refresh=False)
            self._tqdm.close()
        elif (
            self.display.enabled
            and (self.n or self.postfix)
            and (self.total is not None or self._printed != (self.n, self.postfix))
        ):  # nothing happened: no line
            self.display.line(self.text())


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, s = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {s:02d} s"
    hours, m = divmod(minutes, 60)
    return f"{hours} h {m:02d} min"


class Display:
    """Where a command's progress goes: stderr, as bars (terminal) or lines (not a terminal),
    or nowhere (``quiet``). ``tty`` overrides the terminal check (tests)."""

    def __init__(
        self,
        quiet: bool = False,
        stream: IO[str] | None = None,
        tty: bool | None = None,
        interval: float = LINE_INTERVAL,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval = interval

    def line(self, text: str) -> None:
        """One plain line on stderr (nothing when quiet)."""
        if self.enabled:
            print(text, file=self.stream, flush=True)

    @contextmanager
    def bar(self, desc: str, total: int | None = None, unit: str = "records") -> Iterator[Bar]:
        """A :class:`Bar` closed when the block ends."""
        bar = Bar(self, desc, total, unit)
        try:
            yield bar
        finally:
            bar.close()


def count_files(path: Path | str, recursive: bool = True) -> int | None:
    """Files under ``path`` (1 for a file; ``recursive=False``: only the folder's own) — the total
    of a folder load's progress; None when it cannot be listed. Symlinked folders are not
    followed, as the loaders do."""
    root = Path(path)
    if root.is_file():
        return 1
    if not root.is_dir():
        return None
    total = 0
    for _folder, dirs, files in os.walk(root):
        total += len(files)
        if not recursive:
            dirs.clear()
    return total


def load_callback(bar: Bar, stats: ParseStats | None = None) -> Callable[[LoadSummary], None]:
    """The ``progress`` callback of :func:`~influence.ingest.ingest`: the bar counts files
    when it has a total — those a folder parser has seen (gallery-dl, instaloader) or begun plus
    skipped (CSV, profilecrawl, which list their files first) — else records read; the text after
    it gives records read, written and rejected: the summary's own figures."""

    def update(summary: LoadSummary) -> None:
        written = summary.records - summary.written["scrapes"]
        text = f"{summary.read:,} records read, {written:,} written, {summary.rejected:,} rejected"
        if bar.total is not None and stats is not None:
            done = stats.files_started + stats.files_skipped if stats.files_started else stats.files_seen
            bar.set(min(done, bar.total), text)
        else:
            bar.set(summary.read, text)

    return update
