"""The respondent's mail: a receipt on request, and "send me my link again" that never tells
whether an address is known. Messages go through a real SMTP server started in the test."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from hearing.extensions import db
from hearing.models import (
    MessageKind,
    MessageStatus,
    OutboxMessage,
    PrivateLink,
    Submission,
)
from hearing.services import outbox
from hearing.services.privacy import erase_respondent
from tests.conftest import make_app
from tests.mail_support import body_of, mail_config, smtp_server
from tests.respond_support import SLUG, full_answer, make_consultation, token_from

ADDRESS = "post@bergen.kommune.no"


def _messages(kind: MessageKind | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def _submit(client: FlaskClient, consultation: Any, url: str = "", **overrides: str) -> str:
    data = full_answer(consultation, **overrides)
    response = client.post(url or f"/h/{SLUG}/svar", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return token_from(response.headers["Location"])


def _link_in(body: str) -> str:
    match = re.search(r"https?://\S+/svar/[A-Za-z0-9_-]+", body)
    assert match, body
    return match.group(0)


def test_the_form_offers_a_receipt_beside_the_address(app: Flask, client: FlaskClient) -> None:
    make_consultation()
    page = client.get(f"/h/{SLUG}/svar").get_data(as_text=True)
    assert 'name="send_receipt"' in page
    assert 'data-shown-with="email"' in page
    assert "receipt_choice.js" in page


def test_a_ticked_box_sends_the_answers_and_the_private_link(
    app: Flask, client: FlaskClient
) -> None:
    consultation = make_consultation()
    token = _submit(client, consultation, send_receipt="y")
    (message,) = _messages()
    assert message.kind == MessageKind.RECEIPT and message.to_address == ADDRESS
    assert message.language == "nb" and message.is_private
    assert token not in repr(message.params)  # the link is written when the mail is sent
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        assert outbox.deliver_due() == {"sent": 1}
    (received,) = server.messages
    assert received["Subject"] == "Kvittering for høringssvaret ditt: Gratis skolemat"
    body = body_of(received)
    submission = db.session.scalar(select(Submission))
    assert submission.reference in body
    for expected in ("1 Er du enig i beskrivelsen?\n  Delvis enig", "Skolene i Åsane.", "Frist: "):
        assert expected in body
    assert "  Målene er uklare.\n  Andre linje." in body
    link = _link_in(body)
    assert link == f"http://localhost/h/{SLUG}/svar/{token}"
    opened = client.get(link.removeprefix("http://localhost"))
    assert opened.status_code == 200 and "Skolene i Åsane." in opened.get_data(as_text=True)


def test_the_receipt_is_in_the_language_of_the_page(app: Flask, client: FlaskClient) -> None:
    consultation = make_consultation()
    _submit(client, consultation, url=f"/h/{SLUG}/svar?lang=en", send_receipt="y")
    (message,) = _messages()
    assert message.language == "en"
    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        outbox.deliver_due()
    (received,) = server.messages
    assert received["Subject"] == "Receipt for your consultation response: Gratis skolemat"
    assert "Reference number" in body_of(received)
    assert received["Content-Language"] == "en"


def test_no_box_no_receipt_and_a_draft_sends_nothing(app: Flask, client: FlaskClient) -> None:
    consultation = make_consultation()
    _submit(client, consultation)
    draft = full_answer(consultation, idempotency_key="d" * 32, action="draft", send_receipt="y")
    assert client.post(f"/h/{SLUG}/svar", data=draft).status_code == 302
    assert _messages() == []


def test_an_edit_with_the_box_sends_a_new_receipt(app: Flask, client: FlaskClient) -> None:
    consultation = make_consultation()
    token = _submit(client, consultation)
    edited = full_answer(consultation, send_receipt="y", **{"respondent_name": "Bergen"})
    edited.pop("idempotency_key")
    response = client.post(f"/h/{SLUG}/svar/{token}", data=edited)
    assert response.status_code == 302
    assert [m.kind for m in _messages()] == [MessageKind.RECEIPT]


def test_the_link_is_stored_sealed_never_in_clear(app: Flask, client: FlaskClient) -> None:
    consultation = make_consultation()
    token = _submit(client, consultation)
    (stored,) = db.session.scalars(select(PrivateLink))
    assert token not in stored.sealed
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(table.select()).all()
        assert token not in repr(rows), table.name
    app.config["SECRET_KEY"] = "another-secret"  # a copied database without the secret
    from hearing.services.private_links import token_of

    assert token_of(db.session.scalar(select(Submission))) is None


def _ask_for_links(client: FlaskClient, address: str) -> tuple[int, str]:
    response = client.post(f"/h/{SLUG}/lenke", data={"email": address}, follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


def test_links_go_to_a_known_address_and_an_unknown_one_gets_nothing(
    app: Flask, client: FlaskClient
) -> None:
    consultation = make_consultation()
    submitted = _submit(client, consultation)
    draft = full_answer(consultation, idempotency_key="d" * 32, action="draft")
    draft_token = token_from(client.post(f"/h/{SLUG}/svar", data=draft).headers["Location"])
    other = full_answer(consultation, idempotency_key="o" * 32, email="annen@example.no")
    other_token = token_from(client.post(f"/h/{SLUG}/svar", data=other).headers["Location"])

    known = _ask_for_links(app.test_client(), " Post@Bergen.Kommune.no ")
    unknown = _ask_for_links(app.test_client(), "ukjent@example.no")
    assert known == unknown
    assert known[0] == 200 and "sender vi lenkene" in known[1]
    assert [m.kind for m in _messages()] == [MessageKind.LINKS, MessageKind.LINKS]

    with smtp_server() as (server, port):
        app.config.update(mail_config(port))
        assert outbox.deliver_due() == {"sent": 1, "skipped": 1}
    (received,) = server.messages
    assert received["To"] == ADDRESS
    body = body_of(received)
    assert f"/h/{SLUG}/svar/{submitted}" in body and f"/h/{SLUG}/svar/{draft_token}" in body
    assert other_token not in body
    assert "Utkast, ikke sendt inn" in body and "Sendt inn" in body
    unknown_message = _messages()[1]
    assert unknown_message.status == MessageStatus.SKIPPED


def test_asking_does_the_same_database_work_for_known_and_unknown_addresses(
    app: Flask, client: FlaskClient
) -> None:
    """The request's own work cannot depend on the address: the statements it runs are the
    same (whether anything is found is decided later, by the worker)."""
    consultation = make_consultation()
    _submit(client, consultation)

    def statements_of(address: str) -> list[str]:
        seen: list[str] = []

        def remember(conn, cursor, statement, parameters, context, executemany) -> None:
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            response = app.test_client().post(f"/h/{SLUG}/lenke", data={"email": address})
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
        assert response.status_code == 302
        return seen

    assert statements_of(ADDRESS) == statements_of("ukjent@example.no")


def test_a_bad_address_is_refused_and_nothing_is_queued(app: Flask, client: FlaskClient) -> None:
    make_consultation()
    response = client.post(f"/h/{SLUG}/lenke", data={"email": "ikke en adresse"})
    assert response.status_code == 422
    assert "gyldig e-postadresse" in response.get_data(as_text=True)
    assert _messages() == []
    assert client.get(f"/h/{SLUG}/lenke").status_code == 200
    assert client.get("/h/finnes-ikke/lenke").status_code == 404


def test_asking_is_rate_limited_per_address_known_or_not(migrated: str) -> None:
    limited = make_app(migrated, RATELIMIT_ENABLED=True, RATELIMIT_MAIL_LINKS_ADDRESS="2 per hour")
    with limited.app_context():
        from hearing.extensions import limiter

        limiter.reset()
        consultation = make_consultation()
        _submit(limited.test_client(), consultation)
        for address in (ADDRESS, "ukjent@example.no"):
            statuses = [
                limited.test_client().post(f"/h/{SLUG}/lenke", data={"email": address}).status_code
                for _ in range(3)
            ]
            assert statuses == [302, 302, 429], address
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_erasing_a_respondent_erases_their_mail_and_sealed_link(
    app: Flask, client: FlaskClient
) -> None:
    consultation = make_consultation()
    _submit(client, consultation, send_receipt="y")
    submission = db.session.scalar(select(Submission))
    erase_respondent(submission, actor="test")
    db.session.commit()
    assert _messages() == []
    assert db.session.scalars(select(PrivateLink)).all() == []
