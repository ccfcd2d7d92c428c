"""Start-up: ``influence --help`` against ``python -c 'import click'``, as whole processes.

    python benchmarks/startup.py [--runs 21]

Both commands run in turn (A B A B …, so a machine whose speed drifts slows both alike) as
fresh processes; each run's wall seconds and peak RSS (the kernel's accounting of the finished
child, ``wait4``) are taken, and the ratio A/B pair by pair. Prints min / median / max of each
and the median ratio against the target: ``influence --help`` within 2x of importing click
(issue 22; the driver and the data stack are imported only by the commands that use them).
Also says which heavy modules ``--help`` imported (none is the point).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HEAVY = ("neo4j", "pandas", "numpy", "pyarrow", "xgboost", "sklearn", "spacy")
TARGET = 2.0


def _command() -> list[str]:
    script = shutil.which("influence", path=os.path.dirname(sys.executable))
    if script:
        return [script, "--help"]
    return [sys.executable, "-c", "from influence.cli import main; main()", "--help"]


def _run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one run of ``argv``."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {proc.returncode}")
    return wall, usage.ru_maxrss / 1024  # KiB on Linux


def _spread(values: list[float], unit: str, fmt: str = ".3f") -> str:
    return (
        f"median {statistics.median(values):{fmt}} {unit} (min {min(values):{fmt}}, max {max(values):{fmt}})"
    )


def _heavy_modules(argv: list[str]) -> list[str]:
    code = (
        "import sys\n"
        f"sys.argv = {argv!r}\n"
        "try:\n"
        "    from influence.cli import main\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    line = next(x for x in reversed(out.splitlines()) if x.startswith("HEAVY="))
    return [m for m in line.removeprefix("HEAVY=").split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=21, help="pairs to time (after 2 warm-up pairs)")
    args = parser.parse_args()
    a, b = _command(), [sys.executable, "-c", "import click"]
    for _ in range(2):  # warm the file cache and .pyc files
        _run(a)
        _run(b)
    a_wall, b_wall, a_rss, b_rss, ratios = [], [], [], [], []
    for _ in range(args.runs):
        wa, ra = _run(a)
        wb, rb = _run(b)
        a_wall.append(wa)
        b_wall.append(wb)
        a_rss.append(ra)
        b_rss.append(rb)
        ratios.append(wa / wb)
    ratio = statistics.median(ratios)
    print(
        f"A  influence --help:          wall {_spread(a_wall, 's')}; peak RSS {_spread(a_rss, 'MiB', '.0f')}"
    )
    print(
        f"B  python -c 'import click':  wall {_spread(b_wall, 's')}; peak RSS {_spread(b_rss, 'MiB', '.0f')}"
    )
    print(
        f"A/B wall, pair by pair over {args.runs} pairs: {_spread(ratios, 'x', '.2f')} "
        f"(target <= {TARGET:g}x) [{'PASS' if ratio <= TARGET else 'MISS'}]"
    )
    heavy = _heavy_modules(["influence", "--help"])
    print(f"heavy modules imported by --help: {', '.join(heavy) if heavy else 'none'}")
    print(f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
