"""Stance in themes: members' scale positions counted, opposite camps split or flagged."""

import re

from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from synthesis.theme_stance import scale_values_for, split_by_stance
from synthesis.themes import ThemeModel

CATEGORY = Category("Kommune", Sector.PUBLIC)
FOR = [
    "Lovfestet samarbeidsplikt vil gjøre samarbeidet mellom tjenestene forpliktende.",
    "En lovfestet samarbeidsplikt gir tjenestene et tydelig ansvar for å samarbeide.",
    "Vi støtter en lovfestet samarbeidsplikt fordi samarbeidet i dag er for tilfeldig.",
    "Samarbeidsplikt i loven vil hjelpe barna som trenger flere tjenester samtidig.",
    "Lovfesting av samarbeidsplikt vil sikre at tjenestene faktisk samarbeider.",
]
AGAINST = [
    "En lovfestet samarbeidsplikt løser ikke samarbeidet, det handler om kultur og ledelse.",
    "Samarbeidsplikt i loven blir bare enda et krav uten ressurser til tjenestene.",
    "Vi er imot lovfestet samarbeidsplikt, kommunene må selv organisere samarbeidet.",
    "Lovfesting av samarbeidsplikt gir mer byråkrati og lite bedre samarbeid.",
    "Samarbeidet blir ikke bedre av en plikt i loven når tjenestene mangler tid.",
]


def snapshot(question_kind: QuestionKind = QuestionKind.SCALE_TEXT) -> ConsultationSnapshot:
    """Ten answers on one topic: five agree (scale 0), five disagree (scale 4)."""
    texts = [(text, 0) for text in FOR] + [(text, 4) for text in AGAINST]
    questions = (
        Question("1", "Vurdering", QuestionKind.SCALE),
        Question("1.a", "Hvorfor?", question_kind),
    )
    return ConsultationSnapshot(
        slug="stance",
        title="Samarbeid",
        categories=(CATEGORY,),
        questions=questions,
        respondents=tuple(
            Respondent(
                key=f"r{n}",
                name=f"Kommune {n}",
                category=CATEGORY.label,
                answers={
                    "1": Answer("1", value=value),
                    "1.a": Answer("1.a", value=value, text=text),
                },
            )
            for n, (text, value) in enumerate(texts)
        ),
    )


def test_a_theme_of_opposite_camps_is_split_in_one_theme_per_side():
    model = ThemeModel(n_themes=1, random_state=0).fit(snapshot(), "1.a")
    themes = [theme for theme in model.themes_ if not theme.is_other]
    assert len(themes) == 2
    sides = sorted(theme.stance for theme in themes)
    assert sides == [(0, 0, 0, 0, 5), (5, 0, 0, 0, 0)]
    for theme in themes:
        values = {int(key[1:]) < 5 for key in theme.respondent_keys}
        assert len(values) == 1  # each theme holds one camp only


def test_a_text_sub_question_takes_its_stance_from_the_parent_scale():
    values, size = scale_values_for(snapshot(QuestionKind.TEXT), "1.a")
    assert size == 5
    assert values["r0"] == 0 and values["r9"] == 4


def test_a_small_opposite_camp_is_flagged_and_a_lone_dissent_is_not():
    members = list(range(6))
    respondent_of = [f"r{n}" for n in members]
    authors = {key: n for n, key in enumerate(respondent_of)}
    flagged = split_by_stance(
        members, respondent_of, authors, {"r0": 0, "r1": 0, "r2": 0, "r3": 4}, 5, min_support=2
    )
    assert [group.mixed for group in flagged] == [True]
    many = list(range(12))
    lone = split_by_stance(
        many,
        [f"r{n}" for n in many],
        {f"r{n}": n for n in many},
        {f"r{n}": 0 if n else 4 for n in many},  # one dissent among twelve
        5,
        min_support=2,
    )
    assert [group.mixed for group in lone] == [False]
    assert split_by_stance(members, respondent_of, authors, {}, 0, min_support=2)[0].members == (
        members
    )


def test_summaries_carry_the_stance():
    from exports.synthesis_view import _theme

    model = ThemeModel(n_themes=1, random_state=0).fit(snapshot(), "1.a")
    theme = model.themes_[0]
    by_key = {key: object() for key in theme.respondent_keys}
    summary = _theme("1.a", theme, by_key)
    assert summary is not None and summary.stance == theme.stance and sum(summary.stance) == 5


def test_the_analyst_sees_each_themes_positions(app, analyst_client):
    from hearing.extensions import db
    from hearing.models import Source
    from hearing.services.snapshots import add_respondents, create_consultation

    stance_snapshot = snapshot()
    consultation = create_consultation(stance_snapshot, slug="stance")
    db.session.flush()
    add_respondents(consultation, stance_snapshot.respondents, source=Source.IMPORT)
    db.session.commit()
    app.config["SYNTHESIS_EXECUTOR"] = "inline"
    analyst_client.post("/admin/consultations/stance/synthesis/runs", data={})
    page = analyst_client.get("/admin/consultations/stance/synthesis/themes/1.a")
    text = page.get_data(as_text=True)
    assert re.search(r"Standpunkter: Helt enig \d", text)
    assert re.search(r"Standpunkter: Helt uenig \d", text)
