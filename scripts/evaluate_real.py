"""Evaluate the virality predictor on the real data sets in ../shared/data (reads them in place)
and write the evaluation table of docs/evaluation.md.

    INFLUENCE_HOME=/tmp/ig-x INFLUENCE_BOLT_PORT=... python scripts/evaluate_real.py --yes --out eval/

Uses the Neo4j the environment points at (managed server or NEO4J_URI) and **empties it**
(`--yes` confirms). For each data set it loads the data with the project's loaders, runs
`influence analyze` (graph features), trains with the default criteria and `target = auto`
exactly as `influence train` does, and writes every model folder, `results.json` and
`results.md` (the three situations, each on a time and an author split, against follower
count, the author's usual engagement and chance):

* ``crawl`` — instagram-profilecrawl-2017: each post seen once (settled-engagement labels);
* ``crawl+recrawl`` — the same crawl and its second pass five days later (two observations of
  most posts): pre-publication, and early mode (the model also sees the engagement of the
  first crawl, at most 48 h after posting);
* ``reddit`` — r/all hourly top-100 (early mode at 2, 3 and 4 hours; see
  the shipped criteria reddit-final-top10, `influence criteria list`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from influence import db
from influence.config import Settings
from influence.ingest import ingest
from influence.loaders import csv_input, profilecrawl
from influence.models.card import summary_table
from influence.models.criteria import criteria_path, load_criteria
from influence.models.pipeline import train_from_graph

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "data"
CRAWL = DATA / "instagram-profilecrawl-2017" / "profiles"
RECRAWL = DATA / "instagram-profilecrawl-2017-05-recrawl" / "profiles"
CRAWL_TIME = datetime(2017, 4, 26, 23, 0, tzinfo=UTC)  # SOURCE.txt: just before the commit
RECRAWL_TIME = datetime(2017, 5, 1, 7, 0, tzinfo=UTC)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load(driver: Any, out: Path, name: str, sources: list[Any], analyse: bool = True) -> None:
    from influence.analytics.run import analyze

    db.reset(driver)
    db.init_schema(driver)
    started = time.monotonic()
    for i, records in enumerate(sources):
        summary = ingest(driver, records, out / f"{name}-rejects-{i}.jsonl")
        say(f"{name}: source {i + 1} loaded ({summary.rejected} rejected)")
    if analyse:  # Reddit has no graph to analyse (no follows, hashtags or mentions)
        analyze(driver, progress=say)
    say(f"{name}: loaded (and analysed) in {time.monotonic() - started:.0f} s")


def run(driver: Any, out: Path, name: str, criteria: Path | None, **runs: dict[str, Any]) -> dict[str, Any]:
    results = {}
    for label, extra in runs.items():
        started = time.monotonic()
        report = train_from_graph(
            driver, load_criteria(criteria), out / f"{name}-{label}", progress=say, **extra
        )
        say(f"{name}/{label}: trained in {time.monotonic() - started:.0f} s")
        results[label] = {
            "evaluation": report.evaluation,
            "splits": report.splits,
            "counts": report.counts,
            "target": report.target,
            "target_reason": report.target_reason,
            "exclusions": report.exclusions,
            "verdicts": report.verdicts,
            "calibration": {
                k: {x: v[x] for x in ("brier", "brier_base_rate", "base_rate", "n") if x in v}
                for k, v in report.calibration.items()
            },
            "warnings": report.warnings,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("eval"))
    parser.add_argument("--yes", action="store_true", help="confirm: the database is emptied")
    parser.add_argument("--only", choices=["crawl", "recrawl", "reddit"])
    args = parser.parse_args()
    if not args.yes:
        parser.error("this empties the database it points at — add --yes")
    args.out.mkdir(parents=True, exist_ok=True)
    saved = args.out / "results.json"  # a run with --only keeps the other data sets' results
    results: dict[str, Any] = json.loads(saved.read_text(encoding="utf-8")) if saved.is_file() else {}
    with db.connect(Settings.from_env()) as driver:
        if args.only in (None, "crawl"):
            load(driver, args.out, "crawl", [profilecrawl.parse(CRAWL, observed_at=CRAWL_TIME)])
            results["crawl"] = run(driver, args.out, "crawl", None, pre={})
            saved.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
        if args.only in (None, "recrawl"):
            load(
                driver,
                args.out,
                "recrawl",
                [
                    profilecrawl.parse(CRAWL, observed_at=CRAWL_TIME),
                    profilecrawl.parse(RECRAWL, observed_at=RECRAWL_TIME),
                ],
            )
            results["crawl+recrawl"] = run(
                driver,
                args.out,
                "recrawl",
                None,
                pre={},
                # 72 h: the corrected re-crawl's posts seen within 48 h
                # carry only two posting dates (no time split)
                early72h={"mode": "early", "early_hours": 72.0},
            )
            saved.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
        if args.only in (None, "reddit"):
            load(
                driver,
                args.out,
                "reddit",
                [csv_input.parse(DATA / "engagement-timeseries", "observations")],
                analyse=False,
            )
            results["reddit"] = run(
                driver,
                args.out,
                "reddit",
                criteria_path("reddit-final-top10"),
                **{
                    f"early{h}h": {"mode": "early", "early_hours": float(h), "target": "engagement"}
                    for h in (2, 3, 4)
                },
                pre={"mode": "pre", "target": "engagement"},
            )
    saved.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    lines = []
    for data, runs in results.items():
        for label, r in runs.items():
            lines += [
                f"### {data} — {label}",
                "",
                f"Target: {r['target']} — {r['target_reason']}. Labelled {r['counts']['labelled']:,} of "
                f"{r['counts']['posts']:,} dated posts.",
                "",
                *[f"- {name}: {v.get('sentence')}" for name, v in (r.get("verdicts") or {}).items()],
                *[
                    f"- {name}: Brier {c.get('brier'):.4f} vs {c.get('brier_base_rate'):.4f} for the base rate"
                    for name, c in (r.get("calibration") or {}).items()
                    if c.get("brier") is not None
                ],
                *[f"- warning: {w}" for w in r.get("warnings") or []],
                "",
                summary_table(r["evaluation"]),
                "",
            ]
    (args.out / "results.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
