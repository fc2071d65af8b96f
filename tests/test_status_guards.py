"""Status transitions and the guards that protect the meaning of stored answers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Consultation, Question, Status
from hearing.services.consultations import ChangeRefused, change_kind, change_scale, change_status
from hearing.services.snapshots import add_respondents
from synthesis.snapshot import Answer, Respondent
from tests.publish_support import publish_now


@pytest.fixture()
def answered(admin_client):
    from hearing.demo import load_demo

    consultation, _, _ = load_demo()
    add_respondents(
        consultation,
        [
            Respondent(
                key="x",
                name="Bydel Test",
                category="Forvaltning (Offentlig)",
                answers={"1": Answer("1", value=0), "4": Answer("4", text="Fint")},
            )
        ],
    )
    db.session.commit()
    return consultation


def test_transitions_follow_the_life_cycle(admin_client):
    admin_client.post(
        "/admin/consultations/new",
        data={"title": "T", "slug": "t", "language": "nb", "scale_preset": "agreement"},
    )
    found = db.session.scalar(select(Consultation).where(Consultation.slug == "t"))
    response = admin_client.post("/admin/consultations/t/status", data={"status": "open"})
    assert response.status_code == 302
    page = admin_client.get("/admin/consultations/t").get_data(as_text=True)
    assert "Legg til minst ett spørsmål før høringen åpnes." in page
    db.session.refresh(found)
    assert found.status == Status.DRAFT
    with pytest.raises(ChangeRefused):
        change_status(found, Status.PUBLISHED)


def test_published_is_final(answered):
    change_status(answered, Status.CLOSED)
    publish_now(answered)
    assert answered.published_at is not None
    for target in Status:
        with pytest.raises(ChangeRefused):
            change_status(answered, target)


def test_scale_change_refused_once_answers_exist(answered, admin_client):
    with pytest.raises(ChangeRefused):
        change_scale(answered, ["Ja", "Nei"], None)
    db.session.rollback()
    response = admin_client.post(
        f"/admin/consultations/{answered.slug}/edit",
        data={
            "title": "Endret tittel",
            "slug": answered.slug,
            "language": "nb",
            "scale_preset": "usefulness",
        },
    )
    page = response.get_data(as_text=True)
    assert "Skalaen kan ikke endres fordi det finnes svar." in page
    assert 'value="Endret tittel"' in page
    db.session.expire_all()
    assert db.session.get(Consultation, answered.id).title != "Endret tittel"


def test_same_scale_with_other_edits_allowed(answered, admin_client):
    response = admin_client.post(
        f"/admin/consultations/{answered.slug}/edit",
        data={
            "title": "Endret tittel",
            "slug": answered.slug,
            "language": "nb",
            "scale_preset": "agreement",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, answered.id).title == "Endret tittel"


def test_kind_change_and_delete_refused_for_answered_question(answered, admin_client):
    question = answered.questions[0]
    with pytest.raises(ChangeRefused):
        change_kind(question, "text")
    db.session.rollback()
    base = f"/admin/consultations/{answered.slug}/questions/{question.id}"
    response = admin_client.post(f"{base}/edit", data={"code": "1", "text": "x", "kind": "text"})
    assert "Svartypen kan ikke endres" in response.get_data(as_text=True)
    admin_client.post(f"{base}/delete")
    page = admin_client.get(f"/admin/consultations/{answered.slug}").get_data(as_text=True)
    assert "Spørsmålet kan ikke slettes fordi det har svar." in page
    db.session.expire_all()
    assert len(db.session.get(Consultation, answered.id).questions) == 6


def test_unanswered_question_may_change_kind(answered):
    unanswered = Question(code="9", text="Nytt spørsmål", kind="text", position=9)
    answered.questions.append(unanswered)
    db.session.flush()
    change_kind(unanswered, "scale_text")
    assert unanswered.kind == "scale_text"


def test_category_in_use_cannot_be_deleted(answered, admin_client):
    used = next(c for c in answered.categories if c.label == "Forvaltning (Offentlig)")
    admin_client.post(f"/admin/consultations/{answered.slug}/categories/{used.id}/delete")
    db.session.expire_all()
    assert any(
        c.label == "Forvaltning (Offentlig)"
        for c in db.session.get(Consultation, answered.id).categories
    )
