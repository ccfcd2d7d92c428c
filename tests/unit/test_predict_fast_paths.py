"""The speed-ups of batch scoring give exactly the results of the plain paths they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from influence.models import catalogue, predict
from influence.signals.caption import build_nlp, content_features
from influence.signals.hashtags import caption_hashtags
from influence.text import extract_hashtags

CAPTIONS = [
    "I love this gorgeous sunset, best day ever! 😍😍 #sunset #Beach @anna https://x.co/a",
    "This is the worst, most horrible service. I hate it. WWW.Example.com",
    None,
    "Link in bio! Tag a friend who needs this? #giveaway #GiveAway ＃ｗｉｄｅ",
    "Enlace en la bío: ¡SÍGUENOS y comenta! Sorteo #Sorteo2024 #123 http://a.b/#notatag",
    "東京の夜景がとても綺麗でした。また行きたいです！🇯🇵 #東京",
    "👩🏽‍💻 coding all night 👍🏻 #️⃣ kind of bad but GREAT",
    "",
]


def test_default_path_equals_the_spacy_pipeline() -> None:
    tags = [["extra"], [], ["x"], ["GiveAway"], [], [], [], ["y"]]
    fast = content_features(CAPTIONS, hashtags=tags)
    spacy = content_features(CAPTIONS, hashtags=tags, nlp=build_nlp())
    pd.testing.assert_frame_equal(fast, spacy)
    assert fast["hashtag_count"].tolist()[:4] == [3, 0, 1, 2]  # 3: sunset, beach + the given one


def test_known_languages_replace_detection() -> None:
    detected = content_features(CAPTIONS)
    given = content_features(CAPTIONS, languages=["xx", None, "en", "", "es", "ja", None, "en"])
    assert detected["language"].iloc[0] == "en"
    # a missing caption never has a language, and an empty code is no language
    assert given["language"].astype(object).where(given["language"].notna(), None).tolist() == [
        "xx",
        None,
        None,
        None,
        "es",
        "ja",
        None,
        None,
    ]
    pd.testing.assert_frame_equal(detected.drop(columns="language"), given.drop(columns="language"))
    with pytest.raises(ValueError, match="languages has 1 entries for 8 captions"):
        content_features(CAPTIONS, languages=["en"])


def test_caption_hashtags_equal_the_loader_s() -> None:
    for text in [c for c in CAPTIONS if c]:
        assert caption_hashtags(text) == extract_hashtags(text), text


def _explain_row_by_row(
    contribs: np.ndarray, names: list[str], k: int = 3
) -> tuple[list[list[str]], list[list[str]]]:
    groups: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        groups.setdefault(catalogue.plain_name(n), []).append(i)
    labels = list(groups)
    grouped = np.column_stack([contribs[:, idx].sum(axis=1) for idx in groups.values()])
    ups, downs = [], []
    for row in grouped:
        order = np.argsort(-row, kind="stable")
        ups.append([f"{labels[j]} ({row[j]:+.2f})" for j in order[:k] if row[j] > 1e-6])
        downs.append([f"{labels[j]} ({row[j]:+.2f})" for j in order[::-1][:k] if row[j] < -1e-6])
    return ups, downs


def test_vectorised_explain_equals_row_by_row() -> None:
    names = ["a", "b", "emb_0", "emb_1", "c", "d"]
    rng = np.random.default_rng(7)
    contribs = rng.normal(size=(200, len(names) + 1))
    contribs[:20, :] = 0.0  # nothing pushes: empty lists
    contribs[20:40, 1] = contribs[20:40, 4]  # ties keep the feature order
    why = predict.explain(contribs, names)
    assert (why.up, why.down) == _explain_row_by_row(contribs, names)
    assert why.up[0] == [] and why.down[0] == []
    assert any(u.startswith("account's position in the network") for row in why.up for u in row)
