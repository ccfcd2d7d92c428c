"""One glossary of display words: the CLI table, the HTML report and the model card name a metric,
a baseline and a situation with the same words (they disagreed: "Brier" vs "Brier score",
"pairwise within author" vs "Pairwise within author", "follower count alone" vs "Follower count alone")."""

from __future__ import annotations

from influence import glossary
from influence.models import card
from influence.models.train import metrics_rows
from influence.report import model_card
from influence.report.tables import render

METRICS = {
    "model": {"roc_auc": 0.71, "pairwise": 0.64, "brier": 0.11, "n": 120, "precision_at_10": 0.3},
    "followers": {"roc_auc": 0.52, "pairwise": 0.51, "brier": 0.2, "n": 120, "precision_at_10": 0.1},
}
EVALUATION = {"known_author": {"time": METRICS}}
CALIBRATION = {"brier": 0.08, "brier_base_rate": 0.09, "base_rate": 0.1, "n": 300}


def _cli_table() -> str:
    """The table ``influence train`` prints (cli/models.py: the same two calls)."""
    cols = ["situation", "split", "method", "n", "roc_auc", "pr_auc", "spearman", "mae", "pairwise", "pairs"]
    rows, cols = glossary.metrics_in_words(metrics_rows(EVALUATION), cols)
    return render(rows, "table", columns=cols)


def _report_words() -> list[str]:
    words = []
    for table in model_card.metric_tables(METRICS):
        words += table["methods"]
        words += [row["metric"] for row in table["rows"]]
    return words


def test_cli_report_and_card_name_a_metric_alike() -> None:
    cli, report, model_card = _cli_table(), _report_words(), card.metrics_table(METRICS)
    for key in ("pairwise", "roc_auc"):
        name = glossary.metric_name(key)
        assert name in cli and name in report and name in model_card, key
    assert glossary.metric_name("pairwise") == "Pairwise within author"
    # the Brier score: in the report's tables and in the calibration line of the CLI and the card
    brier = glossary.metric_name("brier")
    assert brier == "Brier score" and brier in report
    assert brier in card.calibration_sentence("known_author", CALIBRATION)
    assert (
        "Precision in the top 10" in report
        and glossary.header("precision_at_10") == "Precision in the top 10"
    )


def test_cli_report_and_card_name_a_baseline_and_a_situation_alike() -> None:
    cli, report, model_card = _cli_table(), _report_words(), card.metrics_table(METRICS)
    for method in ("model", "followers"):
        name = glossary.METHODS[method]
        assert name in cli and name in report and name in model_card, method
    summary = card.summary_table(EVALUATION)
    assert glossary.SITUATIONS["known_author"] in summary and glossary.SITUATIONS["known_author"] in cli
    # keys never leak into the people's table
    assert "roc_auc" not in cli and "followers" not in cli.replace("Follower", "")


def test_every_metric_has_a_name_and_an_explanation() -> None:
    assert set(glossary.METRICS) == set(glossary.METRIC_HELP)
    assert glossary.metric_help("precision_at_5").startswith("Of the 5 posts")
    assert glossary.metric_name("unknown_key") == "unknown key" and glossary.metric_help("unknown_key") == ""
