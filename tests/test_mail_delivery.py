"""The outbox sends through a real SMTP server: accepted, refused (5xx), down, and in between.

Every test starts an aiosmtpd server in the test process (or picks a port where none listens)
and lets `hearing.services.outbox.deliver` talk to it over a real socket; time is passed in, so
back-off is checked without waiting.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from hearing.extensions import db
from hearing.models import MessageKind, MessageStatus, OutboxMessage, User
from hearing.models.types import utcnow
from hearing.services import outbox
from tests.mail_support import body_of, closed_port, mail_config, smtp_server
from tests.respond_support import full_answer, make_consultation


def _digest_for(app: Flask, admin: User) -> OutboxMessage:
    """A queued digest (its text needs one submitted response in the window)."""
    consultation = make_consultation()
    data = full_answer(consultation)
    response = app.test_client().post(f"/h/{consultation.slug}/svar", data=data)
    assert response.status_code == 302
    now = utcnow()
    message = outbox.enqueue(
        MessageKind.DIGEST,
        admin.email,
        language="nb",
        params={
            "user_id": admin.id,
            "since": (now - timedelta(days=1)).isoformat(),
            "until": (now + timedelta(minutes=1)).isoformat(),
            "base_url": "https://hoering.example.no/",
        },
    )
    db.session.commit()
    assert message is not None
    return message


def test_a_message_is_sent_through_the_server(app: Flask, admin: User) -> None:
    message = _digest_for(app, admin)
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        outcome = outbox.deliver(message.id)
    assert outcome is not None and outcome.status == MessageStatus.SENT
    db.session.refresh(message)
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert message.sent_at is not None and message.last_error == ""
    (received,) = server.messages
    assert received["To"] == admin.email
    assert received["From"] == "Høringsløsningen <hoering@example.no>"
    assert received["Subject"] == "Nye høringssvar siden sist: 1"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["Content-Language"] == "nb"
    body = body_of(received)
    assert "Gratis skolemat: 1 nytt svar" in body
    assert "https://hoering.example.no/admin/consultations/skolemat/submissions" in body
    assert server.envelopes[0].rcpt_tos == [admin.email]


def test_a_refusing_server_fails_the_message_at_once(app: Flask, admin: User) -> None:
    """A 5xx reply is final: no retry, the status says failed, with the server's words."""
    message = _digest_for(app, admin)
    with smtp_server(replies=["550 5.1.1 Mailbox unavailable"]) as (server, port):
        app.config.update(mail_config(port))
        outcome = outbox.deliver(message.id)
        assert outbox.deliver(message.id) is None  # nothing left to try
    assert outcome is not None and outcome.status == MessageStatus.FAILED
    assert outcome.retry_in is None
    db.session.refresh(message)
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    assert "550" in message.last_error and "Mailbox unavailable" in message.last_error
    assert server.messages == []


def test_a_server_that_is_down_is_retried_with_back_off_until_the_last_attempt(
    app: Flask, admin: User
) -> None:
    message = _digest_for(app, admin)
    app.config.update(mail_config(closed_port(), MAIL_MAX_ATTEMPTS=4, MAIL_RETRY_SECONDS=60))
    message.max_attempts = 4
    db.session.commit()
    now = utcnow()
    waits = []
    for attempt in range(1, 5):
        assert outbox.deliver(message.id, now - timedelta(seconds=1)) is None  # not due yet
        outcome = outbox.deliver(message.id, now)
        assert outcome is not None
        db.session.refresh(message)
        assert message.attempts == attempt
        assert "ConnectionRefusedError" in message.last_error
        if attempt < 4:
            assert outcome.status == MessageStatus.QUEUED == message.status
            assert outcome.retry_in is not None
            waits.append(outcome.retry_in)
            assert message.next_attempt_at == now + outcome.retry_in
            now = message.next_attempt_at
        else:
            assert outcome.status == MessageStatus.FAILED == message.status
            assert outcome.retry_in is None
    assert waits == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]


def test_a_temporary_refusal_is_retried_and_then_sent(app: Flask, admin: User) -> None:
    message = _digest_for(app, admin)
    with smtp_server(replies=["451 4.3.0 Try again later"]) as (server, port):
        app.config.update(mail_config(port))
        first = outbox.deliver(message.id)
        assert first is not None and first.status == MessageStatus.QUEUED
        db.session.refresh(message)
        assert "451" in message.last_error
        second = outbox.deliver(message.id, message.next_attempt_at)
    assert second is not None and second.status == MessageStatus.SENT
    db.session.refresh(message)
    assert message.attempts == 2 and message.last_error == ""
    assert len(server.messages) == 1


def test_without_a_server_messages_stay_queued(app: Flask, admin: User) -> None:
    message = _digest_for(app, admin)
    assert app.config["MAIL_SERVER"] is None
    assert outbox.deliver(message.id) is None
    assert outbox.deliver_due() == {}
    db.session.refresh(message)
    assert message.status == MessageStatus.QUEUED and message.attempts == 0


def test_a_claim_left_by_a_dead_worker_is_taken_over(app: Flask, admin: User) -> None:
    message = _digest_for(app, admin)
    message.status = MessageStatus.SENDING
    message.claimed_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        assert outbox.deliver(message.id) is None  # another worker may still be sending it
        outcome = outbox.deliver(message.id, utcnow() + outbox.STALE_CLAIM)
    assert outcome is not None and outcome.status == MessageStatus.SENT
    assert len(server.messages) == 1


def test_send_mail_command_sends_what_is_due_and_purges_old_messages(
    app: Flask, admin: User
) -> None:
    message = _digest_for(app, admin)
    old = outbox.enqueue(MessageKind.DIGEST, admin.email, language="nb", params={})
    assert old is not None
    old.status = MessageStatus.SENT
    old.created_at = utcnow() - timedelta(days=31)
    db.session.commit()
    old_id = old.id
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output and "Slettet 1" in result.output
    assert db.session.get(OutboxMessage, old_id) is None
    db.session.refresh(message)
    assert message.status == MessageStatus.SENT
    assert len(server.messages) == 1


def test_the_task_queue_delivers_a_dispatched_message(app: Flask, admin: User) -> None:
    """Through Dramatiq (the embedded broker): dispatch → deliver_mail actor → SMTP."""
    from hearing import tasks

    message = _digest_for(app, admin)
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        outbox.dispatch([message.id])
        tasks.task_queue().join()
        tasks.task_queue().stop()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == MessageStatus.SENT
    assert len(server.messages) == 1


@pytest.mark.parametrize("subject", ["Linje én\nBcc: x@example.com", "Tittel\r\nTo: y@z"])
def test_a_title_with_line_breaks_cannot_add_headers(subject: str) -> None:
    from hearing.services.mail import SmtpSettings, build_message

    settings = SmtpSettings("h", 25, False, None, None, "a@example.no", 5)
    built = build_message(settings, "b@example.no", subject, "Tekst", "nb")
    assert "\n" not in built["Subject"] and built["Bcc"] is None
    assert built["To"] == "b@example.no"
