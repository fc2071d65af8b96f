"""Themes found within each side of the scale: a theme never gathers opposite views.

When both sides of a question's scale hold enough answers, the themes are fitted on each side's
answers on its own and a passage joins only its own side's themes, so even a lone dissenter who
uses the majority's words (too few to split their theme afterwards) does not join it.
"""

import random

import numpy as np

from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from synthesis.theme_stance import MIN_CAMP_PASSAGES, fitting_camps
from synthesis.themes import ThemeModel
from tests.theme_corpora import TOPICS, topic_sentence

CATEGORY = Category("Kommune", Sector.PUBLIC)
AGREE, DISAGREE, NEITHER = 0, 4, 2


def camp_snapshot() -> tuple[ConsultationSnapshot, str]:
    """49 answers on four topics: 12 on each of topics 0 and 1 from agreeing respondents, on 2
    and 3 from disagreeing ones, and one disagreeing answer on topic 0 (its key returned)."""
    rng = random.Random(11)
    topics = [0, 1, 2, 3] * 12 + [0]
    texts = [" ".join(topic_sentence(rng, TOPICS[topic]) for _ in range(3)) for topic in topics]
    values = [AGREE if topic in (0, 1) else DISAGREE for topic in topics]
    dissenter = len(topics) - 1
    values[dissenter] = DISAGREE
    values[dissenter] = DISAGREE
    respondents = tuple(
        Respondent(
            key=f"r{i}",
            name=f"Kommune {i}",
            category=CATEGORY.label,
            answers={"1": Answer("1", value=value, text=text)},
        )
        for i, (text, value) in enumerate(zip(texts, values, strict=True))
    )
    snapshot = ConsultationSnapshot(
        slug="camps",
        title="Kunnskapsbasert praksis",
        categories=(CATEGORY,),
        questions=(Question("1", "Hva mener du?", QuestionKind.SCALE_TEXT),),
        respondents=respondents,
    )
    return snapshot, f"r{dissenter}"


def test_no_theme_holds_both_sides_not_even_a_lone_dissenter():
    snapshot, dissenter = camp_snapshot()
    values = {r.key: r.answers["1"].value for r in snapshot.respondents}
    model = ThemeModel(random_state=0).fit(snapshot, "1")
    themes = [theme for theme in model.themes_ if not theme.is_other]
    assert len(themes) == 4  # two topics within each camp, as many as there are
    for theme in themes:
        sides = {values[key] for key in theme.respondent_keys}
        assert len(sides) == 1, theme.label
        assert not theme.mixed_stance
    agreeing_topic_zero = max(themes, key=lambda theme: theme.stance[0])
    assert dissenter not in agreeing_topic_zero.respondent_keys


def test_camps_need_both_sides_large_enough_and_neutral_answers_go_with_the_larger():
    keys = [f"r{i}" for i in range(100)]
    rows = np.arange(100)
    values = {key: AGREE if i < 60 else DISAGREE for i, key in enumerate(keys)}
    values["r0"] = NEITHER
    camps = fitting_camps(keys, rows, values, 5)
    assert camps is not None
    assert camps[0] == camps[1] == 0 and camps[99] == 1  # neither: the larger, agreeing side
    few = {key: AGREE if i < 95 else DISAGREE for i, key in enumerate(keys)}
    assert fitting_camps(keys, rows, few, 5) is None  # 5 of 100: a minority, not a camp
    short = rows[: 40 + MIN_CAMP_PASSAGES - 1]  # the disagreeing side fits too few passages
    assert fitting_camps(keys, short, values, 5) is None
    assert fitting_camps(keys, rows, {}, 0) is None  # no scale
