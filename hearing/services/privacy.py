"""Data-subject rights and retention: everything held about one respondent, erasure, e-mail purge.

Erasure removes the submission with its answers and earlier versions, every stored synthesis
result of the consultation (they hold the respondent's key and words, and cannot be reliably
scrubbed of one person's influence on keywords and templates), and, when the consultation is
published, republishes it at once without them, deleting the earlier edition's frozen summary and
files. The audit trail keeps that it happened (reference, who, when) but none of the personal
data itself.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from hearing import audit
from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, Status, Submission, SubmissionVersion
from hearing.models.coding import AnswerNote, CodeAssignment
from hearing.models.invitee import SubmissionOrgNumber
from hearing.models.types import utcnow
from hearing.services.publication import republish_at_once
from hearing.services.response_rows import answer_label
from hearing.services.search import purge_deleted_text
from hearing.services.synthesis_runs import discard_results


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def respondent_data(submission: Submission) -> dict[str, Any]:
    """Everything stored about the respondent behind `submission`, as a JSON-safe document."""
    scale = submission.consultation.scale
    return {
        "consultation": {
            "slug": submission.consultation.slug,
            "title": submission.consultation.title,
        },
        "reference": submission.reference,
        "status": submission.status,
        "source": submission.source,
        "respondent_name": submission.respondent_name,
        "on_behalf_of": submission.on_behalf_of,
        "category": submission.category.label if submission.category else None,
        "email": submission.email,
        "private_person": submission.private_person,
        "consent": submission.consent,
        "hidden": submission.hidden,
        "hidden_reason": submission.hidden_reason,
        "created_at": _iso(submission.created_at),
        "updated_at": _iso(submission.updated_at),
        "submitted_at": _iso(submission.submitted_at),
        "received_at": _iso(submission.received_at),
        "withdrawn_at": _iso(submission.withdrawn_at),
        "answers": [
            {
                "question": answer.question.code,
                "value": answer_label(answer, scale) or None,
                "dont_know": answer.dont_know,
                "text": answer.text,
            }
            for answer in sorted(submission.answers, key=lambda a: a.question.position)
        ],
        "versions": [
            {"number": version.number, "created_at": _iso(version.created_at), "data": version.data}
            for version in submission.versions
        ],
        "org_number": db.session.scalar(
            select(SubmissionOrgNumber.org_number).where(
                SubmissionOrgNumber.submission_id == submission.id
            )
        ),
        # The secretariat's work on the answers is about the respondent too: a note may describe
        # them, a tag says what they were read to mean.
        "coding": _coding_of(submission),
        "audit": [
            {"at": _iso(event.at), "actor": event.actor, "action": event.action}
            for event in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.target_type == "Submission")
                .where(AuditEvent.target_id == str(submission.id))
                .order_by(AuditEvent.at)
            )
        ],
    }


def _coding_of(submission: Submission) -> dict[str, Any]:
    answer_ids = [answer.id for answer in submission.answers]
    codes = {answer.id: answer.question.code for answer in submission.answers}
    tags = db.session.scalars(
        select(CodeAssignment).where(CodeAssignment.answer_id.in_(answer_ids))
    )
    notes = db.session.scalars(select(AnswerNote).where(AnswerNote.answer_id.in_(answer_ids)))
    return {
        "tags": [
            {"question": codes[tag.answer_id], "code": tag.code.name, "passage": tag.quote}
            for tag in tags
        ],
        "notes": [
            {"question": codes[note.answer_id], "text": note.text, "at": _iso(note.created_at)}
            for note in notes
        ],
    }


def erase_respondent(submission: Submission, *, actor: str | None = None) -> str:
    """Delete the respondent's personal data and answers, and everything computed from them
    (flush only); returns the reference for the record."""
    reference = submission.reference
    consultation = submission.consultation
    audit.record(
        "submission.erase",
        consultation_id=consultation.id,
        actor=actor,
        reference=reference,
    )
    db.session.delete(submission)
    db.session.flush()
    purge_deleted_text(db.session)
    discard_results(consultation)
    republish_at_once(consultation, actor=actor, reason="erasure")
    return reference


def purge_expired_emails(retention_days: int, *, actor: str | None = None) -> int:
    """Blank contact e-mails of consultations published more than `retention_days` ago."""
    cutoff = utcnow() - timedelta(days=retention_days)
    expired = select(Consultation.id).where(
        Consultation.status == Status.PUBLISHED, Consultation.published_at <= cutoff
    )
    result = db.session.execute(
        update(Submission)
        .where(Submission.consultation_id.in_(expired), Submission.email != "")
        .values(email="")
    )
    purged = result.rowcount or 0
    for version in db.session.scalars(
        select(SubmissionVersion)
        .join(Submission, SubmissionVersion.submission_id == Submission.id)
        .where(Submission.consultation_id.in_(expired))
    ):
        if version.data.get("email"):
            version.data = {**version.data, "email": ""}
    if purged:
        audit.record("retention.purge_emails", actor=actor, count=purged, days=retention_days)
    db.session.flush()
    return purged
