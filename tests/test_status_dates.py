"""Status follows the dates: a released consultation opens at its opening time and closes at its
deadline with nobody clicking, and every page, list and guard says the same status.

Time passing is played by moving the consultation's dates past "now": the status is a function
of the two, so that is the same as waiting.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, Status
from hearing.models.types import utcnow
from hearing.services.consultations import ChangeRefused, change_status, settle_statuses
from hearing.services.publication import publish
from hearing.services.synthesis_runs import run_inline, run_parameters
from tests.respond_support import SLUG, full_answer, make_consultation, post_new, token_from

NOW = utcnow()
HOUR = timedelta(hours=1)


def _consultation(status: Status, opens_at=None, closes_at=None) -> Consultation:
    return Consultation(slug="x", title="X", status=status, opens_at=opens_at, closes_at=closes_at)


@pytest.mark.parametrize(
    ("stored", "opens", "closes", "seen"),
    [
        (Status.DRAFT, -HOUR, HOUR, Status.DRAFT),  # a draft never opens by itself
        (Status.OPEN, HOUR, 2 * HOUR, Status.SCHEDULED),
        (Status.OPEN, -HOUR, HOUR, Status.OPEN),
        (Status.OPEN, None, None, Status.OPEN),
        (Status.OPEN, -2 * HOUR, -HOUR, Status.CLOSED),
        (Status.OPEN, -HOUR, timedelta(0), Status.CLOSED),  # the deadline is an instant
        (Status.CLOSED, -HOUR, HOUR, Status.CLOSED),  # closed early stays closed
        (Status.PUBLISHED, -2 * HOUR, -HOUR, Status.PUBLISHED),
    ],
)
def test_the_status_people_see_applies_the_dates(stored, opens, closes, seen):
    consultation = _consultation(
        stored,
        NOW + opens if opens is not None else None,
        NOW + closes if closes is not None else None,
    )
    assert consultation.status_at(NOW) == seen
    assert consultation.is_accepting_responses(NOW) == (seen == Status.OPEN)


def _labels(client, admin_client) -> tuple[str, str, str]:
    admin_list = admin_client.get("/admin/").get_data(as_text=True)
    public_list = client.get("/").get_data(as_text=True)
    page = client.get(f"/h/{SLUG}").get_data(as_text=True)
    return admin_list, public_list, page


def _move_dates(consultation: Consultation, *, opens=None, closes=None) -> None:
    if opens is not None:
        consultation.opens_at = utcnow() + opens
    if closes is not None:
        consultation.closes_at = utcnow() + closes
    db.session.commit()


def test_a_scheduled_consultation_opens_and_closes_by_itself(app, client, admin_client):
    consultation = make_consultation()
    consultation.status = Status.DRAFT
    _move_dates(consultation, opens=timedelta(days=1), closes=timedelta(days=8))
    page = admin_client.get(f"/admin/consultations/{SLUG}").get_data(as_text=True)
    assert "Planlegg åpningen" in page and "Åpne høringen nå" not in page
    admin_client.post(f"/admin/consultations/{SLUG}/status", data={"status": "open"})

    admin_list, public_list, page = _labels(client, admin_client)
    for html in (admin_list, public_list, page):
        assert ">Planlagt<" in html
    assert "Høringen åpner for svar" in page
    assert client.get(f"/h/{SLUG}/svar").status_code == 302  # not yet
    refused = post_new(client, full_answer(consultation))
    assert refused.status_code == 403
    assert "ikke åpnet for svar ennå" in refused.get_data(as_text=True)

    _move_dates(consultation, opens=-HOUR)  # the opening time passes; nobody clicks
    admin_list, public_list, page = _labels(client, admin_client)
    for html in (admin_list, public_list, page):
        assert ">Åpen<" in html
    assert f'href="/h/{SLUG}/svar"' in public_list
    assert client.get(f"/h/{SLUG}/svar").status_code == 200

    _move_dates(consultation, closes=-HOUR)  # the deadline passes
    admin_list, public_list, page = _labels(client, admin_client)
    for html in (admin_list, public_list, page):
        assert ">Lukket<" in html
    assert "tar ikke imot flere svar" in page
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).status == Status.CLOSED  # stored too
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "consultation.deadline")
    )
    assert event is not None and event.actor == "system"


def test_scheduled_in_english(app, client):
    consultation = make_consultation()
    _move_dates(consultation, opens=timedelta(days=1))
    assert ">Scheduled<" in client.get("/?lang=en").get_data(as_text=True)


def test_settling_is_idempotent_and_lets_the_deadline_close_for_publishing(app):
    consultation = make_consultation()  # no answers needed: publishing checks the status first
    consultation.closes_at = utcnow() - HOUR
    db.session.commit()
    assert consultation.status == Status.OPEN  # nothing has read it since the deadline
    assert settle_statuses(utcnow()) == 1
    assert settle_statuses(utcnow()) == 0
    db.session.commit()
    assert consultation.status == Status.CLOSED
    run_inline(consultation, run_parameters(), scope="public")
    publish(consultation, actor="test")  # "Bare en lukket høring kan publiseres" is not raised
    assert consultation.status == Status.PUBLISHED


def test_reopening_needs_a_deadline_ahead(app):
    consultation = make_consultation()
    consultation.closes_at = utcnow() - HOUR
    consultation.status = Status.CLOSED
    db.session.commit()
    with pytest.raises(ChangeRefused, match="Fristen er passert"):
        change_status(consultation, Status.OPEN)
    consultation.closes_at = utcnow() + HOUR
    change_status(consultation, Status.OPEN)
    assert consultation.status_at(utcnow()) == Status.OPEN


def test_only_a_scheduled_consultation_goes_back_to_draft(app):
    consultation = make_consultation()
    with pytest.raises(ChangeRefused):
        change_status(consultation, Status.DRAFT)  # open, with answers possible
    consultation.opens_at = utcnow() + HOUR
    change_status(consultation, Status.DRAFT)
    assert consultation.status == Status.DRAFT
    with pytest.raises(ChangeRefused):
        change_status(consultation, Status.SCHEDULED)  # never stored


def _answered_then_closed_early(client) -> tuple[Consultation, str]:
    consultation = make_consultation()
    token = token_from(post_new(client, full_answer(consultation)).headers["Location"])
    change_status(consultation, Status.CLOSED)
    db.session.commit()
    return consultation, token


def test_closed_early_the_link_says_closed_not_deadline(app, client):
    consultation, token = _answered_then_closed_early(client)
    page = client.get(f"/h/{SLUG}/svar/{token}").get_data(as_text=True)
    assert "Høringen er lukket. Svaret kan ikke lenger endres" in page
    assert "Fristen" not in page.replace("Frist</", "")
    edit = client.post(f"/h/{SLUG}/svar/{token}", data=full_answer(consultation))
    assert edit.status_code == 403
    assert "Høringen er lukket, så svaret kan ikke sendes inn" in edit.get_data(as_text=True)
    assert "Fristen for å svare er ute" not in edit.get_data(as_text=True)
    withdraw = client.post(f"/h/{SLUG}/svar/{token}/trekk")
    assert withdraw.status_code == 403
    assert "Høringen er lukket. Svaret kan ikke lenger trekkes." in withdraw.get_data(as_text=True)


def test_closed_early_in_english(app, client):
    _consultation_closed, token = _answered_then_closed_early(client)
    page = client.get(f"/h/{SLUG}/svar/{token}?lang=en").get_data(as_text=True)
    assert "The consultation is closed. The response can no longer be changed" in page
    assert "deadline" not in page.lower().replace("deadline</", "")


def test_after_the_deadline_the_link_still_says_deadline(app, client):
    consultation = make_consultation()
    token = token_from(post_new(client, full_answer(consultation)).headers["Location"])
    consultation.closes_at = utcnow() - HOUR
    db.session.commit()
    page = client.get(f"/h/{SLUG}/svar/{token}").get_data(as_text=True)
    assert "Fristen er ute. Svaret kan ikke lenger endres" in page
    assert "Høringen er lukket." not in page


def test_the_publish_command_closes_a_passed_deadline_first(app, runner):
    consultation = make_consultation()
    consultation.closes_at = utcnow() - HOUR
    db.session.commit()
    result = runner.invoke(args=["publish", SLUG, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).status == Status.PUBLISHED


def test_the_health_probe_does_not_touch_the_database(app, client):
    consultation = make_consultation()
    consultation.closes_at = utcnow() - HOUR
    db.session.commit()
    assert client.get("/healthz").status_code == 200
    assert db.session.scalar(select(Consultation.status)) == Status.OPEN  # not settled there
    client.get("/")
    db.session.expire_all()
    assert db.session.scalar(select(Consultation.status)) == Status.CLOSED
