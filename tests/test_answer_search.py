"""Reading responses: search every answer of a consultation with the database's own full-text
index, and narrow the list by category, position and theme."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from hearing.demo import DEMO_SLUG, load_demo
from hearing.extensions import db
from hearing.models import Answer, RunScope, Submission
from hearing.services import search, synthesis_runs
from hearing.services.snapshots import add_respondents
from synthesis.snapshot import Answer as SnapAnswer
from synthesis.snapshot import Respondent
from synthesis.theme_edits import RenameTheme, anchor_of
from tests.respond_support import SLUG, make_consultation, question_ids

LIST = f"/admin/consultations/{SLUG}/submissions"


def _respondent(key: str, name: str, category: str, value: int | None, comment: str) -> Respondent:
    answers = {"3": SnapAnswer("3", text=comment)}
    if value is not None:
        answers["1"] = SnapAnswer("1", value=value)
    return Respondent(key=key, name=name, category=category, answers=answers)


@pytest.fixture()
def answered(app):
    consultation = make_consultation()
    add_respondents(
        consultation,
        [
            _respondent(
                "a", "Bergen kommune", "Forvaltning (Offentlig)", 0, "Barnehagene trenger mat."
            ),
            _respondent("b", "Redd Barna", "Organisasjon (Privat)", 4, "Skolematen må være sunn."),
            _respondent(
                "c", "Ola Nordmann", "Privatperson (Enkeltperson)", 0, "Se https://example.no/mat"
            ),
        ],
    )
    db.session.commit()
    return consultation


def _names(admin_client, **args: str) -> list[str]:
    page = admin_client.get(LIST, query_string=args).get_data(as_text=True)
    return [n for n in ("Bergen kommune", "Redd Barna", "Ola Nordmann") if n in page]


def test_sqlite_has_the_fts5_index(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    found = db.session.scalar(text("SELECT name FROM sqlite_master WHERE name = 'answer_search'"))
    assert found == "answer_search"


def test_search_finds_word_starts_in_any_answer_regardless_of_case(answered, admin_client):
    assert _names(admin_client, q="barnehage") == ["Bergen kommune"]
    assert _names(admin_client, q="SKOLEMAT") == ["Redd Barna"]
    assert _names(admin_client, q="mat") == ["Bergen kommune", "Ola Nordmann"]  # not "skolematen"
    assert _names(admin_client, q="sunn skole") == ["Redd Barna"]  # every word, any order
    assert _names(admin_client, q="sunn barnehage") == []  # …in one answer
    assert _names(admin_client, q="redd barna") == ["Redd Barna"]  # the name counts too
    assert _names(admin_client, q="example.no/mat") == ["Ola Nordmann"]


def test_search_shows_where_it_matched(answered, admin_client):
    page = admin_client.get(LIST, query_string={"q": "barneh"}).get_data(as_text=True)
    assert "<mark>Barnehagene</mark> trenger mat." in page
    assert "Spørsmål 3:" in page


def test_search_is_safe_with_query_syntax_and_markup(answered, admin_client):
    for query in ('"', "AND OR NOT", "*", "barn*) OR (", "<script>", "a:b & c | !d", "🙂"):
        response = admin_client.get(LIST, query_string={"q": query})
        assert response.status_code == 200, query
        assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[1]


def test_the_index_follows_edits_and_erasure(answered, admin_client):
    answer = db.session.scalar(select(Answer).where(Answer.text == "Skolematen må være sunn."))
    answer.text = "Frukt hver dag."
    db.session.commit()
    assert _names(admin_client, q="skolematen") == []
    assert _names(admin_client, q="frukt") == ["Redd Barna"]
    db.session.delete(answer.submission)
    db.session.commit()
    assert _names(admin_client, q="frukt") == []
    matches = db.session.scalars(select(Answer.id).where(search.answer_matches(["frukt"])))
    assert list(matches) == []


def test_filters_by_position_and_category(answered, admin_client):
    first = question_ids(answered)["1"]
    assert _names(admin_client, position=f"{first}:0") == ["Bergen kommune", "Ola Nordmann"]
    assert _names(admin_client, position=f"{first}:4") == ["Redd Barna"]
    organisation = next(c.id for c in answered.categories if c.name == "Organisasjon")
    assert _names(admin_client, category=str(organisation)) == ["Redd Barna"]
    both = _names(admin_client, position=f"{first}:0", q="mat", category=str(organisation))
    assert both == []
    page = admin_client.get(LIST).get_data(as_text=True)
    assert "Spørsmål 1: Helt enig" in page  # the option names question and point
    for unknown in ("x", f"{first}:99", "999:0", f"{question_ids(answered)['3']}:0"):
        assert len(_names(admin_client, position=unknown)) == 3  # ignored


def test_filters_by_a_theme_of_the_latest_run(app, admin_client):
    demo, _count, _created = load_demo()
    db.session.commit()
    synthesis_runs.run_inline(demo, synthesis_runs.run_parameters(), scope=RunScope.INTERNAL)
    latest = synthesis_runs.latest_result(demo)
    question = next(q for q in latest.result.themes if q.themes)
    theme = question.themes[0]
    url = f"/admin/consultations/{DEMO_SLUG}/submissions"
    page = admin_client.get(url).get_data(as_text=True)
    assert f'value="{theme.theme_id}"' in page
    filtered = admin_client.get(url, query_string={"theme": theme.theme_id}).get_data(as_text=True)
    references = set(
        db.session.scalars(
            select(Submission.reference).where(Submission.consultation_id == demo.id)
        )
    )
    shown = {ref for ref in references if f">{ref}</a>" in filtered}
    assert shown == set(theme.respondent_keys)
    assert f"{len(theme.respondent_keys)} svar" in filtered
    # A renamed theme shows its new name at once (the options are kept per run and edit).
    synthesis_runs.add_theme_edit(
        demo, question.question_code, RenameTheme(anchor_of(theme), "Nytt navn"), created_by_id=None
    )
    db.session.commit()
    assert "Nytt navn (" in admin_client.get(url).get_data(as_text=True)


def test_search_page_in_english(answered, admin_client):
    page = admin_client.get(LIST, query_string={"q": "mat", "lang": "en"}).get_data(as_text=True)
    assert "Search the responses" in page and "All positions" in page
