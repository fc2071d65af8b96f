"""The secretariat previews a consultation before it opens, as respondents will see it.

Signed-in secretariat users (admins and analysts) get the public pages of a draft or scheduled
consultation with a "Forhåndsvisning" banner and a form that cannot be sent; anyone else gets
404 for a draft, as before, and nothing is stored.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hearing.extensions import db
from hearing.models import Status, Submission
from hearing.models.types import utcnow
from tests.respond_support import SLUG, full_answer, make_consultation


@pytest.fixture()
def draft(app):
    consultation = make_consultation()
    consultation.status = Status.DRAFT
    db.session.commit()
    return consultation


def _submissions() -> int:
    return db.session.scalar(select(func.count(Submission.id))) or 0


def test_anonymous_visitors_get_404_for_a_draft(draft, client):
    for url in (f"/h/{SLUG}", f"/h/{SLUG}/svar"):
        assert client.get(url).status_code == 404
    assert SLUG not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["admin_client", "analyst_client"])
def test_the_secretariat_previews_a_draft(draft, who, request):
    staff = request.getfixturevalue(who)
    page = staff.get(f"/h/{SLUG}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Forhåndsvisning" in html and "Gratis skolemat" in html
    assert page.headers["Cache-Control"] == "no-store, private"
    assert f'href="/h/{SLUG}/svar"' in html
    form = staff.get(f"/h/{SLUG}/svar")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "Forhåndsvisning" in html
    assert "Er du enig i beskrivelsen?" in html  # the questions, as respondents will see them
    assert 'name="action"' not in html  # no button sends it
    assert "skjemaet kan ikke sendes inn" in html
    assert form.headers["Cache-Control"] == "no-store, private"
    assert "noindex" in form.headers["X-Robots-Tag"]


def test_a_preview_cannot_be_submitted(draft, admin_client, client):
    for sender in (admin_client, client):
        response = sender.post(f"/h/{SLUG}/svar", data=full_answer(draft))
        assert response.status_code == 404
    assert _submissions() == 0


def test_the_draft_stays_out_of_the_public_list_even_for_the_secretariat(draft, admin_client):
    assert "Gratis skolemat" not in admin_client.get("/").get_data(as_text=True)


def test_a_scheduled_consultation_is_public_but_only_the_secretariat_sees_its_form(
    app, client, admin_client
):
    consultation = make_consultation()
    consultation.opens_at = utcnow() + timedelta(days=2)
    db.session.commit()
    public = client.get(f"/h/{SLUG}").get_data(as_text=True)
    assert "Høringen åpner for svar" in public and "Forhåndsvisning" not in public
    assert client.get(f"/h/{SLUG}/svar").status_code == 302
    preview = admin_client.get(f"/h/{SLUG}/svar").get_data(as_text=True)
    assert "Forhåndsvisning" in preview and 'name="action"' not in preview
    response = admin_client.post(f"/h/{SLUG}/svar", data=full_answer(consultation))
    assert response.status_code == 403
    assert _submissions() == 0


def test_the_admin_page_offers_the_preview(draft, admin_client):
    page = admin_client.get(f"/admin/consultations/{SLUG}").get_data(as_text=True)
    assert "Forhåndsvis som respondent" in page


def test_preview_in_english(draft, admin_client):
    html = admin_client.get(f"/h/{SLUG}/svar?lang=en").get_data(as_text=True)
    assert "Preview" in html and "the form cannot be sent" in html
