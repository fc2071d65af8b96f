"""One way to write a response: the web form, a letter typed in by the secretariat, a compiled
import and a long-format file all store the same respondent as the same rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from forms.response import ResponseContent
from hearing.extensions import db
from hearing.models import Status, Submission
from hearing.services import responses
from hearing.services.long_loader import load_respondents
from hearing.services.references import REFERENCE_ALPHABET, new_reference
from hearing.services.response_rows import ANSWER_PARTS
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis import snapshot as snap
from tests.test_import_long_format import CONSULTATION

PRIVATE = "Privatperson (Enkeltperson)"
SENT = datetime(2025, 2, 3, 10, 0, tzinfo=UTC)
ANSWERS = {
    "1": snap.Answer("1", dont_know=True),
    "2": snap.Answer("2", value=3, text="Mer å gjøre – også for æøå"),
    "3": snap.Answer("3", text="Takk"),
}
# What every path must store alike (keys, references and the moment of storing differ).
COMPARED = (
    "respondent_name",
    "on_behalf_of",
    "email",
    "category_id",
    "private_person",
    "consent",
    "hidden",
    "hidden_reason",
    "submitted_at",
)


def _raw(sql: str, key: object) -> list[tuple]:
    """Rows as the driver gives them back, before any SQLAlchemy type sees them."""
    sql += " ?" if db.session.get_bind().dialect.paramstyle == "qmark" else " %s"
    return [tuple(row) for row in db.session.connection().exec_driver_sql(sql, (key,))]


def _stored(submission_id: int) -> tuple[tuple, list[tuple]]:
    (submission,) = _raw(
        f"SELECT {', '.join(COMPARED)}, created_at FROM submissions WHERE id =", submission_id
    )
    answers = sorted(
        _raw(
            f"SELECT question_id, {', '.join(ANSWER_PARTS)} FROM answers WHERE submission_id =",
            submission_id,
        )
    )
    assert submission[-1] is not None  # every path gives every column its value
    return submission[:-1], answers


def test_every_way_of_storing_a_response_gives_the_same_rows(app):
    consultation = create_consultation(CONSULTATION, slug="h", status=Status.OPEN)
    category = next(c for c in consultation.categories if c.label == PRIVATE)
    question_ids = {q.code: q.id for q in consultation.questions}
    respondent = snap.Respondent(
        key="long:kari",
        name="Kari Nordmann",
        category=PRIVATE,
        on_behalf_of="Nabolaget",
        email="kari@example.no",
        consent=snap.Consent.ANONYMOUS,
        submitted_at=SENT,
        answers=ANSWERS,
    )
    content = ResponseContent(
        respondent_name="Kari Nordmann",
        category_id=category.id,
        on_behalf_of="Nabolaget",
        email="kari@example.no",
        consent="anonymous",
        answers={question_ids[code]: answer for code, answer in ANSWERS.items()},
    )
    with app.test_request_context():
        responses.create_from_web(consultation, "k" * 32, "t" * 32, content, submitted_at=SENT)
        by_hand = responses.register_by_hand(consultation, content, SENT, "l" * 32)
    (imported,) = add_respondents(consultation, [respondent], external_prefix="x:")
    load_respondents(consultation, [respondent])
    ids = db.session.scalars(select(Submission.id).order_by(Submission.id)).all()
    assert len(ids) == 4 and by_hand.id in ids and imported.id in ids

    first = _stored(ids[0])
    assert first[0][COMPARED.index("private_person")] in (1, True)  # the individual sector
    assert len(first[1]) == 3
    for submission_id in ids[1:]:
        assert _stored(submission_id) == first


def test_references_have_one_format_drawn_uniformly():
    references = [new_reference() for _ in range(3_000)]
    alphabet = re.escape(REFERENCE_ALPHABET)
    assert all(re.fullmatch(rf"H-[{alphabet}]{{5}}-[{alphabet}]{{5}}", r) for r in references)
    used = {character for reference in references for character in reference[2:].replace("-", "")}
    assert used == set(REFERENCE_ALPHABET)
    assert len(set(references)) == len(references)
