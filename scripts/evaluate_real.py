"""Evaluate the virality predictor on the real data sets in ../shared/data (reads them in place).

    INFLUENCE_HOME=/tmp/ig-x INFLUENCE_BOLT_PORT=... python scripts/evaluate_real.py --out eval/

Uses the Neo4j the environment points at (managed server or NEO4J_URI) and **empties it**
(`--yes` confirms). For each data set it loads the data with the project's loaders, trains
with `train_from_graph` (time-ordered split: the newest 20 % of posts are held out) and
writes the model, its card and a Markdown table comparing the model with the baselines:

* pre-publication — instagram-profilecrawl-2017 (target: likes + comments, label: top 10 %
  relative to the author's median; see scripts/criteria/profilecrawl-2017.toml);
* early velocity — Reddit r/all hourly top-100 (target: final score, label: top 10 %; the
  model sees the first 2, 3 or 4 hours: r/all rarely shows a post in its first hour; see scripts/criteria/reddit-final-top10.toml).
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
from influence.loaders import csv_input, profilecrawl
from influence.loaders.ingest import ingest
from influence.models.criteria import load_criteria
from influence.models.train import train_from_graph
from influence.report.model_card import metrics_table

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "data"
CRAWL_TIME = datetime(2017, 4, 26, 23, 0, tzinfo=UTC)  # SOURCE.txt: just before the commit


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(driver: Any, out: Path, name: str, records: Any, criteria_file: str, analyse: bool = False,
        **train_args: Any) -> dict[str, Any]:
    db.reset(driver)
    db.init_schema(driver)
    started = time.monotonic()
    summary = ingest(driver, records, out / f"{name}-rejects.jsonl", progress=say)
    say(f"{name}: loaded in {time.monotonic() - started:.0f} s ({summary.rejected} rejected)")
    if analyse:  # graph features: PageRank, communities, hashtag spread, FastRP embeddings
        from influence.analytics.run import analyze

        started = time.monotonic()
        analyze(driver, progress=say)
        say(f"{name}: analytics in {time.monotonic() - started:.0f} s")
    results = {}
    for label, extra in train_args.items():
        started = time.monotonic()
        report = train_from_graph(driver, load_criteria(HERE / "criteria" / criteria_file), out / f"{name}-{label}",
                                  progress=say, **extra)
        say(f"{name}/{label}: trained in {time.monotonic() - started:.0f} s")
        results[label] = {"metrics": report.metrics, "split": report.split, "counts": report.counts}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("eval"))
    parser.add_argument("--yes", action="store_true", help="confirm: the database is emptied")
    parser.add_argument("--only", choices=["profilecrawl", "reddit"])
    parser.add_argument("--analyse", action="store_true",
                        help="run `influence analyse` steps after loading (graph features)")
    args = parser.parse_args()
    if not args.yes:
        parser.error("this empties the database it points at — add --yes")
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    with db.connect(Settings.from_env()) as driver:
        if args.only in (None, "profilecrawl"):
            results["profilecrawl"] = run(
                driver, args.out, "profilecrawl",
                profilecrawl.parse(DATA / "instagram-profilecrawl-2017" / "profiles", observed_at=CRAWL_TIME),
                "profilecrawl-2017.toml", analyse=args.analyse, pre={"mode": "pre", "target": "engagement"},
            )
        if args.only in (None, "reddit"):
            results["reddit"] = run(
                driver, args.out, "reddit",
                csv_input.parse(DATA / "engagement-timeseries", "observations"),
                "reddit-final-top10.toml", analyse=args.analyse,
                **{f"early{h}h": {"mode": "early", "early_hours": float(h), "target": "engagement"} for h in (2, 3, 4)},
                pre={"mode": "pre", "target": "engagement"},
            )
    (args.out / "results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    lines = []
    for data, runs in results.items():
        for label, r in runs.items():
            s = r["split"]
            lines += [f"### {data} — {label} (train {s['train']}, val {s['val']}, test {s['test']} newest posts)", "",
                      metrics_table(r["metrics"]), ""]
    (args.out / "results.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
