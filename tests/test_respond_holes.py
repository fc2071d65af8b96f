"""Holes in the respondent's form found by an attacker (issue 11): a form key posted to a second
consultation.

Each test failed before its fix.
"""

from __future__ import annotations

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Consultation, Submission, SubmissionStatus
from tests.respond_support import (
    KEY,
    SLUG,
    full_answer,
    make_consultation,
    post_new,
    token_from,
)


def _submissions(consultation: Consultation) -> list[Submission]:
    db.session.expire_all()
    query = select(Submission).where(Submission.consultation_id == consultation.id)
    return list(db.session.scalars(query))


# One form key in two consultations ------------------------------------------------------------


def test_a_form_key_posted_to_another_consultation_makes_a_fresh_response(app, client):
    first = make_consultation()
    second = make_consultation(slug="skolemat-2")
    first_token = token_from(post_new(client, full_answer(first)).location)
    response = post_new(client, full_answer(second, idempotency_key=KEY), slug="skolemat-2")
    assert response.status_code == 302
    second_token = token_from(response.location)
    assert second_token != first_token
    (stored,) = _submissions(second)
    assert stored.status == SubmissionStatus.SUBMITTED
    assert len(_submissions(first)) == 1
    # Each link opens its own response; a repeat in the second consultation finds its own.
    assert client.get(f"/h/{SLUG}/svar/{first_token}/kvittering").status_code == 200
    assert client.get(f"/h/skolemat-2/svar/{second_token}/kvittering").status_code == 200
    assert client.get(f"/h/skolemat-2/svar/{first_token}/kvittering").status_code == 404
    again = post_new(client, full_answer(second, idempotency_key=KEY), slug="skolemat-2")
    assert token_from(again.location) == second_token
    assert len(_submissions(second)) == 1
