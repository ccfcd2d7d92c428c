"""Brand safety: the offensive-language model and the client's policy file."""

from __future__ import annotations

from pathlib import Path

import pytest

from influence.errors import ConfigError
from influence.safety.checks import check_safety, offensive_probability
from influence.safety.policy import Policy, load_policy

OFFENSIVE = [
    "You are a stupid idiot and everybody hates you",
    "Shut up, you dumb bitch",
    "What a piece of shit this place is",
]
CLEAN = [
    "Sunset at the beach with my best friends #summer",
    "Fresh bread from our bakery this morning, come and say hi!",
    "Scunthorpe United won today! A classy performance.",
    "New colours for spring: which one is your favourite?",
]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(None)


def test_default_policy(policy: Policy) -> None:
    assert policy.offensive_threshold == 0.8 and policy.min_sentiment == -0.8
    assert {"violence", "hate"} <= set(policy.categories)
    assert "mass shooting" in policy.categories["violence"]


def test_model_separates_offensive_from_clean() -> None:
    off = offensive_probability(OFFENSIVE)
    clean = offensive_probability(CLEAN)
    assert min(off) > 0.8 > 0.2 > max(clean)
    assert offensive_probability(["", "   "]) == [0.0, 0.0]


def test_offensive_captions_are_unsafe_and_clean_ones_safe(policy: Policy) -> None:
    results = check_safety(OFFENSIVE + CLEAN, None, policy)
    for r in results[: len(OFFENSIVE)]:
        assert not r.safe
        assert any(f.startswith("offensive_language:") for f in r.flags)
        assert r.offensive_probability > 0.8
    for r, text in zip(results[len(OFFENSIVE) :], CLEAN, strict=True):
        assert r.safe, (text, r.flags)
        assert r.flags == []


def test_flag_format_carries_the_value(policy: Policy) -> None:
    (r,) = check_safety(["You are a stupid idiot and I hate you"], None, policy)
    flag = next(f for f in r.flags if f.startswith("offensive_language:"))
    assert float(flag.split(":")[1]) == pytest.approx(r.offensive_probability, abs=0.005)


def test_negative_sentiment(policy: Policy) -> None:
    (r,) = check_safety(["Devastated. Awful, terrible, horrible news today."], None, policy)
    assert r.sentiment < -0.8
    assert f"negative_sentiment:{r.sentiment:.2f}" in r.flags
    # a score passed in wins over the one computed here
    (r2,) = check_safety(["Devastated."], None, policy, sentiments=[-0.95])
    assert "negative_sentiment:-0.95" in r2.flags


def test_curated_categories_match_whole_words_case_and_width_insensitively(policy: Policy) -> None:
    results = check_safety(
        [
            "Stop the ＭＡＳＳ   Shooting now",
            "Sieg Heil",
            "We are killing it at the photo shoot, a bath bomb for everyone",
            "Massachusetts shootingstars club",
        ],
        None,
        policy,
    )
    assert "violence:mass shooting" in results[0].flags and not results[0].safe
    assert "hate:sieg heil" in results[1].flags
    assert not [f for f in results[2].flags if f.startswith("violence")]
    assert results[3].flags == []


def write_policy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_client_policy_blocks_terms_and_hashtags(tmp_path: Path) -> None:
    policy = load_policy(
        write_policy(
            tmp_path, 'blocked_terms = ["Rival Cola", "ass"]\nblocked_hashtags = ["#Ad", "sponsored"]\n'
        )
    )
    assert policy.blocked_hashtags == ("ad", "sponsored")
    assert policy.categories  # left out: the default's
    captions = [
        "Better than RÍVAL  cola, honestly",
        "A first-class trip to Scunthorpe with my class",
        "Summer vibes #AD",
        "Summer vibes",
        None,
    ]
    hashtags = [[], [], [], ["Sponsored", "beach"], ["ad"]]
    results = check_safety(captions, hashtags, policy)
    assert results[0].flags == ["blocked_term:rival cola"]
    assert results[1].safe  # whole words only: no "ass" in "class"
    assert results[2].flags == ["blocked_hashtag:ad"]
    assert results[3].flags == ["blocked_hashtag:sponsored"]
    assert results[4].flags == ["blocked_hashtag:ad"] and not results[4].safe


