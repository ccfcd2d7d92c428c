"""influence.progress: bars on a terminal, plain lines elsewhere, nothing when quiet (no database)."""

from __future__ import annotations

import io
from pathlib import Path

from influence.ingest import LoadSummary
from influence.loaders.common import ParseStats
from influence.progress import Display, count_files, load_callback


def test_quiet_writes_nothing() -> None:
    out = io.StringIO()
    display = Display(quiet=True, stream=out, tty=False, interval=0)
    with display.bar("load", total=3, unit="files") as bar:
        bar.update(3)
    display.line("a message")
    assert out.getvalue() == ""


def test_not_a_terminal_gives_plain_lines_with_rate_and_eta() -> None:
    out = io.StringIO()
    display = Display(stream=out, tty=False, interval=0)
    with display.bar("load", total=10, unit="files") as bar:
        bar.set(4, "4 records read")
        bar.set(10, "10 records read")
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert (
        lines[0].startswith("load: 4/10 files (")
        and "ETA" in lines[0]
        and lines[0].endswith("— 4 records read")
    )
    # the end is printed once, by close(), with the elapsed time
    assert lines[-1].startswith("load: 10/10 files (") and " in " in lines[-1] and len(lines) == 2


def test_terminal_gives_a_tqdm_bar_with_the_final_count() -> None:
    out = io.StringIO()
    with Display(stream=out, tty=True).bar("analyze", total=4, unit="steps") as bar:
        for _ in range(4):
            bar.update()
    text = out.getvalue()
    assert "\r" in text and "analyze" in text and "4/4" in text and "100%" in text


def test_load_callback_counts_files_and_shows_the_summary_figures(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.json").write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.jpg").write_bytes(b"")
    assert count_files(tmp_path) == 4 and count_files(tmp_path / "0.json") == 1
    assert count_files(tmp_path / "missing") is None
    out = io.StringIO()
    stats = ParseStats()
    summary = LoadSummary()
    with Display(stream=out, tty=False, interval=0).bar("load", total=4, unit="files") as bar:
        update = load_callback(bar, stats)
        stats.files_seen, summary.read, summary.written["posts"], summary.rejected = 4, 7, 6, 1
        update(summary)
    assert out.getvalue().splitlines()[-1].startswith("load: 4/4 files")
    assert "7 records read, 6 written, 1 rejected" in out.getvalue()
    # a parser that lists its files first (CSV, profilecrawl): files begun + files skipped
    assert count_files(tmp_path, recursive=False) == 3
    out = io.StringIO()
    listed = ParseStats(files_seen=3)
    listed.skip("not a profile file (*.json)")
    with Display(stream=out, tty=False, interval=0).bar("load", total=4, unit="files") as bar:
        update = load_callback(bar, listed)
        listed.files_started = 1
        update(summary)
        assert out.getvalue().startswith("load: 2/4 files")
        listed.files_started = 3
        update(summary)
    assert out.getvalue().splitlines()[-1].startswith("load: 4/4 files")
