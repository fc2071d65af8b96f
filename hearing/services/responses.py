"""A respondent's submission through its life: draft, submitted, edited, withdrawn; moderation.

Service functions only flush; the view commits once per request. A resume token is never stored:
it is derived from the form's idempotency key with the app's secret (HMAC), and only its hash is
kept. So a repeated POST of the same form (double click, reload, retry after a network error)
finds the same submission and can show the same private link again, while a database leak
reveals neither the key nor any working link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import bindparam, select

from forms.registration import oslo_day, start_of_day
from forms.response import ResponseContent
from hearing.extensions import db
from hearing.models import Answer as StoredAnswer
from hearing.models import (
    Consultation,
    Source,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from hearing.models.types import utcnow
from hearing.services.form_shapes import form_shape
from hearing.services.references import RESUME_TOKEN_BYTES, hash_token
from hearing.services.response_rows import (
    ResponseRows,
    answer_columns,
    answer_of,
    store_responses,
)
from hearing.services.submission_data import submission_data
from synthesis.answers import Answer
from synthesis.question_kinds import QuestionKind
from synthesis.snapshot import Consent


class ResponseRefused(Exception):
    """The consultation does not take this change (closed, withdrawn response)."""


def resume_token_for(consultation_id: int, idempotency_key: str, secret_key: str) -> str:
    """The private link's token for a form: 192 bits, unguessable without the app's secret.

    The key is unique per consultation, so the token is made from both: a key posted again to
    another consultation (a copied form, a forged POST) makes a new response there with its own
    link, instead of colliding with the first consultation's token.
    """
    message = f"resume:{consultation_id}:{idempotency_key}".encode()
    digest = hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:RESUME_TOKEN_BYTES]).decode("ascii").rstrip("=")


# Built once: a respondent's every request runs one of them.
BY_TOKEN_HASH = select(Submission).where(
    Submission.consultation_id == bindparam("consultation_id"),
    Submission.resume_token_hash == bindparam("token_hash"),
)
BY_IDEMPOTENCY_KEY = select(Submission).where(
    Submission.consultation_id == bindparam("consultation_id"),
    Submission.idempotency_key == bindparam("key_hash"),
)


def find_by_token(consultation: Consultation, token: str) -> Submission | None:
    if not token:
        return None
    parameters = {"consultation_id": consultation.id, "token_hash": hash_token(token)}
    return db.session.scalar(BY_TOKEN_HASH, parameters)


def find_by_idempotency_key(consultation: Consultation, key: str) -> Submission | None:
    parameters = {"consultation_id": consultation.id, "key_hash": hash_token(key)}
    return db.session.scalar(BY_IDEMPOTENCY_KEY, parameters)


def create_from_web(
    consultation: Consultation,
    idempotency_key: str,
    token: str,
    content: ResponseContent,
    *,
    submitted_at: datetime | None,
) -> None:
    """A web respondent's first POST: a draft, or (with `submitted_at`) a submitted response.

    Only hashes of the key and the token are kept. A second POST of the same form raises
    IntegrityError on the idempotency key.
    """
    rows = _rows(consultation)
    response = rows.from_content(
        content,
        status=SubmissionStatus.SUBMITTED if submitted_at else SubmissionStatus.DRAFT,
        source=Source.WEB,
        submitted_at=submitted_at,
        idempotency_key=hash_token(idempotency_key),
        resume_token_hash=hash_token(token),
    )
    store_responses(rows, [response], utcnow())


def save_draft(submission: Submission, content: ResponseContent) -> None:
    if submission.status != SubmissionStatus.DRAFT:
        raise ResponseRefused("only a draft can be saved as a draft")
    apply_content(submission, content)
    db.session.flush()


def submit(submission: Submission, content: ResponseContent, now: datetime) -> bool:
    """Submit a draft, or edit a submitted response keeping the old one as a version.

    Returns False when nothing changed (a repeated POST), so no empty version is stored.
    """
    if submission.status == SubmissionStatus.WITHDRAWN:
        raise ResponseRefused("a withdrawn response cannot be submitted")
    if submission.status == SubmissionStatus.SUBMITTED:
        if content_of(submission) == without_empty_answers(content):
            return False
        _keep_version(submission)
    else:
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = now
    apply_content(submission, content)
    db.session.flush()
    return True


def withdraw(submission: Submission, now: datetime) -> None:
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ResponseRefused("only a submitted response can be withdrawn")
    submission.status = SubmissionStatus.WITHDRAWN
    submission.withdrawn_at = now
    db.session.flush()


def register_by_hand(
    consultation: Consultation,
    content: ResponseContent,
    now: datetime,
    idempotency_key: str,
    *,
    received_on: date | None = None,
) -> Submission:
    """A response that came by letter or e-mail on the day `received_on`, typed in by the
    secretariat `now`: no private link."""
    rows = _rows(consultation)
    response = rows.from_content(
        content,
        status=SubmissionStatus.SUBMITTED,
        source=Source.IMPORT,
        submitted_at=now,
        received_at=start_of_day(received_on) if received_on else None,
        idempotency_key=hash_token(idempotency_key),
    )
    (submission_id,) = store_responses(rows, [response], now)
    return db.session.get_one(Submission, submission_id)


@dataclass(frozen=True)
class Correction:
    """What the secretariat's correction changed: the number of the version that keeps the
    response as it was, the respondent's fields by column name and the answers by question code
    (names only: this goes to the audit log, which holds no respondent's words)."""

    version: int
    fields: tuple[str, ...]
    questions: tuple[str, ...]


# From the least to the most public.
CONSENT_ORDER = (Consent.NONE, Consent.ANONYMOUS, Consent.NAMED)


def is_registered(submission: Submission) -> bool:
    """Typed in by the secretariat (a letter, an e-mail, an imported file), so the secretariat
    corrects it; a web response is the respondent's to edit."""
    return submission.source != Source.WEB and submission.status == SubmissionStatus.SUBMITTED


def correct_registered(
    submission: Submission, content: ResponseContent, received_on: date
) -> Correction | None:
    """Correct a registered response, keeping the previous one as a version; None when nothing
    changed (a repeated POST), so no empty version is stored.

    The received date changes only when the day does: a response registered without one keeps
    its moment. A correction that makes the response less public (a narrower consent, now a
    private person) republishes a published consultation at once, as hiding does; any other
    leaves the edition to be republished (`publication.out_of_date_reasons`)."""
    if not is_registered(submission):
        raise ResponseRefused("only a registered, submitted response is corrected here")
    consultation = submission.consultation
    columns = _rows(consultation).respondent(content)
    fields = [
        column
        for column, value in columns.items()
        if column != "private_person" and getattr(submission, column) != value
    ]
    received_at = submission.received_at
    dated = submission.response_date
    if dated is None or oslo_day(dated) != received_on:
        received_at = start_of_day(received_on)
        fields.append("received_at")
    before, after = content_of(submission).answers, without_empty_answers(content).answers
    questions = [
        question.code
        for question in form_shape(consultation).questions
        if before.get(question.id) != after.get(question.id)
    ]
    if not fields and not questions:
        return None
    was = _publicity(submission)
    _keep_version(submission)
    apply_content(submission, content)
    submission.received_at = received_at
    db.session.flush()
    if any(now < then for now, then in zip(_publicity(submission), was, strict=True)):
        from hearing.services.publication import republish_at_once  # see set_hidden

        republish_at_once(consultation, actor=None, reason="corrected")
    return Correction(len(submission.versions), tuple(fields), tuple(questions))


def _publicity(submission: Submission) -> tuple[int, bool]:
    """How public a response is, part by part: a drop in any part makes it less public."""
    consent = Consent(submission.consent) if submission.consent else Consent.NONE
    return CONSENT_ORDER.index(consent), not submission.private_person


def set_hidden(submission: Submission, hidden: bool, reason: str = "") -> None:
    """Moderation: a hidden response is kept and counted for the secretariat, never published.

    Hiding a response of a published consultation republishes it at once without the response;
    showing it again leaves the edition as it is (the secretariat sees it is out of date)."""
    submission.hidden = hidden
    submission.hidden_reason = reason if hidden else ""
    db.session.flush()
    if hidden:
        # Imported here: publishing sits above responses (it reads them, runs the synthesis and
        # the task queue, which sends mail about responses), so a module-level import would
        # close a cycle.
        from hearing.services.publication import republish_at_once

        republish_at_once(submission.consultation, actor=None, reason="hidden")


def content_of(submission: Submission) -> ResponseContent:
    codes = {
        question.id: question.code for question in form_shape(submission.consultation).questions
    }
    return ResponseContent(
        respondent_name=submission.respondent_name,
        category_id=submission.category_id,
        on_behalf_of=submission.on_behalf_of,
        email=submission.email,
        consent=submission.consent,
        answers={
            answer.question_id: answer_of(answer, codes[answer.question_id])
            for answer in submission.answers
        },
    )


def without_empty_answers(content: ResponseContent) -> ResponseContent:
    """The same content as stored: unanswered questions have no answer row."""
    answers = {key: answer for key, answer in content.answers.items() if not answer.is_empty}
    return replace(content, answers=answers)


def _rows(consultation: Consultation) -> ResponseRows:
    """The rows of new responses, from the form's cached shape (no query)."""
    shape = form_shape(consultation)
    return ResponseRows(consultation.id, shape.categories, shape.questions)


def _keep_version(submission: Submission) -> None:
    number = len(submission.versions) + 1
    submission.versions.append(SubmissionVersion(number=number, data=submission_data(submission)))


def apply_content(submission: Submission, content: ResponseContent) -> None:
    """Copy content onto a stored submission; answers are updated in place, empty ones removed
    (the respondent's edits, and a letter's answers as the secretariat files its passages)."""
    shape = form_shape(submission.consultation)
    for column, value in _rows(submission.consultation).respondent(content).items():
        setattr(submission, column, value)
    question_ids = [question.id for question in shape.questions]
    existing = {answer.question_id: answer for answer in submission.answers}
    for question_id in question_ids:
        given = content.answers.get(question_id)
        answer = existing.get(question_id)
        if given is None or given.is_empty:
            if answer is not None:
                submission.answers.remove(answer)
            continue
        if answer is None:
            answer = StoredAnswer(question_id=question_id)
            submission.answers.append(answer)
        for column, value in answer_columns(given).items():
            setattr(answer, column, value)


@dataclass(frozen=True)
class AnswerRow:
    """One question with the respondent's answer, ready to show (receipt, secretariat)."""

    code: str
    question: str
    has_value: bool  # the kind asks for a value (a position, an option): show it or its absence
    has_text: bool  # the kind may hold text: show it or its absence
    position: str | None  # the value in words
    text: str | None


def answer_rows(consultation: Consultation, answers: dict[int, Answer]) -> list[AnswerRow]:
    """Every question in order, with the chosen value spelled out by the question's kind."""
    shape = form_shape(consultation)
    rows = []
    for question in shape.questions:
        kind = QuestionKind(question.kind)
        answer = answers.get(question.id) or Answer(question.code)
        rows.append(
            AnswerRow(
                code=question.code,
                question=question.text,
                has_value=kind.tabulated,
                has_text=kind.takes_text(question),
                position=kind.label(answer, question, shape.scale) or None,
                text=answer.text,
            )
        )
    return rows
