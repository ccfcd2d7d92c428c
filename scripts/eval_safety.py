"""The brand-safety figures of docs/brand-safety.md: precision and recall of each check on the labelled sets,
and the false-alarm rate on the real crawl's captions, with every flagged caption written to a file
for a person to read.

    .venv/bin/python scripts/eval_safety.py [--misses] [--crawl DIR] [--out FILE]

``--crawl`` is the instagram-profilecrawl-2017 ``profiles`` folder (default
``../shared/data/instagram-profilecrawl-2017/profiles``, read in place; skipped when missing).
``--out`` (default ``safety-crawl-flags.md``) receives every crawl caption the checks flag.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path
from typing import Any

from influence.safety.evaluation import crawl_captions, crawl_flags, evaluate_checks, evaluate_kinds
from influence.safety.policy import load_policy

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "safety"
CRAWL = Path("../shared/data/instagram-profilecrawl-2017/profiles")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--misses", action="store_true", help="list each miss and false alarm")
    parser.add_argument("--crawl", type=Path, default=CRAWL, help="profilecrawl profiles folder")
    parser.add_argument(
        "--out", type=Path, default=Path("safety-crawl-flags.md"), help="flagged crawl captions"
    )
    args = parser.parse_args()
    for name in ("labelled", "holdout"):
        report(FIXTURES / f"{name}.csv", args.misses)
    for name in ("kinds_dev", "kinds_test"):
        report_kinds(FIXTURES / f"{name}.csv", args.misses)
    if args.crawl.is_dir():
        report_crawl(args.crawl, args.out)
    else:
        print(f"\n(no crawl at {args.crawl}: pass --crawl DIR for the false-alarm rate on real captions)")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def report(path: Path, misses: bool) -> None:
    rows = _rows(path)
    result = evaluate_checks([r["text"] for r in rows], [r["label"] for r in rows], load_policy(None))
    print(f"\n{path.name}\n")
    print("| check | meant to catch | posts | flagged | precision | recall |")
    print("|---|---|---:|---:|---:|---:|")
    for r in result:
        print(
            f"| {r['check']} | {r['target']} | {r['n']} | {r['flagged']} | {_num(r['precision'])} | "
            f"{r['recall']:.2f} |"
        )
    if misses:
        for r in result:
            print(f"\n{r['check']}: missed {len(r['missed'])}, false alarms {len(r['false_alarms'])}")
            for t in r["missed"]:
                print("  miss:", t)
            for t in r["false_alarms"]:
                print("  false alarm:", t)


def report_kinds(path: Path, misses: bool) -> None:
    result: dict[str, Any] = evaluate_kinds(_rows(path), load_policy(None))
    print(f"\n{path.name}\n")
    print("| kind | captions | flagged as the kind | precision | recall | any flag (recall) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in result["kinds"]:
        print(
            f"| {r['kind']} | {r['n']} | {r['flagged']} | {_num(r['precision'])} | {_num(r['recall'])} | "
            f"{_num(result['any_recall'].get(r['kind']))} |"
        )
    b = result["benign"]
    print(
        f"\nbenign near-misses: {b['n']}; flagged by a kind {b['flagged_by_rules']} ({_num(b['rate_rules'])}); "
        f"flagged by any check {b['flagged_any']} ({_num(b['rate_any'])})"
    )
    if misses:
        for r in result["kinds"]:
            for t in r["missed"]:
                print(f"  {r['kind']} missed: {t}")
            for t, label in r["wrong"]:
                print(f"  {r['kind']} wrongly (labelled {label}): {t}")
        for t, flags in b["by_any"]:
            print(f"  benign flagged: {t}  ->  {', '.join(flags)}")


def report_crawl(folder: Path, out: Path) -> None:
    started = time.monotonic()
    captions, unreadable = crawl_captions(sorted(folder.glob("*.json")))
    result = crawl_flags(captions, load_policy(None))
    n, rules, anyflag = result["n"], result["flagged_rules"], result["flagged_any"]
    print(
        f"\ncrawl: {n:,} captions from {folder} ({len(unreadable)} unreadable files) in "
        f"{time.monotonic() - started:.0f} s"
    )
    print(f"flagged by a kind of harmful speech: {len(rules)} ({len(rules) / n:.2%})")
    print(f"flagged by any check: {len(anyflag)} ({len(anyflag) / n:.2%}); by check: {result['by_check']}")
    with out.open("w", encoding="utf-8") as f:
        f.write(
            f"# Brand-safety flags on the real crawl ({folder})\n\n{n:,} captions; "
            f"{len(rules)} ({len(rules) / n:.2%}) flagged by a kind of harmful speech (threat, "
            f"dehumanisation, incitement, harassment); {len(anyflag)} ({len(anyflag) / n:.2%}) by any check "
            f"of the default policy. Each flagged caption follows, for a person to judge.\n"
        )
        for title, entries in (
            ("Flagged by a kind of harmful speech", rules),
            ("Flagged by any check", anyflag),
        ):
            f.write(f"\n## {title} ({len(entries)})\n")
            for e in entries:
                text = " ".join(e["text"].split())
                f.write(
                    f"\n- **{e['profile']}** {e['post']}\n  - flags: {'; '.join(e['flags'])}\n  - caption: {text}\n"
                )
        for u in unreadable:
            f.write(f"\n- unreadable: {u}\n")
    print(f"every flagged caption: {out}")


if __name__ == "__main__":
    main()
