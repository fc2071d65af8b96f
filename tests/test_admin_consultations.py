"""Creating and editing consultations, questions and categories; bad input kept and explained."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, Question, RespondentCategory

NEW = {
    "title": "Høring om barnevern",
    "slug": "barnevern-2026",
    "summary": "Kort om saken",
    "document": "# Bakgrunn\n\nTekst <script>alert(1)</script> og [lenke](javascript:alert(1)).",
    "opens_at": "2026-03-01T09:00",
    "closes_at": "2026-06-01T12:00",
    "language": "nb",
    "scale_preset": "agreement",
    "custom_scale": "",
}


def create(client, **changes):
    return client.post("/admin/consultations/new", data={**NEW, **changes})


def consultation(slug="barnevern-2026") -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def test_create_consultation_stores_oslo_times_in_utc(admin_client):
    response = create(admin_client, include_dont_know="y")
    assert response.status_code == 302
    found = consultation()
    assert found.title == "Høring om barnevern"
    # 1 March is winter time (UTC+1), 1 June summer time (UTC+2).
    assert found.opens_at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert found.closes_at == datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    assert found.scale_points[0] == "Helt enig"
    assert found.dont_know_label == "Vet ikke"
    assert (
        db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "consultation.create")
        ).actor
        == "admin@example.no"
    )


def test_duplicate_slug_refused_and_input_kept(admin_client):
    create(admin_client)
    response = create(admin_client, title="Et annet navn")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kortnavnet er allerede i bruk." in page
    assert 'value="Et annet navn"' in page
    assert "Kort om saken" in page


def test_close_before_open_refused(admin_client):
    response = create(admin_client, closes_at="2026-02-01T12:00")
    assert "Fristen må være etter åpningstidspunktet." in response.get_data(as_text=True)
    assert consultation() is None


def test_invalid_date_and_bad_slug_get_field_messages(admin_client):
    response = create(admin_client, opens_at="not a date", slug="Æ Ø")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bruk bare a–z, 0–9 og bindestrek." in page
    assert 'href="#opens_at"' in page  # the error summary links to the field


def test_empty_custom_scale_refused(admin_client):
    response = create(admin_client, scale_preset="custom", custom_scale="  \n")
    assert "En skala trenger minst to verdier." in response.get_data(as_text=True)
    assert consultation() is None


def test_custom_scale_saved_in_order(admin_client):
    create(admin_client, scale_preset="custom", custom_scale="Ja\nKanskje\nNei\n")
    assert consultation().scale_points == ["Ja", "Kanskje", "Nei"]


def test_document_markdown_is_rendered_safely(admin_client):
    create(admin_client)
    admin_client.post("/admin/consultations/barnevern-2026/categories/preset")
    admin_client.post(
        "/admin/consultations/barnevern-2026/questions/new",
        data={"code": "1", "text": "Hva mener du?", "kind": "text"},
    )
    admin_client.post("/admin/consultations/barnevern-2026/status", data={"status": "open"})
    page = admin_client.get("/h/barnevern-2026").get_data(as_text=True)
    assert "<h1>Bakgrunn</h1>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript:' not in page


def test_questions_add_edit_reorder_delete(admin_client):
    create(admin_client)
    base = "/admin/consultations/barnevern-2026/questions"
    for code in ("1", "1.a", "2"):
        admin_client.post(f"{base}/new", data={"code": code, "text": f"Q{code}", "kind": "scale"})
    found = consultation()
    assert [q.code for q in found.questions] == ["1", "1.a", "2"]
    second = found.questions[1]
    admin_client.post(f"{base}/{second.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [q.code for q in consultation().questions] == ["1.a", "1", "2"]
    admin_client.post(
        f"{base}/{second.id}/edit",
        data={"code": "1.b", "text": "Ny tekst", "kind": "text", "required": "y"},
    )
    db.session.expire_all()
    edited = db.session.get(Question, second.id)
    assert (edited.code, edited.text, edited.kind, edited.required) == (
        "1.b",
        "Ny tekst",
        "text",
        True,
    )
    response = admin_client.post(f"{base}/new", data={"code": "2", "text": "dup", "kind": "text"})
    assert "Et annet spørsmål har allerede dette nummeret." in response.get_data(as_text=True)
    admin_client.post(f"{base}/{second.id}/delete")
    db.session.expire_all()
    assert [q.code for q in consultation().questions] == ["1", "2"]
    assert [q.position for q in consultation().questions] == [0, 1]


def test_categories_preset_and_manual(admin_client):
    create(admin_client)
    base = "/admin/consultations/barnevern-2026/categories"
    admin_client.post(f"{base}/preset", data={"preset": "barnunge21"})
    labels = [c.label for c in consultation().categories]
    assert labels[0] == "Universitet / Høgskole (Offentlig)"
    assert "Annet (Privat)" in labels and "Annet (Offentlig)" in labels
    assert len(labels) == 11
    response = admin_client.post(f"{base}/new", data={"name": "Forvaltning", "sector": "public"})
    assert "Kategorien finnes allerede i denne sektoren." in response.get_data(as_text=True)
    admin_client.post(f"{base}/new", data={"name": "Forvaltning", "sector": "private"})
    count = db.session.scalar(
        select(RespondentCategory.id).where(RespondentCategory.name == "Forvaltning").limit(1)
    )
    assert count is not None
    assert len(consultation().categories) == 12


def test_unknown_kind_and_sector_refused(admin_client):
    create(admin_client)
    base = "/admin/consultations/barnevern-2026"
    response = admin_client.post(
        f"{base}/questions/new", data={"code": "1", "text": "x", "kind": "essay"}
    )
    assert response.status_code == 200
    assert not consultation().questions
    response = admin_client.post(f"{base}/categories/new", data={"name": "X", "sector": "alien"})
    assert response.status_code == 200
    assert not consultation().categories


def test_admin_creates_user_with_role(admin_client):
    response = admin_client.post(
        "/admin/users",
        data={
            "email": "ny@example.no",
            "role": "analyst",
            "password": "a-long-password-1",
            "confirm": "a-long-password-1",
        },
    )
    assert response.status_code == 302
    response = admin_client.post(
        "/admin/users",
        data={
            "email": "x@example.no",
            "role": "superuser",
            "password": "p" * 12,
            "confirm": "p" * 12,
        },
    )
    assert response.status_code == 200
    assert 'value="x@example.no"' in response.get_data(as_text=True)
