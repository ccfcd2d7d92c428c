"""Print precision and recall of each brand-safety check on the labelled set (README figures).

    .venv/bin/python scripts/eval_safety.py [--misses]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from influence.models.safety import load_policy
from influence.models.safety_eval import evaluate_checks

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "safety"


def main() -> None:
    for name in ("labelled", "holdout"):
        report(FIXTURES / f"{name}.csv")


def report(path: Path) -> None:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    result = evaluate_checks([r["text"] for r in rows], [r["label"] for r in rows], load_policy(None))
    print(f"\n{path.name}\n")
    print("| check | meant to catch | posts | flagged | precision | recall |")
    print("|---|---|---:|---:|---:|---:|")
    for r in result:
        p = "—" if r["precision"] is None else f"{r['precision']:.2f}"
        print(f"| {r['check']} | {r['target']} | {r['n']} | {r['flagged']} | {p} | {r['recall']:.2f} |")
    if "--misses" in sys.argv:
        for r in result:
            print(f"\n{r['check']}: missed {len(r['missed'])}, false alarms {len(r['false_alarms'])}")
            for t in r["missed"]:
                print("  miss:", t)
            for t in r["false_alarms"]:
                print("  false alarm:", t)


if __name__ == "__main__":
    main()
