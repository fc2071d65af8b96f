"""The address is proposed from the title; categories are renamed without losing their answers;
two category lists to start from (a clean standard list, and the BarnUnge21 list of seed 004)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forms.consultation import slugify
from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, RespondentCategory, Submission
from synthesis.presets import BARNUNGE21_CATEGORY_PRESET, STANDARD_CATEGORY_PRESET
from tests.respond_support import SLUG, full_answer, make_consultation, post_new


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Høring om ærlige små barn", "horing-om-aerlige-sma-barn"),
        ("  Ny lov (2025)!  ", "ny-lov-2025"),
        ("ÆØÅ æøå", "aeoa-aeoa"),
        ("Café Noël – «straße»", "cafe-noel-strasse"),
        ("!!!", "horing"),
        ("0–24-samarbeidet", "0-24-samarbeidet"),
    ],
)
def test_slugify_writes_norwegian_letters_as_in_addresses(title, slug):
    assert slugify(title) == slug


def test_a_long_title_is_cut_at_a_word():
    slug = slugify("Ledelse for kunnskapsbasert, samordnet og brukerrettet praksis " * 3)
    assert len(slug) <= 80 and not slug.endswith("-")
    assert slug.startswith("ledelse-for-kunnskapsbasert-samordnet")


def _create(admin_client, title: str, slug: str = ""):
    return admin_client.post(
        "/admin/consultations/new",
        data={"title": title, "slug": slug, "language": "nb", "scale_preset": "agreement"},
    )


def _slugs() -> list[str]:
    return list(db.session.scalars(select(Consultation.slug).order_by(Consultation.id)))


def test_an_empty_address_is_proposed_from_the_title_and_made_unique(admin_client):
    assert _create(admin_client, "Høring om skolemat").status_code == 302
    assert _create(admin_client, "Høring om skolemat").status_code == 302
    assert _slugs() == ["horing-om-skolemat", "horing-om-skolemat-2"]
    page = admin_client.get("/admin/consultations/horing-om-skolemat-2").get_data(as_text=True)
    assert "Høringen er opprettet med adressen http://localhost/h/horing-om-skolemat-2" in page


def test_the_proposal_left_as_it_was_is_numbered_but_a_chosen_address_must_be_free(admin_client):
    _create(admin_client, "Skolemat")
    assert _create(admin_client, "Skolemat", slug="skolemat").status_code == 302  # as proposed
    assert _slugs() == ["skolemat", "skolemat-2"]
    refused = _create(admin_client, "Noe annet", slug="skolemat")
    assert "Kortnavnet er allerede i bruk." in refused.get_data(as_text=True)
    assert _slugs() == ["skolemat", "skolemat-2"]


def test_only_the_new_form_fills_the_address_while_typing(admin_client):
    new = admin_client.get("/admin/consultations/new").get_data(as_text=True)
    assert 'data-slug-from="title"' in new and "/static/admin.js" in new
    _create(admin_client, "Skolemat")
    edit = admin_client.get("/admin/consultations/skolemat/edit").get_data(as_text=True)
    assert "data-slug-from" not in edit  # a published address is not changed by a retitle


def test_editing_with_an_empty_address_proposes_one(admin_client):
    _create(admin_client, "Skolemat")
    admin_client.post(
        "/admin/consultations/skolemat/edit",
        data={
            "title": "Skolemat i Bergen",
            "slug": "",
            "language": "nb",
            "scale_preset": "agreement",
        },
    )
    assert _slugs() == ["skolemat-i-bergen"]


def _category(consultation, label: str) -> RespondentCategory:
    return next(c for c in consultation.categories if c.label == label)


def test_a_renamed_category_keeps_its_answers(app, client, admin_client):
    consultation = make_consultation()
    post_new(client, full_answer(consultation))  # answers in "Forvaltning (Offentlig)"
    category = _category(consultation, "Forvaltning (Offentlig)")
    url = f"/admin/consultations/{SLUG}/categories/{category.id}/edit"
    form = admin_client.get(url).get_data(as_text=True)
    assert 'value="Forvaltning"' in form
    response = admin_client.post(url, data={"name": "Kommune", "sector": "public"})
    assert response.status_code == 302
    db.session.expire_all()
    submission = db.session.scalars(select(Submission)).one()
    assert submission.category_id == category.id
    assert submission.category.label == "Kommune (Offentlig)"
    listing = admin_client.get(f"/admin/consultations/{SLUG}/submissions").get_data(as_text=True)
    assert "Kommune (Offentlig)" in listing
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "category.rename"))
    assert event.details == {"before": "Forvaltning (Offentlig)", "label": "Kommune (Offentlig)"}


def test_a_category_in_use_keeps_its_sector(app, client, admin_client):
    consultation = make_consultation()
    post_new(client, full_answer(consultation))
    category = _category(consultation, "Forvaltning (Offentlig)")
    url = f"/admin/consultations/{SLUG}/categories/{category.id}/edit"
    refused = admin_client.post(url, data={"name": "Forvaltning", "sector": "individual"})
    assert "Sektoren kan ikke endres fordi svar er registrert" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(RespondentCategory, category.id).sector == "public"
    unused = _category(consultation, "Andre (Offentlig)")
    admin_client.post(
        f"/admin/consultations/{SLUG}/categories/{unused.id}/edit",
        data={"name": "Andre", "sector": "private"},
    )
    db.session.expire_all()
    assert db.session.get(RespondentCategory, unused.id).sector == "private"


def test_a_rename_may_not_take_another_categorys_name(app, admin_client):
    consultation = make_consultation()
    category = _category(consultation, "Andre (Offentlig)")
    refused = admin_client.post(
        f"/admin/consultations/{SLUG}/categories/{category.id}/edit",
        data={"name": "Forvaltning", "sector": "public"},
    )
    assert "Kategorien finnes allerede i denne sektoren." in refused.get_data(as_text=True)


def test_the_standard_list_is_clean_and_the_seed_list_is_a_preset_of_its_own(admin_client):
    labels = [c.label for c in STANDARD_CATEGORY_PRESET]
    assert len(set(labels)) == len(labels)
    assert len({c.name.casefold() for c in STANDARD_CATEGORY_PRESET}) == len(labels)
    for name in ("Departement", "Kommune", "Statsforvalter", "Privatperson"):
        assert any(c.name == name for c in STANDARD_CATEGORY_PRESET)
    _create(admin_client, "Skolemat")
    page = admin_client.get("/admin/consultations/skolemat").get_data(as_text=True)
    assert "Som i BarnUnge21-høringen" in page
    admin_client.post("/admin/consultations/skolemat/categories/preset")
    found = db.session.scalar(select(Consultation).where(Consultation.slug == "skolemat"))
    assert [c.label for c in found.categories] == labels
    admin_client.post(
        "/admin/consultations/skolemat/categories/preset", data={"preset": "barnunge21"}
    )
    db.session.expire_all()
    found = db.session.scalar(select(Consultation).where(Consultation.slug == "skolemat"))
    have = [c.label for c in found.categories]
    assert "Stiftelser (Privat)" in have and "Andre (Offentlig)" in have
    assert len(have) == len(set(labels) | {c.label for c in BARNUNGE21_CATEGORY_PRESET})


def test_rename_page_in_english(app, admin_client):
    consultation = make_consultation()
    category = _category(consultation, "Andre (Offentlig)")
    page = admin_client.get(
        f"/admin/consultations/{SLUG}/categories/{category.id}/edit?lang=en"
    ).get_data(as_text=True)
    assert "Edit respondent category" in page
