"""A synthesis run's input hash is remembered per fingerprint (a few aggregates in SQL), so a
page can tell whether a run is current without reading every answer; every change that can
alter the input moves the fingerprint, so the remembered hash is never stale."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Submission
from hearing.models.redaction import Redaction
from hearing.models.types import utcnow
from hearing.services.input_fingerprint import fingerprint, remembered_input_hash
from hearing.services.privacy import erase_respondent
from hearing.services.responses import withdraw
from hearing.services.snapshots import snapshot_of
from tests.respond_support import full_answer, make_consultation, post_new


def _full_hash(consultation) -> str:
    """Everything the synthesis could read (a stand-in for the pipeline's input hash)."""
    return hashlib.sha256(repr(snapshot_of(consultation)).encode()).hexdigest()


def _responses(client, consultation, count: int) -> list[Submission]:
    for number in range(count):
        post_new(
            client,
            full_answer(
                consultation, respondent_name=f"Kommune {number}", idempotency_key=f"{number:032d}"
            ),
        )
    return list(db.session.scalars(select(Submission).order_by(Submission.id)))


def _first_answer_with_text(submission):
    return next(answer for answer in submission.answers if answer.text)


def _changes(consultation, submissions):
    """Each a change to what a run reads, made and committed as a request would."""
    first, second, third = submissions

    def edit_text():
        _first_answer_with_text(first).text = "Et annet svar."

    def remove_answer():
        first.answers.remove(_first_answer_with_text(first))

    def hide():
        second.hidden = True

    def show_again():
        second.hidden = False

    def rename_question():
        consultation.questions[0].text = "Er du enig i den nye beskrivelsen?"

    def redact():
        answer = _first_answer_with_text(third)
        db.session.add(
            Redaction(
                submission_id=third.id,
                question_id=answer.question_id,
                span_start=0,
                span_end=3,
                redacted_text=answer.text[:3],
            )
        )

    def withdraw_one():
        withdraw(third, utcnow())

    def erase():
        erase_respondent(second)

    return [
        edit_text,
        remove_answer,
        hide,
        show_again,
        rename_question,
        redact,
        withdraw_one,
        erase,
    ]


def test_every_change_to_the_input_moves_the_fingerprint_and_the_hash_follows(app, client):
    consultation = make_consultation()
    submissions = _responses(client, consultation, 3)
    computed: list[str] = []

    def compute() -> str:
        computed.append("x")
        return _full_hash(consultation)

    def remembered() -> str:
        return remembered_input_hash(consultation, {"n_themes": None}, "internal", compute)

    assert remembered() == _full_hash(consultation)
    assert remembered() == _full_hash(consultation) and len(computed) == 1  # no second hash
    for change in _changes(consultation, submissions):
        before = fingerprint(consultation.id)
        change()
        db.session.commit()
        assert fingerprint(consultation.id) != before, change.__name__
        assert remembered() == _full_hash(consultation), change.__name__


def test_setting_an_answer_to_what_it_was_changes_nothing(app, client):
    consultation = make_consultation()
    (submission,) = _responses(client, consultation, 1)
    before = fingerprint(consultation.id)
    answer = _first_answer_with_text(submission)
    answer.text = str(answer.text)
    db.session.commit()
    assert fingerprint(consultation.id) == before
