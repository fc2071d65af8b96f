"""The secretariat's side of responses: list, filter, read versions, hide, register by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import AuditEvent, Source, Submission, SubmissionStatus
from tests.respond_support import (
    SLUG,
    category_id,
    full_answer,
    make_consultation,
    post_new,
    question_ids,
    token_from,
)

BASE = f"/admin/consultations/{SLUG}/submissions"


@pytest.fixture()
def answered(app, client):
    """Three web responses: one edited once, one withdrawn, one from a private person; a draft."""
    consultation = make_consultation()
    ids = question_ids(consultation)
    first = token_from(
        post_new(client, full_answer(consultation, idempotency_key="a" * 32)).location
    )
    client.post(
        f"/h/{SLUG}/svar/{first}",
        data=full_answer(consultation, **{f"q{ids['3']}_text": "Endret tekst"}),
    )
    second = token_from(
        post_new(
            client, full_answer(consultation, idempotency_key="b" * 32, respondent_name="Lag")
        ).location
    )
    client.post(f"/h/{SLUG}/svar/{second}/trekk")
    private = category_id(consultation, "Privatperson (Enkeltperson)")
    post_new(
        client,
        full_answer(
            consultation, idempotency_key="c" * 32, respondent_name="Kari", category=str(private)
        ),
    )
    post_new(client, {"idempotency_key": "d" * 32, "action": "draft", "respondent_name": "Utkast"})
    return consultation


def _by_name(name: str) -> Submission:
    db.session.expire_all()
    return db.session.scalars(select(Submission).where(Submission.respondent_name == name)).one()


def test_list_filters_by_status_and_category(answered, analyst_client):
    page = analyst_client.get(BASE).get_data(as_text=True)
    assert "Bergen kommune" in page and "Kari" in page
    assert "Lag" not in page and "Utkast" not in page  # withdrawn and drafts are not listed
    assert "1 utkast er ikke sendt inn" in page
    withdrawn = analyst_client.get(f"{BASE}?status=withdrawn").get_data(as_text=True)
    assert "Lag" in withdrawn and "Kari" not in withdrawn
    private = category_id(answered, "Privatperson (Enkeltperson)")
    only_private = analyst_client.get(f"{BASE}?category={private}").get_data(as_text=True)
    assert "Kari" in only_private and "Bergen kommune" not in only_private


def test_reader_sees_answers_and_earlier_versions_but_not_drafts(answered, analyst_client):
    edited = _by_name("Bergen kommune")
    page = analyst_client.get(f"{BASE}/{edited.id}").get_data(as_text=True)
    assert "Endret tekst" in page and "Versjon 1" in page and "At maten er sunn." in page
    assert "Skjul svaret" not in page  # analysts read; admins moderate
    draft = _by_name("Utkast")
    assert analyst_client.get(f"{BASE}/{draft.id}").status_code == 404


def test_admin_hides_with_a_reason_and_it_is_audited(answered, admin_client):
    target = _by_name("Kari")
    missing = admin_client.post(f"{BASE}/{target.id}/hide", data={"reason": " "})
    assert missing.status_code == 422 and "Skriv hvorfor svaret skjules." in missing.get_data(
        as_text=True
    )
    admin_client.post(f"{BASE}/{target.id}/hide", data={"reason": "Personopplysninger"})
    target = _by_name("Kari")
    assert target.hidden and target.hidden_reason == "Personopplysninger"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "submission.hide")
    ).one()
    assert event.details["reason"] == "Personopplysninger" and event.actor == "admin@example.no"
    hidden_only = admin_client.get(f"{BASE}?hidden=1").get_data(as_text=True)
    assert "Kari" in hidden_only and "Bergen kommune" not in hidden_only
    admin_client.post(f"{BASE}/{target.id}/unhide")
    assert not _by_name("Kari").hidden


def test_admin_registers_a_letter_once_without_private_link(answered, admin_client):
    data = full_answer(
        answered,
        idempotency_key="e" * 32,
        respondent_name="Brevskriver",
        email="",
        received_on="2025-03-03",
    )
    assert admin_client.get(f"{BASE}/new").status_code == 200
    first = admin_client.post(f"{BASE}/new", data=data)
    again = admin_client.post(f"{BASE}/new", data=data)
    assert first.status_code == again.status_code == 302 and first.location == again.location
    stored = _by_name("Brevskriver")
    assert stored.source == Source.IMPORT and stored.status == SubmissionStatus.SUBMITTED
    assert stored.resume_token_hash is None and stored.submitted_at is not None
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "submission.register")
    ).one()
    incomplete = admin_client.post(
        f"{BASE}/new",
        data=full_answer(
            answered, idempotency_key="f" * 32, respondent_name="", received_on="2025-03-03"
        ),
    )
    assert incomplete.status_code == 422 and "error-summary" in incomplete.get_data(as_text=True)


def test_consultation_page_links_to_the_responses(answered, analyst_client):
    page = analyst_client.get(f"/admin/consultations/{SLUG}").get_data(as_text=True)
    assert f'href="{BASE}"' in page


@pytest.mark.parametrize("path", [BASE, f"{BASE}/1", f"{BASE}/new"])
def test_anonymous_is_sent_to_login(app, client, path):
    make_consultation()
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize("path", [f"{BASE}/new", f"{BASE}/ID/hide", f"{BASE}/ID/unhide"])
def test_analyst_is_refused_admin_actions(answered, analyst_client, path):
    target = _by_name("Kari")
    path = path.replace("ID", str(target.id))
    response = (
        analyst_client.get(path)
        if path.endswith("new")
        else analyst_client.post(path, data={"reason": "x"})
    )
    assert response.status_code == 403
    assert not _by_name("Kari").hidden
