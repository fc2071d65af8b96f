"""The respondent's journey through the Flask test client: draft, resume, submit, edit, withdraw."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from hearing.extensions import db
from hearing.models import Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.services.references import hash_token
from tests.respond_support import (
    KEY,
    SLUG,
    full_answer,
    make_consultation,
    post_new,
    question_ids,
    token_from,
)


def _count() -> int:
    return db.session.scalar(select(func.count(Submission.id))) or 0


def _only() -> Submission:
    db.session.expire_all()
    return db.session.scalars(select(Submission)).one()


def test_public_pages_offer_to_respond_and_show_deadline_in_oslo_time(app, client):
    consultation = make_consultation()
    consultation.closes_at = consultation.closes_at.replace(
        month=1, day=15, hour=11, minute=0, second=0, microsecond=0, year=utcnow().year + 1
    )
    db.session.commit()
    listing = client.get("/").get_data(as_text=True)
    assert "Svar på høringen" in listing
    page = client.get(f"/h/{SLUG}").get_data(as_text=True)
    assert f'href="/h/{SLUG}/svar"' in page
    assert "12:00" in page  # 11:00 UTC is noon in Oslo in January
    assert f"15. januar {consultation.closes_at.year} kl. 12:00" in page
    english = client.get(f"/h/{SLUG}?lang=en").get_data(as_text=True)
    assert (
        f"15 January {consultation.closes_at.year} at 12:00" in english
    )  # day first, as in Europe


def test_closed_consultation_is_marked_and_offers_no_form(app, client):
    make_consultation(closes_in=timedelta(days=-1))
    page = client.get(f"/h/{SLUG}").get_data(as_text=True)
    assert "tar ikke imot flere svar" in page
    assert f'href="/h/{SLUG}/svar"' not in page
    response = client.get(f"/h/{SLUG}/svar")
    assert response.status_code == 302


def test_form_is_built_from_the_questions(app, client):
    consultation = make_consultation()
    ids = question_ids(consultation)
    page = client.get(f"/h/{SLUG}/svar").get_data(as_text=True)
    assert page.count("<fieldset") >= 3  # two scale questions and the consent choice
    assert "<legend>" in page and "Er du enig i beskrivelsen?" in page
    assert "Vet ikke" in page
    assert f'name="q{ids["3"]}_text"' in page and 'data-char-limit="20000"' in page
    assert 'name="idempotency_key"' in page and 'name="homepage"' in page
    assert "Forvaltning (Offentlig)" in page
    assert "<script>" not in page  # the CSP allows no inline script


def test_draft_resume_submit_edit_withdraw(app, client):
    consultation = make_consultation()
    ids = question_ids(consultation)
    draft = {
        "respondent_name": "Bergen kommune",
        "idempotency_key": KEY,
        "action": "draft",
        f"q{ids['1']}_value": "3",
        f"q{ids['3']}_text": "Halvferdig tanke",
    }
    saved = post_new(client, draft)
    assert saved.status_code == 302
    token = token_from(saved.location)
    stored = _only()
    assert stored.status == SubmissionStatus.DRAFT
    assert stored.resume_token_hash == hash_token(token)
    assert token not in (stored.resume_token_hash or "") and stored.idempotency_key != KEY

    notice = client.get(saved.location).get_data(as_text=True)
    assert "Utkastet er lagret" in notice and token in notice
    resumed = client.get(f"/h/{SLUG}/svar/{token}").get_data(as_text=True)
    assert 'value="Bergen kommune"' in resumed
    assert f'id="q{ids["1"]}_value-3" value="3" checked' in resumed
    assert "Halvferdig tanke</textarea>" in resumed

    submitted = client.post(f"/h/{SLUG}/svar/{token}", data=full_answer(consultation))
    assert submitted.location.endswith(f"/svar/{token}/kvittering")
    stored = _only()
    assert stored.status == SubmissionStatus.SUBMITTED and stored.submitted_at is not None
    assert stored.category.label == "Forvaltning (Offentlig)" and not stored.private_person
    receipt = client.get(submitted.location).get_data(as_text=True)
    assert stored.reference in receipt and "Målene er uklare." in receipt
    assert "Delvis enig" in receipt and "Vet ikke" in receipt

    edited = full_answer(consultation, **{f"q{ids['3']}_text": "Nytt svar"})
    client.post(f"/h/{SLUG}/svar/{token}", data=edited)
    stored = _only()
    assert [a.text for a in stored.answers if a.question_id == ids["3"]] == ["Nytt svar"]
    assert len(stored.versions) == 1
    assert stored.versions[0].data["answers"][-1]["text"] == "At maten er sunn."

    assert client.get(f"/h/{SLUG}/svar/{token}/trekk").status_code == 200
    client.post(f"/h/{SLUG}/svar/{token}/trekk")
    stored = _only()
    assert stored.status == SubmissionStatus.WITHDRAWN and stored.withdrawn_at is not None
    after = client.get(f"/h/{SLUG}/svar/{token}").get_data(as_text=True)
    assert "Svaret er trukket" in after and "Nytt svar" in after
    refused = client.post(f"/h/{SLUG}/svar/{token}", data=full_answer(consultation))
    assert refused.status_code == 409
    assert _only().status == SubmissionStatus.WITHDRAWN


def test_double_post_creates_one_submission_with_the_same_receipt(app, client):
    consultation = make_consultation()
    first = post_new(client, full_answer(consultation))
    second = post_new(client, full_answer(consultation))
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert _count() == 1
    assert _only().versions == []
    other = post_new(client, full_answer(consultation, idempotency_key="z" * 32))
    assert other.location != first.location and _count() == 2


def test_draft_then_stale_submit_of_the_same_form_completes_that_draft(app, client):
    consultation = make_consultation()
    post_new(client, full_answer(consultation, action="draft"))
    post_new(client, full_answer(consultation))
    assert _count() == 1 and _only().status == SubmissionStatus.SUBMITTED


def test_validation_errors_keep_every_typed_value(app, client):
    consultation = make_consultation()
    ids = question_ids(consultation)
    data = full_answer(
        consultation,
        email="not-an-email",
        consent="",
        **{f"q{ids['3']}_text": "", f"q{ids['1.a']}_text": "Linje én\n<b>to</b>"},
    )
    response = post_new(client, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="error-summary"' in page
    assert f'href="#q{ids["3"]}_text"' in page and 'href="#email"' in page
    assert 'href="#consent"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="not-an-email"' in page and 'value="Bergen kommune"' in page
    assert "Linje én\n&lt;b&gt;to&lt;/b&gt;</textarea>" in page
    assert f'id="q{ids["1"]}_value-1" value="1" checked' in page
    assert 'value="dont_know" checked' in page
    assert f'value="{KEY}"' in page  # the same form, so a corrected resubmit stays idempotent
    assert _count() == 0


def test_draft_skips_required_fields_but_not_length_limits(app, client):
    app.config["ANSWER_MAX_CHARS"] = 10
    consultation = make_consultation()
    ids = question_ids(consultation)
    ok = post_new(client, {"idempotency_key": KEY, "action": "draft"})
    assert ok.status_code == 302
    too_long = post_new(
        client,
        {"idempotency_key": "y" * 32, "action": "draft", f"q{ids['3']}_text": "x" * 11},
    )
    assert too_long.status_code == 422
    assert "høyst 10 tegn" in too_long.get_data(as_text=True)
    assert _count() == 1


def test_individual_category_marks_a_private_person(app, client):
    consultation = make_consultation()
    private = next(c for c in consultation.categories if c.sector == "individual")
    post_new(client, full_answer(consultation, category=str(private.id), consent="anonymous"))
    stored = _only()
    assert stored.private_person and stored.consent == "anonymous"


def test_after_the_deadline_submitting_and_editing_are_refused_but_text_stays_readable(app, client):
    consultation = make_consultation()
    response = post_new(client, full_answer(consultation))
    token = token_from(response.location)
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    edit = client.post(f"/h/{SLUG}/svar/{token}", data=full_answer(consultation, email="x@y.no"))
    assert edit.status_code == 403
    assert "Fristen for å svare er ute" in edit.get_data(as_text=True)
    assert _only().email == "post@bergen.kommune.no"
    late = post_new(client, full_answer(consultation, idempotency_key="q" * 32))
    assert late.status_code == 403
    assert "At maten er sunn.</textarea>" in late.get_data(as_text=True)
    assert _count() == 1

    page = client.get(f"/h/{SLUG}/svar/{token}").get_data(as_text=True)
    assert "Fristen er ute" in page and "Målene er uklare." in page
    assert "<textarea" not in page
    assert client.post(f"/h/{SLUG}/svar/{token}/trekk").status_code == 403


def test_a_private_link_opens_only_its_own_response(app, client):
    first = make_consultation()
    make_consultation(slug="annen-hoering")
    token = token_from(post_new(client, full_answer(first)).location)
    assert client.get(f"/h/annen-hoering/svar/{token}").status_code == 404
    assert client.get(f"/h/{SLUG}/svar/{token.swapcase()}").status_code == 404
    assert client.get(f"/h/{SLUG}/svar/{'A' * 32}/kvittering").status_code == 404
    assert client.get(f"/h/{SLUG}/svar/{token}").headers["Cache-Control"] == "no-store"
