"""The sample consultation of tests/exports_sample.py stored in the database, for web tests.

`store_sample` adds XSS and spreadsheet-injection payloads as answers and marks the moderated
response hidden (the snapshot loader does not carry `hidden` over), so one consultation
exercises every publication rule over HTTP.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Consultation, Status, Submission
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.snapshot import Answer, Respondent
from tests.exports_sample import INJECTION_PAYLOADS, ORGANISATION, SNAPSHOT
from tests.publish_support import publish_now

SLUG = "ledelse"
XSS_NAME = '<script>alert("navn")</script>'
XSS_TEXT = "<img src=x onerror=alert(1)> & «svar»"


def _with_payloads() -> tuple[Respondent, ...]:
    attacker = Respondent(
        key="k9",
        name=XSS_NAME,
        category=ORGANISATION,
        email="angriper@example.no",
        answers={
            "1": Answer("1", value=0),
            "1.a": Answer("1.a", text=XSS_TEXT),
            "2": Answer("2", value=4, text=INJECTION_PAYLOADS[0]),
        },
    )
    formula = Respondent(
        key="k10",
        name=INJECTION_PAYLOADS[6],
        category=ORGANISATION,
        answers={"1.a": Answer("1.a", text=INJECTION_PAYLOADS[1])},
    )
    return (*SNAPSHOT.respondents, attacker, formula)


def store_sample(status: Status = Status.PUBLISHED, slug: str = SLUG) -> Consultation:
    """The sample consultation with its ten responses (one hidden), committed."""
    snapshot = dataclasses.replace(SNAPSHOT, respondents=_with_payloads())
    stored = Status.CLOSED if status == Status.PUBLISHED else status
    consultation = create_consultation(snapshot, slug=slug, status=stored)
    submissions = add_respondents(consultation, snapshot.respondents)
    for submission, respondent in zip(submissions, snapshot.respondents, strict=True):
        submission.hidden = respondent.hidden
    db.session.commit()
    if status == Status.PUBLISHED:
        publish_now(consultation)
    return consultation


def reference_of(consultation: Consultation, name: str) -> str:
    return db.session.scalar(
        select(Submission.reference).where(
            Submission.consultation_id == consultation.id, Submission.respondent_name == name
        )
    )
