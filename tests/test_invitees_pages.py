"""The høringsliste in use: the admin page (upload, by hand, matching), invitations and
reminders through a real SMTP server, the response form's organisation number, and the public
summary's list of invited bodies that have not answered."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import (
    Invitee,
    MessageKind,
    OutboxMessage,
    Status,
    SubmissionOrgNumber,
)
from hearing.models.types import utcnow
from hearing.services import invitees
from tests.mail_support import body_of, mail_config, smtp_server
from tests.publish_support import publish_now
from tests.respond_support import SLUG, full_answer, make_consultation, token_from

PAGE = f"/admin/consultations/{SLUG}/invitees"
LIST = (
    "Navn;Organisasjonsnummer;E-post;Kategori\n"
    "Barneombudet;974 760 673;post@barneombudet.no;Etat\n"
    "Bergen kommune;;post@bergen.kommune.no;Kommune\n"
    "Oslo kommune;;postmottak@oslo.kommune.no;Kommune\n"
    "Kari Nordmann;;kari@example.no;Privatperson\n"
)


def _upload(client: FlaskClient, text: str, **extra: str):
    from io import BytesIO

    data = {"file": (BytesIO(text.encode("utf-8")), "liste.csv"), **extra}
    return client.post(f"{PAGE}/upload", data=data, content_type="multipart/form-data")


def _listed() -> dict[str, Invitee]:
    return {i.name: i for i in db.session.scalars(select(Invitee))}


def _messages(kind: MessageKind) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


def test_upload_a_list_and_see_it(
    app: Flask, admin_client: FlaskClient, analyst_client: FlaskClient
) -> None:
    make_consultation()
    response = _upload(admin_client, LIST)
    assert response.status_code == 302
    assert set(_listed()) == {"Barneombudet", "Bergen kommune", "Oslo kommune", "Kari Nordmann"}
    page = analyst_client.get(PAGE).get_data(as_text=True)
    assert "4 invitert: 0 har svart, 0 må bekreftes, 4 har ikke svart." in page
    assert "974760673" in page and "(privatperson)" in page
    assert "Send invitasjoner" not in page  # analysts read; admins change
    assert "Send invitasjoner" in admin_client.get(PAGE).get_data(as_text=True)


def test_a_file_with_bad_rows_imports_nothing_unless_asked(
    app: Flask, admin_client: FlaskClient
) -> None:
    make_consultation()
    bad = LIST + "Feil;974760672;;\n"
    refused = _upload(admin_client, bad)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Rad 6: «974760672» er ikke et gyldig organisasjonsnummer" in page
    assert _listed() == {}
    assert _upload(admin_client, bad, skip_invalid="y").status_code == 302
    assert len(_listed()) == 4
    no_names = _upload(admin_client, "orgnr\n974760673\n")
    assert no_names.status_code == 422
    assert "mangler kolonnen med navn" in no_names.get_data(as_text=True)


def test_add_by_hand_checks_the_org_number(app: Flask, admin_client: FlaskClient) -> None:
    make_consultation()
    bad = admin_client.post(f"{PAGE}/new", data={"name": "Feil", "org_number": "123456789"})
    assert bad.status_code == 422
    assert "Organisasjonsnummeret er ikke gyldig" in bad.get_data(as_text=True)
    good = {"name": "Barneombudet", "org_number": "974760673", "email": "post@barneombudet.no"}
    assert admin_client.post(f"{PAGE}/new", data=good).status_code == 302
    again = admin_client.post(f"{PAGE}/new", data={**good, "name": "BO"})
    assert "står allerede på listen" in again.get_data(as_text=True)
    person = {"name": "Ola Nordmann", "private_person": "y"}
    assert admin_client.post(f"{PAGE}/new", data=person).status_code == 302
    assert _listed()["Ola Nordmann"].private_person


def test_matching_on_the_page(app: Flask, client: FlaskClient, admin_client: FlaskClient) -> None:
    consultation = make_consultation()
    _upload(admin_client, LIST)
    client.post(f"/h/{SLUG}/svar", data=full_answer(consultation))  # "Bergen kommune"
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "0 har svart, 1 må bekreftes" in page
    bergen = _listed()["Bergen kommune"]
    (status,) = [s for s in invitees.statuses(consultation) if s.invitee.id == bergen.id]
    confirm = {"action": "confirm", "submission_id": str(status.respondent.submission_id)}
    url = f"{PAGE}/{bergen.id}/match"
    assert admin_client.post(url, data=confirm).status_code == 302
    assert "1 har svart, 0 må bekreftes" in admin_client.get(PAGE).get_data(as_text=True)
    assert admin_client.post(url, data={"action": "unlink"}).status_code == 302
    oslo = _listed()["Oslo kommune"]
    wrong = {"action": "link", "reference": "H-FINNE-SIKKE"}
    admin_client.post(f"{PAGE}/{oslo.id}/match", data=wrong)
    assert "Fant ikke et innsendt svar" in admin_client.get(PAGE).get_data(as_text=True)
    link = {"action": "link", "reference": status.respondent.reference.lower()}
    assert admin_client.post(f"{PAGE}/{oslo.id}/match", data=link).status_code == 302
    db.session.refresh(oslo)
    assert (oslo.match_status, oslo.match_method) == ("confirmed", "manual")
    assert admin_client.post(url, data={"action": "explode"}).status_code == 400


def test_invitations_carry_the_consultation_link_and_go_once(
    app: Flask, admin_client: FlaskClient
) -> None:
    make_consultation()
    _upload(admin_client, LIST)
    assert admin_client.post(f"{PAGE}/invite").status_code == 302
    sent = _messages(MessageKind.INVITATION)
    assert len(sent) == 4 and all(m.to_address for m in sent)
    assert admin_client.post(f"{PAGE}/invite").status_code == 302
    assert len(_messages(MessageKind.INVITATION)) == 4  # each body once
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        app.test_cli_runner().invoke(args=["send-mail"])
    by_address = {m["To"]: m for m in server.messages}
    message = by_address["post@barneombudet.no"]
    assert message["Subject"] == "Invitasjon til å svare på høring: Gratis skolemat"
    body = body_of(message)
    assert "Barneombudet er invitert til å svare på høringen «Gratis skolemat»." in body
    assert f"http://localhost/h/{SLUG}\n" in body and "Frist: " in body


def test_no_invitations_before_the_consultation_is_released(
    app: Flask, admin_client: FlaskClient
) -> None:
    consultation = make_consultation()
    consultation.status = Status.DRAFT
    db.session.commit()
    _upload(admin_client, LIST)
    response = admin_client.post(f"{PAGE}/invite", follow_redirects=True)
    assert "når høringen er åpnet eller planlagt" in response.get_data(as_text=True)
    assert _messages(MessageKind.INVITATION) == []


def test_reminders_go_once_to_those_who_have_not_answered(
    app: Flask, client: FlaskClient, admin_client: FlaskClient
) -> None:
    consultation = make_consultation(closes_in=timedelta(days=2))
    _upload(admin_client, LIST)
    settings = {"reminder_days_before": "3", "list_not_answered": ""}
    assert admin_client.post(f"{PAGE}/settings", data=settings).status_code == 302
    client.post(
        f"/h/{SLUG}/svar",
        data=full_answer(consultation, respondent_name="BO", org_number="974760673"),
    )
    client.post(
        f"/h/{SLUG}/svar",
        data=full_answer(consultation, idempotency_key="o" * 32, respondent_name="Oslo kommune"),
    )
    runner = app.test_cli_runner()
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        first = runner.invoke(args=["send-reminders"])
        again = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0, first.output
    assert "2 påminnelser" in first.output and "0 påminnelser" in again.output
    # Barneombudet answered (org number), Oslo probably did (to confirm): not reminded.
    assert sorted(m["To"] for m in server.messages) == ["kari@example.no", "post@bergen.kommune.no"]
    message = next(m for m in server.messages if m["To"] == "post@bergen.kommune.no")
    assert message["Subject"] == "Påminnelse om høring: Gratis skolemat"
    assert "Vi har ikke fått svar fra Bergen kommune ennå." in body_of(message)


def test_no_reminder_before_its_day(app: Flask, admin_client: FlaskClient) -> None:
    consultation = make_consultation(closes_in=timedelta(days=10))
    _upload(admin_client, LIST)
    invitees.settings_of(consultation).reminder_days_before = 3
    db.session.commit()
    assert invitees.queue_reminders(utcnow(), "http://localhost/") == []
    assert len(invitees.queue_reminders(utcnow() + timedelta(days=7, hours=1), "x")) == 4


def test_the_response_form_takes_an_org_number(app: Flask, client: FlaskClient) -> None:
    consultation = make_consultation()
    page = client.get(f"/h/{SLUG}/svar").get_data(as_text=True)
    assert 'name="org_number"' in page
    bad = client.post(f"/h/{SLUG}/svar", data=full_answer(consultation, org_number="974760672"))
    assert bad.status_code == 422
    assert "Organisasjonsnummeret er ikke gyldig" in bad.get_data(as_text=True)
    good = client.post(
        f"/h/{SLUG}/svar", data=full_answer(consultation, org_number="NO 974 760 673 MVA")
    )
    token = token_from(good.headers["Location"])
    assert db.session.scalar(select(SubmissionOrgNumber.org_number)) == "974760673"
    assert 'value="974760673"' in client.get(f"/h/{SLUG}/svar/{token}").get_data(as_text=True)
    cleared = full_answer(consultation, org_number="")
    cleared.pop("idempotency_key")
    assert client.post(f"/h/{SLUG}/svar/{token}", data=cleared).status_code == 302
    assert db.session.scalar(select(SubmissionOrgNumber)) is None


def test_the_published_summary_lists_silent_organisations_when_chosen(
    app: Flask, client: FlaskClient, admin_client: FlaskClient
) -> None:
    consultation = make_consultation()
    _upload(admin_client, LIST)
    client.post(f"/h/{SLUG}/svar", data=full_answer(consultation, org_number="974760673"))
    publish_now(consultation)
    heading = "Disse ble invitert, men har ikke svart"
    public = app.test_client()
    assert heading not in public.get(f"/h/{SLUG}/oppsummering").get_data(as_text=True)
    settings = {"reminder_days_before": "", "list_not_answered": "y"}
    assert admin_client.post(f"{PAGE}/settings", data=settings).status_code == 302
    # The published edition is frozen: the list shows once the secretariat republishes.
    assert heading not in public.get(f"/h/{SLUG}/oppsummering").get_data(as_text=True)
    publication_page = admin_client.get(f"/admin/consultations/{SLUG}/publication")
    assert "Listen over inviterte som ikke har svart, er endret." in publication_page.get_data(
        as_text=True
    )
    publish_now(consultation)
    page = public.get(f"/h/{SLUG}/oppsummering").get_data(as_text=True)
    listed = page[page.index(heading) :]
    assert "Oslo kommune" in listed
    assert "Barneombudet" not in listed  # answered (org number)
    assert "Bergen kommune" not in listed  # the response named Bergen kommune: to confirm
    assert "Kari Nordmann" not in page  # a private person is never listed
    english = public.get(f"/h/{SLUG}/oppsummering?lang=en").get_data(as_text=True)
    assert "These were invited but have not responded" in english
