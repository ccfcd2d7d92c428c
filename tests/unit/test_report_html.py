"""The marketer's HTML report: built from a real graph, every section, escaping, missing parts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

import report_graph
from influence.errors import InputError
from influence.glossary import flag_words
from influence.models.predict import Prediction
from influence.report import formats, model_card, plots, scored, viz
from influence.report.scored import read_predictions
from influence.safety import checks as safety_checks
from influence.safety import policy as safety


# ------------------------------------------------------------------------------ unit tier
def test_formatters() -> None:
    assert formats.fmt_int(1234567) == "1,234,567"
    assert formats.fmt_compact(2_500_000) == "2.5M"
    assert formats.fmt_compact(950) == "950"
    assert formats.fmt_pct(0.0345) == "3.45%"
    assert formats.fmt_num(None) == "—"
    assert formats.fmt_num(float("nan")) == "—"
    assert formats.safe_url("https://www.instagram.com/p/x/") == "https://www.instagram.com/p/x/"
    assert formats.safe_url(" JavaScript:alert(1)") is None
    assert formats.safe_url("data:text/html,hi") is None
    assert formats.shorten("a " * 200, 20).endswith("…")


def test_plot_labels_with_dollars_render(tmp_path: Path) -> None:
    # an unbalanced "$" in a username makes matplotlib's math mode fail at draw time
    out = plots.top_hashtags([("$money", 5), ("a$b$c", 3), ("ok", 1)], tmp_path / "t.png")
    with Image.open(out) as im:
        assert im.width > 100 and im.height > 100


def test_read_predictions_tolerates_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    rows, note = read_predictions(bad)
    assert rows == [] and note and "influence predict" in note
    # only what `predict --format json` writes: a list of its rows, each with every key
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"predictions": [{"id": 1, "viral_probability": 0.5}]}))
    rows, note = read_predictions(wrapped)
    assert rows == [] and note and "does not hold a list" in note
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps([{"id": 1, "viral_probability": 0.5, "safe": True}]))
    rows, note = read_predictions(partial)
    assert rows == [] and note and str(partial) in note and "row 1" in note and "'predicted'" in note
    rows, note = read_predictions(report_graph.predictions_file(tmp_path / "scored.json"))
    assert note is None and [r["probability"] for r in rows] == [0.82, 0.91, None]
    assert rows[1]["unsafe"] and rows[1]["flags"][0] == "offensive language (97% likely)"
    assert rows[0]["velocity"] == 140.5 and rows[0]["basis"] == "known author"


def test_prediction_reads_back_what_predict_writes() -> None:
    p = Prediction("d1", viral_probability=0.4, predicted=12.0, up=["followers (+0.20)"], flags=["x:1"])
    assert Prediction.from_dict(json.loads(json.dumps(p.as_dict()))) == p
    with pytest.raises(InputError, match=r"scored\.json, row 2 has no 'flags'"):
        Prediction.from_dict({k: v for k, v in p.as_dict().items() if k != "flags"}, "scored.json, row 2")
    with pytest.raises(InputError, match="'viral_probability' holds 'high'"):
        Prediction.from_dict({**p.as_dict(), "viral_probability": "high"}, "scored.json, row 1")
    with pytest.raises(InputError, match="not a prediction object"):
        Prediction.from_dict(["d1"], "scored.json, row 1")


def test_offline_strips_remote_assets_only() -> None:
    page = (
        '<link href="https://cdn.jsdelivr.net/x.css" rel="stylesheet" />'
        '<script\n src="https://cdn.jsdelivr.net/x.js" integrity="sha"\n></script>'
        '<style>.a{}</style><script>var network = 1;</script><a href="https://example.org">x</a>'
    )
    out = viz.offline(page)
    assert "cdn.jsdelivr" not in out
    assert "<script>var network = 1;</script>" in out and 'href="https://example.org"' in out


def test_flags_from_predict_are_readable() -> None:
    assert flag_words("offensive_language:1.00") == "offensive language (100% likely)"
    assert flag_words("negative_sentiment:-0.90") == "very negative tone (−0.90 on a scale from −1 to +1)"
    assert flag_words("blocked_hashtag:nsfw") == "blocked hashtag #nsfw"
    assert flag_words("blocked_term:scam") == "blocked word “scam”"
    assert flag_words("violence:mass shooting") == "violence: “mass shooting”"
    assert flag_words("hate_speech:0.91") == "hate speech (91% likely)"
    assert (
        flag_words("hate_pattern:immigrants+vermin")
        == "hateful wording about a group (“immigrants” … “vermin”)"
    )
    assert flag_words({"category": "blocked_term", "term": "scam"}) == "blocked word “scam”"
    assert flag_words("minimum sentiment") == "minimum sentiment"
    # every flag code the safety check writes comes out without underscores or a bare score
    policy = safety.policy_from_mapping({"blocked_terms": ["scam"], "blocked_hashtags": ["nsfw"]})
    [result] = safety_checks.check_safety(
        ["I hate you, you are awful, disgusting and stupid, this scam is terrible #nsfw"], None, policy
    )
    assert {f.split(":")[0] for f in result.flags} >= {
        "negative_sentiment",
        "blocked_term",
        "blocked_hashtag",
    }
    for flag in result.flags:
        words = flag_words(flag)
        assert "_" not in words and ":-" not in words and not re.search(r":\d", words), words


def test_model_card_note_when_folder_has_no_model(tmp_path: Path) -> None:
    card, note = model_card.read_model_card(tmp_path, tmp_path / "out")
    assert card is None and note and "influence train" in note


# ------------------------------------------------------------------------------ integration


def test_drafts_file_adds_captions_and_authors(tmp_path: Path) -> None:
    rows, note = read_predictions(report_graph.predictions_file(tmp_path / "scored.json"))
    assert note is None
    drafts = tmp_path / "drafts.csv"
    drafts.write_text(
        'id,author,caption\ndraft-1,@sarah.fitness,"Leg day, who is in?"\nother,x,y\n', encoding="utf-8"
    )
    assert scored.add_draft_text(rows, drafts) is None
    first = next(p for p in rows if p["id"] == "draft-1")
    assert first["caption"] == "Leg day, who is in?" and first["author"] == "sarah.fitness"
    assert next(p for p in rows if p["id"] == "draft-3").get("caption") is None  # no such draft in the file
    unrelated = tmp_path / "unrelated.csv"
    unrelated.write_text("id,author,caption\nzzz,a,b\n", encoding="utf-8")
    fresh, _ = read_predictions(report_graph.predictions_file(tmp_path / "again.json"))
    note = scored.add_draft_text(fresh, unrelated)
    assert note is not None and "no draft id" in note
