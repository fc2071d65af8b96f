"""The response form is built once per consultation version and language, and never goes stale.

What must hold, whatever is cached: a change the secretariat makes is on the next form page; each
visitor gets their own CSRF token and idempotency key; a signed-in user, a flashed message or
another language never sees (or leaves behind) someone else's page; anonymous visitors' session
cookies are not rewritten on every response.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearing.extensions import db
from hearing.models import Consultation, Question, Submission
from hearing.public.form_page import CSRF_SLOT, KEY_SLOT
from tests.conftest import make_app, sign_in
from tests.respond_support import SLUG, full_answer, make_consultation, post_new, question_ids
from tests.test_admin_consultations import NEW

FORM = f"/h/{SLUG}/svar"
ADMIN_QUESTIONS = f"/admin/consultations/{SLUG}/questions"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY_FIELD = re.compile(r'name="idempotency_key" type="hidden" value="([^"]+)"')


def _page(client: FlaskClient, url: str = FORM) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture()
def csrf_app(app: Flask, migrated: str) -> Iterator[Flask]:
    """The production setting: CSRF on, so the cached page must carry per-session tokens."""
    strict = make_app(migrated, WTF_CSRF_ENABLED=True)
    with strict.app_context():
        yield strict
        db.session.remove()


def test_question_edits_added_and_removed_questions_show_on_the_next_form(
    app, client, admin_client
):
    consultation = make_consultation()
    ids = question_ids(consultation)
    assert "Er du enig i beskrivelsen?" in _page(client)

    admin_client.post(
        f"{ADMIN_QUESTIONS}/{ids['1']}/edit",
        data={"code": "1", "text": "Er du enig i den nye beskrivelsen?", "kind": "scale"},
    )
    page = _page(client)
    assert "Er du enig i den nye beskrivelsen?" in page
    assert "Er du enig i beskrivelsen?" not in page

    admin_client.post(
        f"{ADMIN_QUESTIONS}/new", data={"code": "4", "text": "Noe mer å legge til?", "kind": "text"}
    )
    assert "Noe mer å legge til?" in _page(client)

    admin_client.post(f"{ADMIN_QUESTIONS}/{ids['1.a']}/delete")
    assert "Har du eksempler?" not in _page(client)

    admin_client.post(f"{ADMIN_QUESTIONS}/{ids['3']}/move", data={"direction": "up"})
    page = _page(client)
    assert page.index("Hva er viktigst for deg?") < page.index("Er du enig i målene?")


def test_category_and_deadline_changes_show_on_the_next_form(app, client, admin_client):
    make_consultation()
    page = _page(client)
    assert "Barnehage" not in page
    admin_client.post(
        f"/admin/consultations/{SLUG}/categories/new",
        data={"name": "Barnehage", "sector": "public"},
    )
    assert "Barnehage (Offentlig)" in _page(client)

    found = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
    found.closes_at = found.closes_at.replace(year=found.closes_at.year + 1)
    db.session.commit()
    assert str(found.closes_at.year) in _page(client)


def test_answers_are_checked_against_the_current_questions(app, client, admin_client):
    """A question added after the form was cached is answered, stored and shown on the receipt."""
    consultation = make_consultation()
    _page(client)
    admin_client.post(
        f"{ADMIN_QUESTIONS}/new", data={"code": "4", "text": "Noe mer å legge til?", "kind": "text"}
    )
    db.session.expire_all()
    new_id = question_ids(consultation)["4"]
    response = post_new(client, full_answer(consultation, **{f"q{new_id}_text": "Ja, dette."}))
    assert response.status_code == 302
    receipt = _page(client, response.headers["Location"])
    assert "Noe mer å legge til?" in receipt and "Ja, dette." in receipt


def test_a_change_to_a_question_moves_the_consultations_version(app):
    consultation = make_consultation()
    before = consultation.updated_at
    question = db.session.scalars(select(Question).where(Question.code == "2")).one()
    question.text = "Er du enig i de nye målene?"
    db.session.commit()
    assert consultation.updated_at > before

    before = consultation.updated_at
    consultation.questions.remove(question)  # removed through the collection, as views do
    db.session.commit()
    assert consultation.updated_at > before


def test_every_visitor_gets_own_tokens_and_both_can_submit(csrf_app):
    consultation = make_consultation()
    first, second = csrf_app.test_client(), csrf_app.test_client()
    pages = [_page(first), _page(second), _page(first)]
    for page in pages:
        assert CSRF_SLOT not in page and KEY_SLOT not in page
    keys = [KEY_FIELD.search(page).group(1) for page in pages]
    assert len(set(keys)) == 3  # a fresh idempotency key for every form shown

    for client, page in ((first, pages[2]), (second, pages[1])):
        data = full_answer(
            consultation,
            csrf_token=CSRF_FIELD.search(page).group(1),
            idempotency_key=KEY_FIELD.search(page).group(1),
        )
        assert post_new(client, data).status_code == 302
    assert db.session.scalar(select(func.count(Submission.id))) == 2

    # One visitor's token is no good in another's session.
    stolen = full_answer(
        consultation, csrf_token=CSRF_FIELD.search(pages[1]).group(1), idempotency_key="x" * 32
    )
    assert post_new(first, stolen).status_code == 400


def test_signed_in_user_gets_their_own_menu_and_leaves_no_trace(app, client, admin):
    make_consultation()
    assert "Logg ut" not in _page(client)
    signed_in = app.test_client()
    sign_in(signed_in, admin.email)
    assert "Logg ut" in _page(signed_in)
    assert "Logg ut" not in _page(client)


def test_a_flashed_message_is_shown_once_and_not_kept_in_the_page(app, client):
    make_consultation()
    _page(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Melding til akkurat deg")]
    assert "Melding til akkurat deg" in _page(client)
    assert "Melding til akkurat deg" not in _page(client)
    assert "Melding til akkurat deg" not in _page(app.test_client())


def test_each_language_gets_its_own_page(app, client):
    make_consultation()
    assert "Send inn svaret" in _page(client)
    english = _page(client, f"{FORM}?lang=en")
    assert "Submit the response" in english and "Send inn svaret" not in english
    assert "Send inn svaret" in _page(app.test_client())


def test_anonymous_session_cookie_is_set_once_not_on_every_response(csrf_app):
    consultation = make_consultation()
    client = csrf_app.test_client()
    first = client.get(FORM)
    assert any(h.startswith("session=") for h in first.headers.getlist("Set-Cookie"))
    page = first.get_data(as_text=True)
    again = client.get(FORM)
    assert again.headers.getlist("Set-Cookie") == []
    data = full_answer(
        consultation,
        csrf_token=CSRF_FIELD.search(page).group(1),
        idempotency_key=KEY_FIELD.search(page).group(1),
    )
    submitted = post_new(client, data)
    receipt = client.get(submitted.headers["Location"])
    assert receipt.status_code == 200
    assert submitted.headers.getlist("Set-Cookie") == []
    assert receipt.headers.getlist("Set-Cookie") == []


def test_document_edits_show_on_the_next_consultation_page(app, client, admin_client):
    make_consultation()
    found = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
    found.document = "# Bakgrunn\n\nFørste utgave."
    db.session.commit()
    assert "Første utgave." in _page(client, f"/h/{SLUG}")
    edited = {**NEW, "slug": SLUG, "document": "# Bakgrunn\n\nAndre utgave."}
    response = admin_client.post(f"/admin/consultations/{SLUG}/edit", data=edited)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = _page(client, f"/h/{SLUG}")
    assert "Andre utgave." in page and "Første utgave." not in page