def test_blocked_terms_match_a_hashtag_that_is_the_term(tmp_path: Path) -> None:
    policy = load_policy(write_policy(tmp_path, 'blocked_terms = ["casino"]\n'))
    results = check_safety(["Night out #casino", "Night out #casinoroyale"], [[], []], policy)
    assert results[0].flags == ["blocked_term:casino"]
    assert results[1].safe


def test_thresholds_can_be_turned_off(tmp_path: Path) -> None:
    policy = load_policy(
        write_policy(
            tmp_path,
            "offensive_threshold = 1.01\nmin_sentiment = -1.01\nspeech_kinds = []\n"
            "[categories]\n[thresholds]\nhate_speech = 1.01\n",
        )
    )
    results = check_safety(OFFENSIVE, None, policy)
    assert all(r.safe for r in results)
    assert all(r.offensive_probability > 0.8 for r in results)  # still measured and reported


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("offensive_threshold = 2", "'offensive_threshold'"),
        ('min_sentiment = "low"', "'min_sentiment'"),
        ('blocked_terms = "casino"', "'blocked_terms' in"),
        ('blocked_hashtags = ["two words"]', "is not a hashtag"),
        ("[categories]\nbad-name = []", "category name 'bad-name'"),
        ("blocked = []", "unknown policy key(s) 'blocked'"),
    ],
)
def test_invalid_policy_names_the_key(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_policy(write_policy(tmp_path, text))
    assert needle in str(err.value)


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_policy(tmp_path / "nope.toml")


def test_lengths_must_match(policy: Policy) -> None:
    with pytest.raises(ValueError, match="hashtags has 1 entries for 2 captions"):
        check_safety(["a", "b"], [[]], policy)


def test_every_flag_has_details_with_check_matches_score_and_threshold(policy: Policy) -> None:
    (r,) = check_safety(["Refugees are vermin. I will kill you, you fucking idiot"], None, policy)
    by = {(d.check, d.category): d for d in r.details}
    pattern = by[("hate_pattern", "hate")]
    assert pattern.matches == ("refugees+vermin",) and pattern.score == 1 and pattern.threshold == 1
    violence = by[("policy_terms", "violence")]
    assert violence.matches == ("i will kill",) and "violence:i will kill" in r.flags
    off = by[("offensive_language", "offensive_language")]
    assert off.score == pytest.approx(r.offensive_probability) and off.threshold == 0.8
    assert "fucking" in off.matches or "idiot" in off.matches  # the words that pushed the model
    checks = {d["check"] for d in r.as_dict()["details"]}
    assert {"hate_pattern", "policy_terms", "offensive_language"} <= checks
    assert len(r.details) == len({(d.check, d.category) for d in r.details}) and not r.safe


def test_benign_mentions_of_groups_are_not_hate(policy: Policy) -> None:
    results = check_safety(
        [
            "Happy Pride to all our gay friends",
            "Immigrants built this city",
            "The rats in this old barn are huge",
        ],
        None,
        policy,
    )
    assert all(r.safe for r in results), [r.flags for r in results]


def test_shipped_categories_and_languages(policy: Policy) -> None:
    assert {"violence", "hate", "self_harm", "drugs", "weapons", "adult"} <= set(policy.categories)
    for name in ("violence", "self_harm", "drugs", "weapons", "adult"):
        assert {"en", "es", "pt", "fr", "de"} <= set(policy.category_languages[name]), name
    texts = ["Te voy a matar", "Eu quero morrer", "Selling ammo and a glock", "Link to my onlyfans"]
    results = check_safety(texts, None, policy, languages=["es", "pt", "en", "en"])
    assert results[0].flags == [
        "violence:te voy a matar",
        "threat:Te voy a matar",
    ]  # the term list and the rules
    assert results[1].flags == ["self_harm:quero morrer"]
    assert results[2].flags == ["weapons:ammo", "weapons:glock"]
    assert results[3].flags == ["adult:onlyfans"]
    # a Spanish term is not matched in a caption known to be German, but is when the language is unknown
    (de,) = check_safety(["pistola"], None, policy, languages=["de"])
    (unknown,) = check_safety(["pistola"], None, policy)
    assert de.safe and unknown.flags == ["weapons:pistola"]


def test_policy_extends_categories_and_sets_thresholds(tmp_path: Path) -> None:
    policy = load_policy(
        write_policy(
            tmp_path,
            '[extend_categories]\nweapons = ["crossbow"]\ndrugs = { es = ["perico"] }\n'
            "[thresholds]\nweapons = 2\nhate_speech = 1.01\n",
        )
    )
    assert "glock" in policy.categories["weapons"] and "crossbow" in policy.categories["weapons"]
    assert "perico" in policy.category_languages["drugs"]["es"]
    one, two = check_safety(["New crossbow", "New crossbow and a glock"], None, policy)
    assert one.safe  # one weapons term, threshold 2
    assert two.flags == ["weapons:glock", "weapons:crossbow"] or two.flags == [
        "weapons:crossbow",
        "weapons:glock",
    ]
    assert two.details[0].score == 2 and two.details[0].threshold == 2
    with pytest.raises(ConfigError, match="'thresholds.nonsense' .* names no check or category"):
        load_policy(write_policy(tmp_path, "[thresholds]\nnonsense = 1\n"))
    with pytest.raises(ConfigError, match="is not a language code"):
        load_policy(write_policy(tmp_path, '[extend_categories]\ndrugs = { Spanish = ["perico"] }\n'))


def test_hate_model_in_numpy_gives_onnxruntimes_numbers_and_scores_english_only(policy: Policy) -> None:
    import numpy as np

    from influence.safety.checks import hate_probability, hate_session

    texts = [*OFFENSIVE, *CLEAN, "Those people are subhuman", "White style ✨ #moda", "ÀÉÎ Über straße"]
    ours = hate_probability(texts)
    _labels, probs = hate_session().run(
        None, {"text": np.array(texts, dtype=object)}
    )  # loads without en_US.UTF-8
    assert np.allclose(ours, [p[0] for p in probs], atol=1e-5)
    assert hate_probability(["", "  "]) == [0.0, 0.0]
    (r,) = check_safety(["White style"], None, policy, languages=["pt"])
    assert r.hate_probability == 0.0  # not scored: the model knows English only


def test_offensive_model_evaluated_directly_gives_the_packages_numbers_to_the_bit() -> None:
    from profanity_check import predict_prob

    texts = [*OFFENSIVE, *CLEAN, "Those people are subhuman", "White style ✨ #moda", "damn it", "x"]
    assert offensive_probability(texts) == [float(p) for p in predict_prob(texts)]
    # one text at a time (a one-post prediction) gives the same numbers as the batch
    assert [offensive_probability([t])[0] for t in texts] == offensive_probability(texts)


def test_explicit_image_flag_from_detections(policy: Policy) -> None:
    from influence.safety.checks import explicit_flag

    detections = [
        {"class": "FACE_FEMALE", "score": 0.9, "box": [0, 0, 1, 1]},
        {"class": "FEMALE_BREAST_EXPOSED", "score": 0.62, "box": [0, 0, 1, 1]},
        {"class": "BUTTOCKS_EXPOSED", "score": 0.3, "box": [0, 0, 1, 1]},
    ]
    flag = explicit_flag(detections, policy)
    assert flag is not None and flag.matches == ("FEMALE_BREAST_EXPOSED",) and flag.score == 0.62
    assert explicit_flag(detections[:1], policy) is None


def test_image_check_runs_offline_on_a_media_file_or_says_why_not(policy: Policy, tmp_path: Path) -> None:
    import importlib.util

    from PIL import Image

    path = tmp_path / "landscape.jpg"
    Image.new("RGB", (64, 48), (30, 120, 200)).save(path)
    (r,) = check_safety(["Blue sky"], None, policy, media=[str(path)])
    if importlib.util.find_spec("nudenet") is None:
        assert r.safe and r.skipped and "nudity" in r.skipped[0]
    else:
        assert r.safe and r.skipped == []
    (missing,) = check_safety(["Blue sky"], None, policy, media=[str(tmp_path / "nope.jpg")])
    assert missing.safe and missing.skipped == []
