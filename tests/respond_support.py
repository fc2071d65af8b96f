"""A small open consultation and form-data builders shared by the response tests.

Questions: "1" scale (required), "1.a" text, "2" scale+text, "3" text (required); the agreement
scale with "Vet ikke"; the Norwegian category preset.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from hearing.extensions import db
from hearing.models import Consultation, Status
from hearing.models.types import utcnow
from hearing.services.snapshots import create_consultation
from synthesis.presets import NORWEGIAN_CATEGORY_PRESET
from synthesis.snapshot import ConsultationSnapshot, Question, QuestionKind, Scale

SLUG = "skolemat"
QUESTIONS = (
    Question("1", "Er du enig i beskrivelsen?", QuestionKind.SCALE, required=True),
    Question("1.a", "Har du eksempler?", QuestionKind.TEXT),
    Question("2", "Er du enig i målene?", QuestionKind.SCALE_TEXT, help="Skriv gjerne hvorfor."),
    Question("3", "Hva er viktigst for deg?", QuestionKind.TEXT, required=True),
)
KEY = "k" * 32


def make_consultation(
    *, slug: str = SLUG, closes_in: timedelta = timedelta(days=7)
) -> Consultation:
    snapshot = ConsultationSnapshot(
        slug=slug,
        title="Gratis skolemat",
        summary="Vi ber om synspunkter på forslaget.",
        scale=Scale(dont_know="Vet ikke"),
        categories=NORWEGIAN_CATEGORY_PRESET,
        questions=QUESTIONS,
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + closes_in,
    )
    consultation = create_consultation(snapshot, slug=slug, status=Status.OPEN)
    db.session.commit()
    return consultation


def question_ids(consultation: Consultation) -> dict[str, int]:
    return {q.code: q.id for q in consultation.questions}


def category_id(consultation: Consultation, label: str) -> int:
    return next(c.id for c in consultation.categories if c.label == label)


def full_answer(consultation: Consultation, **overrides: Any) -> dict[str, Any]:
    """Form data of a complete response (every required field and question filled)."""
    ids = question_ids(consultation)
    data: dict[str, Any] = {
        "respondent_name": "Bergen kommune",
        "category": str(category_id(consultation, "Forvaltning (Offentlig)")),
        "on_behalf_of": "",
        "email": "post@bergen.kommune.no",
        "consent": "named",
        f"q{ids['1']}_value": "1",
        f"q{ids['1.a']}_text": "Skolene i Åsane.",
        f"q{ids['2']}_value": "dont_know",
        f"q{ids['2']}_text": "Målene er uklare.\nAndre linje.",
        f"q{ids['3']}_text": "At maten er sunn.",
        "idempotency_key": KEY,
        "action": "submit",
    }
    data.update(overrides)
    return data


def token_from(location: str) -> str:
    match = re.search(r"/svar/([A-Za-z0-9_-]+)", location)
    assert match, location
    return match.group(1)


def post_new(client: FlaskClient, data: dict[str, Any], slug: str = SLUG):
    return client.post(f"/h/{slug}/svar", data=data)
