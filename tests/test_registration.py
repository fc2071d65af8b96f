"""Letters registered by the secretariat: a form in the secretariat's words that asks for the day
the letter came (shown and exported as the response's date), and corrections later, each
keeping the previous version, audited by field names only, shown on the response's page, and
marking a published edition out of date (or republishing at once when less is to be public)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from forms.registration import oslo_day, start_of_day
from hearing.extensions import db
from hearing.models import AuditEvent, Publication, Source, Submission
from hearing.services import publication as publishing
from tests.publish_support import publish_now
from tests.respond_support import (
    SLUG,
    category_id,
    full_answer,
    make_consultation,
    post_new,
    question_ids,
)

BASE = f"/admin/consultations/{SLUG}/submissions"
RECEIVED = date(2025, 3, 3)


def letter(consultation, **overrides):
    """Form data of a letter that answers question 3 only (1 is required on the web form)."""
    ids = question_ids(consultation)
    data = {
        "received_on": RECEIVED.isoformat(),
        "respondent_name": "Brevskriver AS",
        "category": str(category_id(consultation, "Forvaltning (Offentlig)")),
        "on_behalf_of": "",
        "email": "",
        "consent": "named",
        f"q{ids['3']}_text": "Sunn mat i brevet.",
        "idempotency_key": "L" * 32,
    }
    data.update(overrides)
    return data


def _stored(name: str) -> Submission:
    db.session.expire_all()
    return db.session.scalars(select(Submission).where(Submission.respondent_name == name)).one()


@pytest.fixture()
def consultation(app):
    return make_consultation()


@pytest.fixture()
def registered(consultation, admin_client):
    response = admin_client.post(f"{BASE}/new", data=letter(consultation))
    assert response.status_code == 302, response.get_data(as_text=True)
    return _stored("Brevskriver AS")


def test_the_form_speaks_to_the_secretariat_and_proposes_today(consultation, admin_client):
    page = admin_client.get(f"{BASE}/new").get_data(as_text=True)
    for wording in (
        "Registrer høringssvar mottatt per brev eller e-post",
        "Avsender",
        "Mottatt dato",
        "Avsenderens e-postadresse (valgfritt)",
        "Det avsenderen har sagt om publisering",
    ):
        assert wording in page, wording
    for respondents_words in ("Ditt svar", "svaret ditt", "E-postadressen din", "deg selv"):
        assert respondents_words not in page, respondents_words
    assert f'type="date" value="{oslo_day().isoformat()}"' in page


def test_a_letter_is_stored_with_the_day_it_came(registered):
    assert registered.source == Source.IMPORT
    assert registered.received_at == datetime(2025, 3, 2, 23, 0, tzinfo=UTC)  # midnight in Oslo
    assert registered.submitted_at > datetime.now(UTC) - timedelta(minutes=5)
    assert registered.response_date == registered.received_at
    assert registered.answers[0].text is not None and len(registered.answers) == 1


def test_the_list_shows_and_orders_by_the_day_received(
    consultation, registered, admin_client, client
):
    post_new(client, full_answer(consultation, idempotency_key="w" * 32))
    page = admin_client.get(BASE).get_data(as_text=True)
    assert '<th scope="col">Mottatt</th>' in page
    assert "3. mars 2025" in page
    # The letter of March comes before the web response sent today.
    assert page.index("Brevskriver AS") < page.index("Bergen kommune")
    detail = admin_client.get(f"{BASE}/{registered.id}").get_data(as_text=True)
    assert "Mottatt" in detail and "3. mars 2025" in detail and "Registrert" in detail


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        ((date.today() + timedelta(days=2)).isoformat(), "Datoen kan ikke være senere enn i dag."),
        ("", "Skriv datoen svaret kom inn."),
    ],
)
def test_the_day_received_is_required_and_not_in_the_future(
    consultation, admin_client, received_on, message
):
    response = admin_client.post(f"{BASE}/new", data=letter(consultation, received_on=received_on))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(Submission.id)) is None


def test_a_letter_needs_a_sender_and_some_answer_in_the_secretariats_words(
    consultation, admin_client
):
    ids = question_ids(consultation)
    response = admin_client.post(
        f"{BASE}/new", data=letter(consultation, respondent_name="", **{f"q{ids['3']}_text": ""})
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv hvem svaret er fra." in page
    assert "Skriv inn minst ett svar fra brevet." in page
    assert "Svaret ditt" not in page


def test_exports_date_a_letter_by_the_day_it_came(registered, admin_client):
    csv_text = admin_client.get(f"/admin/consultations/{SLUG}/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")), delimiter=";"))
    assert {row["submitted_at"] for row in rows} == {start_of_day(RECEIVED).isoformat()}
    exported = json.loads(admin_client.get(f"/admin/consultations/{SLUG}/export.json").data)
    assert [r["submitted_at"] for r in exported["respondents"]] == [
        start_of_day(RECEIVED).isoformat()
    ]
    workbook = load_workbook(
        io.BytesIO(admin_client.get(f"/admin/consultations/{SLUG}/export.xlsx").data)
    )
    long_sheet = workbook.worksheets[-1]
    header = [cell.value for cell in long_sheet[1]]
    dated = long_sheet.cell(row=2, column=header.index("submitted_at") + 1).value
    assert dated == datetime(2025, 3, 2, 23, 0)  # UTC, as the long format's importers read it


def test_the_correction_form_is_prefilled(registered, admin_client):
    page = admin_client.get(f"{BASE}/{registered.id}/edit").get_data(as_text=True)
    assert "Endre registrert svar" in page and 'value="Brevskriver AS"' in page
    assert 'value="2025-03-03"' in page and "Sunn mat i brevet." in page
    detail = admin_client.get(f"{BASE}/{registered.id}").get_data(as_text=True)
    assert f"{BASE}/{registered.id}/edit" in detail and ">Endre<" in detail


def test_a_correction_keeps_the_previous_version_and_is_audited(
    consultation, registered, admin_client
):
    ids = question_ids(consultation)
    corrected = letter(
        consultation,
        respondent_name="Brevskriver Norge AS",
        received_on="2025-03-04",
        **{f"q{ids['3']}_text": "Sunn og god mat."},
    )
    response = admin_client.post(f"{BASE}/{registered.id}/edit", data=corrected)
    assert response.status_code == 302
    stored = _stored("Brevskriver Norge AS")
    assert stored.received_at == start_of_day(date(2025, 3, 4))
    assert [answer.text for answer in stored.answers] == ["Sunn og god mat."]
    (version,) = stored.versions
    assert version.data["respondent_name"] == "Brevskriver AS"
    assert version.data["answers"][0]["text"] == "Sunn mat i brevet."
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "submission.correct")
    ).one()
    assert event.actor == "admin@example.no" and event.target_id == str(stored.id)
    assert event.details["fields"] == ["respondent_name", "received_at"]
    assert event.details["questions"] == ["3"] and event.details["version"] == 1
    assert "Sunn" not in json.dumps(event.details) and "Brevskriver" not in json.dumps(
        {k: v for k, v in event.details.items() if k != "reference"}
    )
    page = admin_client.get(f"{BASE}/{stored.id}").get_data(as_text=True)
    assert "Versjon 1, erstattet" in page
    assert "av admin@example.no (endret: Avsender, Mottatt dato, Spørsmål 3)" in page
    assert "Sunn mat i brevet." in page  # the previous text, in the version
    # The same form again changes nothing and keeps no empty version.
    again = admin_client.post(f"{BASE}/{stored.id}/edit", data=corrected, follow_redirects=True)
    assert "Ingenting er endret." in again.get_data(as_text=True)
    assert len(_stored("Brevskriver Norge AS").versions) == 1


def test_an_unchanged_day_keeps_a_registered_moment(consultation, registered, admin_client):
    """A response registered before the received date existed keeps its moment when only its
    text is corrected; its day is proposed from that moment."""
    registered.received_at = None
    db.session.commit()
    day = oslo_day(registered.submitted_at).isoformat()
    page = admin_client.get(f"{BASE}/{registered.id}/edit").get_data(as_text=True)
    assert f'value="{day}"' in page
    admin_client.post(
        f"{BASE}/{registered.id}/edit",
        data=letter(consultation, received_on=day, on_behalf_of="Tre foreninger"),
    )
    stored = _stored("Brevskriver AS")
    assert stored.received_at is None and stored.on_behalf_of == "Tre foreninger"


def test_web_responses_are_the_respondents_to_edit(
    consultation, client, admin_client, analyst_client
):
    post_new(client, full_answer(consultation, idempotency_key="w" * 32))
    web = _stored("Bergen kommune")
    assert admin_client.get(f"{BASE}/{web.id}/edit").status_code == 404
    assert (
        admin_client.post(f"{BASE}/{web.id}/edit", data=full_answer(consultation)).status_code
        == 404
    )
    assert ">Endre<" not in admin_client.get(f"{BASE}/{web.id}").get_data(as_text=True)
    assert analyst_client.get(f"{BASE}/{web.id}/edit").status_code == 403


def test_a_correction_after_publication_makes_the_edition_out_of_date(
    consultation, registered, admin_client
):
    publish_now(consultation)
    admin_client.post(
        f"{BASE}/{registered.id}/edit", data=letter(consultation, on_behalf_of="Tre foreninger")
    )
    current = publishing.current_publication(consultation)
    assert current.number == 1
    assert "Svar er rettet etter publiseringen." in publishing.out_of_date_reasons(
        consultation, current
    )


def test_a_correction_that_withdraws_consent_republishes_at_once(
    consultation, registered, admin_client, client
):
    publish_now(consultation)
    assert "Brevskriver AS" in client.get(f"/h/{SLUG}/oppsummering").get_data(as_text=True)
    admin_client.post(f"{BASE}/{registered.id}/edit", data=letter(consultation, consent="none"))
    numbers = db.session.scalars(select(Publication.number)).all()
    assert sorted(numbers) == [1, 2]
    assert "Brevskriver AS" not in client.get(f"/h/{SLUG}/oppsummering").get_data(as_text=True)
