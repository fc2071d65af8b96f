"""The secretariat's mail: notices of new responses (each, or a daily digest, as each user
chooses), and the admin page of the outbox."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import (
    AuditEvent,
    MailPreference,
    MessageKind,
    MessageStatus,
    NoticeChoice,
    OutboxMessage,
    User,
)
from hearing.models.types import utcnow
from hearing.services import outbox
from hearing.services.response_mail import queue_digests
from tests.mail_support import body_of, closed_port, mail_config, smtp_server
from tests.respond_support import SLUG, full_answer, make_consultation, token_from


def _messages(kind: MessageKind) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


def _choose(client: FlaskClient, choice: str, language: str = "nb") -> None:
    response = client.post(
        "/admin/mail-settings", data={"new_responses": choice, "language": language}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_each_user_chooses_on_the_settings_page(
    app: Flask, admin_client: FlaskClient, analyst_client: FlaskClient, analyst: User
) -> None:
    page = analyst_client.get("/admin/mail-settings").get_data(as_text=True)
    assert "analyst@example.no" in page
    assert 'value="daily" checked' in page  # the default, before any choice
    _choose(analyst_client, "each", "en")
    stored = db.session.get(MailPreference, analyst.id)
    assert (stored.new_responses, stored.language) == ("each", "en")
    assert 'value="each" checked' in analyst_client.get("/admin/mail-settings").get_data(
        as_text=True
    )
    refused = analyst_client.post(
        "/admin/mail-settings", data={"new_responses": "hourly", "language": "nb"}
    )
    assert refused.status_code == 200 and db.session.get(MailPreference, analyst.id).new_responses
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.preference"))


def test_a_notice_for_each_new_response_not_for_an_edit(
    app: Flask, client: FlaskClient, admin_client: FlaskClient, analyst_client: FlaskClient
) -> None:
    _choose(admin_client, "each")
    _choose(analyst_client, "none")
    consultation = make_consultation()
    response = client.post(f"/h/{SLUG}/svar", data=full_answer(consultation))
    token = token_from(response.headers["Location"])
    (notice,) = _messages(MessageKind.NEW_RESPONSE)
    assert notice.to_address == "admin@example.no" and not notice.is_private
    edited = full_answer(consultation, respondent_name="Bergen")
    edited.pop("idempotency_key")
    assert client.post(f"/h/{SLUG}/svar/{token}", data=edited).status_code == 302
    assert len(_messages(MessageKind.NEW_RESPONSE)) == 1
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        assert outbox.deliver_due() == {"sent": 1}
    (received,) = server.messages
    assert received["Subject"] == "Nytt høringssvar: Gratis skolemat"
    body = body_of(received)
    assert "Forvaltning (Offentlig)" in body
    assert f"http://localhost/admin/consultations/{SLUG}/submissions/" in body
    assert "Skolene i Åsane." not in body  # answers stay in the tool


def test_a_daily_digest_once_a_day_for_those_who_want_it(
    app: Flask, client: FlaskClient, admin: User, analyst: User
) -> None:
    db.session.add(MailPreference(user_id=analyst.id, new_responses=NoticeChoice.NONE))
    db.session.commit()
    consultation = make_consultation()
    for key in ("a" * 32, "b" * 32):
        client.post(f"/h/{SLUG}/svar", data=full_answer(consultation, idempotency_key=key))
    now = utcnow()
    assert len(queue_digests(now)) == 1  # the admin, by default; not the analyst
    db.session.commit()
    client.post(f"/h/{SLUG}/svar", data=full_answer(consultation, idempotency_key="c" * 32))
    assert queue_digests(now + timedelta(minutes=5)) == []  # one a day
    db.session.commit()
    (digest,) = _messages(MessageKind.DIGEST)
    assert digest.to_address == admin.email
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        outbox.deliver_due()
    assert "Gratis skolemat: 2 nye svar" in body_of(server.messages[0])
    tomorrow = now + timedelta(days=1)
    assert len(queue_digests(tomorrow)) == 1  # counts from where the last one ended
    db.session.commit()
    assert _messages(MessageKind.DIGEST)[-1].params["since"] == now.isoformat()


def test_send_digests_is_a_command_that_can_run_often(
    app: Flask, client: FlaskClient, admin: User
) -> None:
    consultation = make_consultation()
    client.post(f"/h/{SLUG}/svar", data=full_answer(consultation))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-digests"])
    assert first.exit_code == 0 and "1 daglige oversikter" in first.output
    assert "MAIL_SERVER" in first.output  # nothing sent without a server
    again = runner.invoke(args=["send-digests"])
    assert "0 daglige oversikter" in again.output
    assert len(_messages(MessageKind.DIGEST)) == 1


def test_the_outbox_page_shows_statuses_and_resends(
    app: Flask, client: FlaskClient, admin_client: FlaskClient, analyst_client: FlaskClient
) -> None:
    consultation = make_consultation()
    client.post(f"/h/{SLUG}/svar", data=full_answer(consultation, send_receipt="y"))
    page = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert "Ingen e-posttjener er satt opp" in page
    assert "post@bergen.kommune.no" in page and "I kø" in page
    app.config.update(mail_config(closed_port(), MAIL_MAX_ATTEMPTS=1))
    (receipt,) = _messages(MessageKind.RECEIPT)
    receipt.max_attempts = 1
    db.session.commit()
    assert outbox.deliver(receipt.id).status == MessageStatus.FAILED
    failed = admin_client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "Feilet" in failed and "ConnectionRefusedError" in failed
    assert "Kvittering for høringssvaret ditt" not in failed  # private: no text shown
    assert analyst_client.get("/admin/outbox").status_code == 403
    app.config["MAIL_SERVER"] = None  # resent but kept here, so its status can be read
    response = admin_client.post(f"/admin/outbox/{receipt.id}/resend")
    assert response.status_code == 302
    db.session.refresh(receipt)
    assert receipt.status == MessageStatus.QUEUED and receipt.attempts == 0
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        from hearing import tasks

        outbox.dispatch([receipt.id])
        tasks.task_queue().join()
        tasks.task_queue().stop()
        db.session.refresh(receipt)
    assert receipt.status == MessageStatus.SENT and len(server.messages) == 1
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.resend"))
    assert admin_client.post("/admin/outbox/999999/resend").status_code == 404
