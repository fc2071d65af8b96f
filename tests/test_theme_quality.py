"""The theme benchmark measures what it claims: the metric, the harness, the gold sets' data.

The figures themselves are in bench/ (`bench/theme_quality.py`); here the metric must give
1.0 to a perfect clustering and little to a random one, the harness must score a corpus with
two obvious topics, and the seed 004 gold file must name respondents the importer knows.
"""

from __future__ import annotations

import random

import pytest

from bench.argkp import ARGKP_DIR, load_argkp, topic_snapshot
from bench.seed004_gold import load_seed004, read_gold, seed_snapshot
from bench.theme_gold import EvalUnit, GoldTheme
from bench.theme_harness import evaluate_unit
from bench.theme_metrics import best_match_scores, f1, is_other_bucket

SCHOOL = [f"s{i}" for i in range(20)]
CLIMATE = [f"c{i}" for i in range(20)]
ITEMS = SCHOOL + CLIMATE
GOLD = [set(SCHOOL), set(CLIMATE)]


def test_a_perfect_clustering_scores_one_in_both_directions():
    scores = best_match_scores(GOLD, [set(CLIMATE), set(SCHOOL)], ITEMS)
    assert scores.gold_to_predicted == scores.predicted_to_gold == scores.symmetric == 1.0
    assert scores.per_gold_theme == (1.0, 1.0)


def test_a_random_clustering_scores_low():
    rng = random.Random(0)
    labels = {item: rng.randrange(2) for item in ITEMS}
    predicted = [{item for item in ITEMS if labels[item] == k} for k in range(2)]
    assert best_match_scores(GOLD, predicted, ITEMS).gold_to_predicted < 0.65


def test_everything_in_one_theme_or_no_theme_at_all_scores_low():
    assert best_match_scores(GOLD, [set(ITEMS)], ITEMS).gold_to_predicted == pytest.approx(2 / 3)
    assert best_match_scores(GOLD, [], ITEMS).symmetric == 0.0


def test_f1_is_the_harmonic_mean_of_precision_and_recall():
    assert f1({"a", "b"}, {"b", "c", "d"}) == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    assert f1({"a"}, {"b"}) == 0.0


def test_gold_unassigned_items_cost_precision_but_are_no_theme_to_find():
    unassigned = [f"u{i}" for i in range(20)]
    items = ITEMS + unassigned
    clean = best_match_scores(GOLD, [set(SCHOOL), set(CLIMATE)], items)
    polluted = best_match_scores(GOLD, [set(SCHOOL) | set(unassigned), set(CLIMATE)], items)
    assert clean.gold_to_predicted == 1.0
    assert polluted.gold_to_predicted == pytest.approx((2 / 3 + 1) / 2)
    assert len(polluted.per_gold_theme) == 2


def test_predicted_members_outside_the_scored_items_are_ignored():
    scores = best_match_scores(GOLD, [set(SCHOOL) | {"crossref"}, set(CLIMATE)], ITEMS)
    assert scores.gold_to_predicted == 1.0


@pytest.mark.parametrize(
    ("label", "flag", "expected"),
    [
        ("Annet / enkeltinnspill", False, True),
        ("Other / single remarks", False, True),
        ("skole · uniform", True, True),
        ("Kritikk av rapportens kvalitet", False, False),
    ],
)
def test_the_tools_annet_bucket_is_recognised(label, flag, expected):
    assert is_other_bucket(label, flag) is expected


def _two_topic_unit() -> EvalUnit:
    school = [
        "school uniforms stop bullying because pupils look the same",
        "uniforms at school save parents money on clothes",
        "a school uniform builds discipline and school pride",
        "pupils in uniform focus on lessons, not on clothes",
        "uniforms make school mornings easy for pupils and parents",
        "school uniforms hide differences in family income",
    ]
    climate = [
        "carbon taxes cut emissions from coal power plants",
        "a carbon tax makes polluters pay for emissions",
        "coal plants emit most carbon, so tax coal emissions",
        "emissions trading and carbon taxes lower coal use",
        "taxing carbon emissions speeds the move from coal to wind",
        "carbon emissions from coal heat the climate",
    ]
    rows = [
        {"arg_id": f"{prefix}{i}", "argument": text, "stance": "1"}
        for prefix, texts in (("s", school), ("c", climate))
        for i, text in enumerate(texts)
    ]
    gold = (
        GoldTheme("School uniforms", frozenset(f"s{i}" for i in range(6))),
        GoldTheme("Carbon taxes", frozenset(f"c{i}" for i in range(6))),
    )
    snapshot = topic_snapshot("Two topics", rows)
    return EvalUnit("tiny", "two topics", snapshot, "1", gold)


def test_the_harness_scores_tool_and_baseline_on_two_obvious_topics():
    result = evaluate_unit(_two_topic_unit())
    assert (result.items, result.gold_themes, result.unassigned) == (12, 2, 0)
    assert result.baseline_oracle.gold_to_predicted == 1.0
    assert result.baseline_k == 2 and result.baseline.gold_to_predicted == 1.0
    # Every argument is "pro": the baseline within stance fits the one side, as the plain one.
    assert result.baseline_stance_k == 2 and result.baseline_stance.gold_to_predicted == 1.0
    assert 0.0 <= result.tool.gold_to_predicted <= 1.0
    assert result.singletons.gold_to_predicted == pytest.approx(2 / 7)
    assert result.to_dict()["baseline_oracle_k"]["f1"] == 1.0


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


def test_every_gold_name_is_a_respondent_of_the_imported_seed(seed):
    names = {respondent.name for respondent in seed.respondents}
    for code, coded in read_gold()["questions"].items():
        for theme in coded["themes"]:
            assert set(theme["members"]) <= names, (code, theme["label"])
        assert set(coded["annet"]) <= names and set(coded["henvisninger"]) <= names


def test_the_gold_set_codes_every_text_answer_of_each_question(seed):
    for code, coded in read_gold()["questions"].items():
        answered = {r.name: a.text for r, a in seed.answers_to(code) if a.text}
        in_themes = {name for theme in coded["themes"] for name in theme["members"]}
        annet, pointers = set(coded["annet"]), set(coded["henvisninger"])
        assert in_themes | annet | pointers == set(answered), code
        assert not (in_themes & annet) and not (pointers & (in_themes | annet)), code
        # Only pointers ("Se kommentarer under punkt 4", "Se 1b") are left out of scoring.
        assert all(len(answered[name].split()) <= 5 for name in pointers), code
        assert all(len(theme["members"]) >= 2 for theme in coded["themes"]), code


def test_seed004_units_hold_the_coded_questions(seed):
    units = load_seed004(snapshot=seed)
    assert [unit.name for unit in units] == ["1.a", "1.b", "2", "3", "4"]
    question_4 = units[-1]
    assert {"r10", "r27", "r33"} <= question_4.gold[0].members  # FO, KS, the dental service
    assert question_4.excluded == frozenset()
    assert "r3" in units[0].excluded and "r3" not in dict(units[0].scored_answers())


@pytest.mark.skipif(not ARGKP_DIR.is_dir(), reason="ArgKP data not present")
def test_argkp_dev_is_one_scale_text_question_per_topic_with_stance_as_position():
    units = load_argkp("dev")
    assert len(units) == 4
    assert sum(len(unit.scored_answers()) for unit in units) == 932
    assert sum(len(unit.gold) for unit in units) == 36
    unit = units[0]
    values = {r.answers["1"].value for r in unit.snapshot.respondents}
    assert values == {0, 1} and unit.snapshot.scale.points == ("Agree", "Disagree")
    assert len(unit.unassigned) == 40
