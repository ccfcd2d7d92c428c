"""The model card in the HTML report: ``model.json`` of ``influence train`` read into the figures
the "Virality model" section shows, and the card's plots and Markdown copied next to the page."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from influence import glossary
from influence.errors import ModelError
from influence.models import catalogue
from influence.models.store import ModelMeta
from influence.report import plots
from influence.report.formats import fmt_date, fmt_num

#: The figures the report shows per situation (the model card has them all).
CARD_METRICS = ("roc_auc", "pr_auc", "spearman", "pairwise", "n")
#: Model-card plots in reading order; others follow alphabetically.
PLOT_ORDER = ("reliability", "roc", "pr", "calibration", "importance")
#: Situations in the order their verdicts are read.
SITUATION_ORDER = ("new_author", "known_author", "own_drafts")


def metric_tables(metrics: Any) -> list[dict[str, Any]]:
    """``{method: {metric: value}}`` (or one more level: ``{mode: {method: …}}``) as tables:
    ``{title, methods, rows: [{metric, help, values}]}`` with the glossary's words."""
    if not isinstance(metrics, Mapping) or not metrics:
        return []
    values = list(metrics.values())
    if all(isinstance(v, Mapping) and v and all(isinstance(x, Mapping) for x in v.values()) for v in values):
        tables: list[dict[str, Any]] = []
        for mode, inner in metrics.items():
            tables.extend(
                {**t, "title": f"{mode}: {t['title']}" if t["title"] else str(mode)}
                for t in metric_tables(inner)
            )
        return tables
    if not all(isinstance(v, Mapping) for v in values):
        return [
            {
                "title": "",
                "methods": ["value"],
                "rows": [
                    _metric_row(k, {"value": v})
                    for k, v in metrics.items()
                    if isinstance(v, int | float | None)
                ],
            }
        ]
    methods = list(metrics.keys())
    keys: list[str] = []
    for m in values:
        keys.extend(k for k, v in m.items() if k not in keys and (v is None or isinstance(v, int | float)))
    rows = [_metric_row(k, {meth: metrics[meth].get(k) for meth in methods}) for k in keys]
    return [{"title": "", "methods": [glossary.METHODS.get(m, m) for m in methods], "rows": rows}]


def _metric_row(key: str, by_method: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "metric": glossary.metric_name(key),
        "help": glossary.metric_help(key),
        "values": [fmt_num(v) for v in by_method.values()],
    }


def _iso_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return fmt_date(datetime.fromisoformat(value))
    except ValueError:
        return value


def _held(split: str) -> str:
    return "newest posts held out" if split == "time" else "whole authors held out"


