"""Moving between the database and the plain snapshot objects that synthesis and exports use."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import (
    Answer,
    Consultation,
    Question,
    RespondentCategory,
    Source,
    Status,
    Submission,
    SubmissionStatus,
)
from hearing.models import Redaction as StoredRedaction
from hearing.models.types import utcnow
from hearing.services.response_rows import (
    ANSWER_PART_COLUMNS,
    ResponseRows,
    store_responses,
    stored_answer,
)
from synthesis import snapshot as snap
from synthesis.redaction import Redaction


def snapshot_of(
    consultation: Consultation, *, include_hidden: bool = True
) -> snap.ConsultationSnapshot:
    """Submitted responses of `consultation` as a snapshot; drafts and withdrawn ones are left out.

    Two queries (submissions, answers) regardless of size, so it stays fast for large hearings.
    """
    categories = {c.id: c for c in consultation.categories}
    questions = {q.id: q for q in consultation.questions}
    query = select(Submission).where(
        Submission.consultation_id == consultation.id,
        Submission.status == SubmissionStatus.SUBMITTED,
    )
    if not include_hidden:
        query = query.where(Submission.hidden.is_(False))
    submissions = db.session.scalars(query.order_by(Submission.id)).all()
    answers_by_submission: dict[int, dict[str, snap.Answer]] = defaultdict(dict)
    answer_rows = db.session.execute(
        select(Answer.submission_id, Answer.question_id, *ANSWER_PART_COLUMNS)
        .join(Submission, Answer.submission_id == Submission.id)
        .where(
            Submission.consultation_id == consultation.id,
            Submission.status == SubmissionStatus.SUBMITTED,
        )
    )
    for submission_id, question_id, *parts in answer_rows:
        code = questions[question_id].code
        answers_by_submission[submission_id][code] = stored_answer(code, *parts)
    redactions = redactions_by_submission(
        consultation, {q_id: q.code for q_id, q in questions.items()}
    )
    respondents = tuple(
        snap.Respondent(
            key=s.reference,
            name=s.respondent_name,
            category=categories[s.category_id].label if s.category_id in categories else "",
            on_behalf_of=s.on_behalf_of,
            email=s.email,
            consent=snap.Consent(s.consent),
            submitted_at=s.response_date,  # the day a letter came, else when it was sent
            hidden=s.hidden,
            answers=answers_by_submission.get(s.id, {}),
            redactions=redactions.get(s.id, ()),
        )
        for s in submissions
    )
    return replace(consultation_frame(consultation), respondents=respondents)


def consultation_frame(consultation: Consultation) -> snap.ConsultationSnapshot:
    """The consultation as a snapshot without respondents: what every reader of its answers
    shares (a synthesis run streams the answers apart, `hearing.services.answer_stream`)."""
    return snap.ConsultationSnapshot(
        slug=consultation.slug,
        title=consultation.title,
        scale=consultation.scale,
        categories=tuple(c.as_category for c in consultation.categories),
        questions=tuple(
            snap.Question(q.code, q.text, q.question_kind, q.required, q.help_text, q.options)
            for q in consultation.questions
        ),
        summary=consultation.summary,
        # The synthesis mutes words that answers share only because the document uses them.
        document=consultation.document,
        language=consultation.language,
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at,
        stated_not_answered={
            q.code: q.stated_not_answered
            for q in consultation.questions
            if q.stated_not_answered is not None
        },
    )


def redactions_by_submission(
    consultation: Consultation, codes: dict[int, str]
) -> dict[int, tuple[Redaction, ...]]:
    """The redactions of answers and names, by submission (a letter's own redactions are
    applied to its text where it is shown, and were copied to its answers when made)."""
    found: dict[int, list[Redaction]] = defaultdict(list)
    rows = db.session.execute(
        select(
            StoredRedaction.submission_id,
            StoredRedaction.question_id,
            StoredRedaction.span_start,
            StoredRedaction.span_end,
            StoredRedaction.redacted_text,
        )
        .join(Submission, StoredRedaction.submission_id == Submission.id)
        .where(
            Submission.consultation_id == consultation.id,
            StoredRedaction.attachment_id.is_(None),
        )
        .order_by(StoredRedaction.id)
    )
    for submission_id, question_id, start, end, text in rows:
        if question_id is None:  # the name
            found[submission_id].append(Redaction(None, start, end, text))
        elif question_id in codes:
            found[submission_id].append(Redaction(codes[question_id], start, end, text))
    return {submission_id: tuple(items) for submission_id, items in found.items()}


def create_consultation(
    snapshot: snap.ConsultationSnapshot,
    *,
    slug: str,
    document: str = "",
    status: Status = Status.CLOSED,
    created_by_id: int | None = None,
) -> Consultation:
    """A consultation with the snapshot's questions, categories and scale (no responses yet)."""
    consultation = Consultation(
        slug=slug,
        title=snapshot.title,
        summary=snapshot.summary,
        document=document,
        status=status,
        language=snapshot.language,
        opens_at=snapshot.opens_at,
        closes_at=snapshot.closes_at,
        scale_points=list(snapshot.scale.points),
        dont_know_label=snapshot.scale.dont_know,
        created_by_id=created_by_id,
    )
    for position, category in enumerate(snapshot.categories):
        consultation.categories.append(
            RespondentCategory(name=category.name, sector=category.sector, position=position)
        )
    for position, question in enumerate(snapshot.questions):
        consultation.questions.append(
            Question(
                code=question.code,
                text=question.text,
                kind=question.kind,
                required=question.required,
                help_text=question.help,
                position=position,
                stated_not_answered=snapshot.stated_not_answered.get(question.code),
                options_json=question.options.as_json(),
            )
        )
    db.session.add(consultation)
    db.session.flush()
    return consultation


def add_respondents(
    consultation: Consultation,
    respondents: tuple[snap.Respondent, ...] | list[snap.Respondent],
    *,
    source: Source = Source.IMPORT,
    external_prefix: str = "",
) -> list[Submission]:
    """Register already-submitted responses (imports, the demo) with their answers."""
    db.session.flush()
    rows = ResponseRows.of(consultation)
    now = utcnow()
    responses = [
        rows.from_respondent(
            respondent,
            source=source,
            now=now,
            external_key=f"{external_prefix}{respondent.key}" if external_prefix else None,
        )
        for respondent in respondents
    ]
    ids = store_responses(rows, responses, now)
    stored: dict[int, Submission] = {}
    for start in range(0, len(ids), 1_000):  # well under every database's parameter limit
        chunk = select(Submission).where(Submission.id.in_(ids[start : start + 1_000]))
        stored.update((submission.id, submission) for submission in db.session.scalars(chunk))
    return [stored[submission_id] for submission_id in ids]