def _read_meta(model_dir: Path) -> tuple[Mapping[str, Any] | None, str | None]:
    """``model.json`` of ``model_dir`` as a mapping, or a note saying what to do."""
    meta_path = model_dir / "model.json"
    if not meta_path.is_file():
        return None, (
            f"no model.json in {model_dir} — train a model with `influence train` "
            "and pass its folder to --model"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return None, f"cannot read {meta_path} ({e}) — retrain with `influence train`"
    if not isinstance(meta, Mapping):
        return None, f"{meta_path} is not a model card — retrain with `influence train`"
    return meta, None


def _copy_plots(model_dir: Path, dest: Path, meta: Mapping[str, Any]) -> list[dict[str, str]]:
    """Copy the card's PNGs into ``dest`` in reading order; ``[{src, title}]`` for the page."""
    out: list[dict[str, str]] = []
    pngs = sorted(model_dir.glob("*.png")) + sorted(model_dir.glob("*/*.png"))
    pngs.sort(key=lambda f: PLOT_ORDER.index(f.stem) if f.stem in PLOT_ORDER else len(PLOT_ORDER))
    # the reliability curve on held-out authors (what `predict` shows) supersedes the older
    # calibration chart of the time split: two calibration charts that disagree confuse a reader
    reliability = (model_dir / "reliability.png").is_file()
    for png in pngs:
        target = dest / png.name
        if target.exists() or (reliability and png.stem == "calibration"):
            continue
        shutil.copyfile(png, target)
        title = glossary.PLOT_TITLES.get(png.stem, png.stem.replace("_", " ").replace("-", " "))
        out.append({"src": f"model/{png.name}", "title": title})
    curves, curve_title = _calibration_curves(meta)
    if curves and not reliability:
        # redrawn from model.json: in the card's own plot, methods whose posts fall in the same
        # bin draw on top of each other and one of them disappears
        plots.calibration(curves, dest / "calibration.png", curve_title)
        if not any(p["src"] == "model/calibration.png" for p in out):
            out.append({"src": "model/calibration.png", "title": glossary.PLOT_TITLES["calibration"]})
    return out


def _top_features(model_meta: ModelMeta, top: int = 10) -> list[dict[str, Any]]:
    """The known-author model's features with the largest share of the gain, in plain names
    (one-hot groups and embedding dimensions summed into one entry)."""
    importance = model_meta.importance.get("known_author") or next(iter(model_meta.importance.values()), {})
    grouped: dict[str, float] = {}
    for name, gain in importance.items():
        if isinstance(gain, int | float):
            plain = catalogue.plain_name(str(name))
            grouped[plain] = grouped.get(plain, 0.0) + float(gain)
    total = sum(grouped.values()) or 1.0
    ranked = sorted(grouped.items(), key=lambda kv: -kv[1])[:top]
    return [{"name": k, "share": v / total} for k, v in ranked if v > 0]


def _situation_tables(model_meta: ModelMeta) -> list[dict[str, Any]]:
    """One table of :data:`CARD_METRICS` per situation and split."""
    tables: list[dict[str, Any]] = []
    for situation, splits in model_meta.evaluation.items():
        for split_name, metrics in splits.items():
            shown = {
                m: {k: v for k, v in values.items() if k in CARD_METRICS} for m, values in metrics.items()
            }
            title = f"{glossary.SITUATIONS.get(situation, situation)} — {_held(split_name)}"
            tables.extend({**t, "title": title} for t in metric_tables(shown))
    return tables


def _verdicts(model_meta: ModelMeta) -> list[dict[str, Any]]:
    """The plain verdicts, in :data:`SITUATION_ORDER` (the same words as ``train`` and the card)."""
    from influence.models.card import verdict_sentences

    names = [n for n in SITUATION_ORDER if n in model_meta.verdicts]
    names += [n for n in model_meta.verdicts if n not in SITUATION_ORDER]
    return [
        {
            "who": who,
            "sentence": sentence,
            "beats": bool(model_meta.verdicts.get(name, {}).get("beats_baseline")),
        }
        for name, (who, sentence) in zip(names, verdict_sentences(model_meta.verdicts), strict=True)
    ]


def _calibration(model_meta: ModelMeta) -> list[dict[str, str]]:
    from influence.models.card import calibration_sentence, reliability_text

    return [
        {"sentence": calibration_sentence(name, c), "reliability": reliability_text(c)}
        for name, c in model_meta.calibration.items()
        if isinstance(c, Mapping) and c.get("brier") is not None
    ]


def read_model_card(model_dir: Path, out_dir: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The model card of ``model_dir`` (from ``influence train``) and a note when unusable.

    Copies the card's PNG plots and Markdown into ``out_dir/model/``.
    """
    meta, note = _read_meta(model_dir)
    if meta is None:
        return None, note
    dest = out_dir / "model"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    plots_out = _copy_plots(model_dir, dest, meta)
    cards = []
    for md in sorted(model_dir.glob("*.md")):
        shutil.copyfile(md, dest / md.name)
        cards.append(f"model/{md.name}")
    try:
        model_meta = ModelMeta.from_dict(dict(meta))
    except ModelError as e:
        return None, f"{model_dir / 'model.json'}: {e}"
    features = model_meta.features.get("known_author") or next(iter(model_meta.features.values()), [])
    per = "once settled" if model_meta.target == "engagement" else "per hour"
    card = {
        "verdicts": _verdicts(model_meta),
        "calibration": _calibration(model_meta),
        "warnings": list(model_meta.warnings),
        "predicted_header": f"Expected engagement {per}",
        "train": model_meta.split.get("train"),
        "test": model_meta.split.get("test"),
        "created_at": _iso_date(model_meta.created_at),
        "mode": {"pre": "before publishing", "early": "after the first hours"}.get(
            model_meta.mode, model_meta.mode
        ),
        "target": model_meta.target_reason,
        "features": len(features),
        "tables": _situation_tables(model_meta),
        "plots": plots_out,
        "cards": cards,
        "top_features": _top_features(model_meta),
        "directory": str(model_dir),
    }
    return card, None


def _calibration_curves(meta: Mapping[str, Any]) -> tuple[dict[str, list[dict[str, float]]], str]:
    """Calibration bins per method (plain names) of the known-author model on the newest posts.

    From ``model.json``'s ``evaluation[situation][split][method]["calibration"]``; the first
    situation and split that has any when known_author/time has none. Empty when there are none.
    """
    evaluation = meta.get("evaluation")
    if not isinstance(evaluation, Mapping):
        return {}, ""
    order = [("known_author", "time")] + [
        (s, sp) for s, splits in evaluation.items() if isinstance(splits, Mapping) for sp in splits
    ]
    for situation, split in order:
        methods = (
            evaluation.get(situation, {}).get(split)
            if isinstance(evaluation.get(situation), Mapping)
            else None
        )
        if not isinstance(methods, Mapping):
            continue
        curves: dict[str, list[dict[str, float]]] = {
            glossary.METHODS.get(str(m), str(m)): [
                dict(b) for b in v["calibration"] if isinstance(b, Mapping)
            ]
            for m, v in methods.items()
            if isinstance(v, Mapping) and isinstance(v.get("calibration"), list) and v["calibration"]
        }
        if curves:
            return curves, f"Calibration — {glossary.SITUATIONS.get(situation, situation)}, {_held(split)}"
    return {}, ""
