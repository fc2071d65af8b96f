"""Data-subject rights and retention: everything held about one respondent, erasure, e-mail purge.

The export holds the submission in the form its kept versions have (`submission_data`), those
versions, the secretariat's tags and notes and redactions, the audit trail and the mail sent to
the respondent (receipts, and their links sent again on request), and the files with their text.
Erasure removes the submission with its answers, earlier versions, files and that mail, every
stored synthesis result of the consultation (they hold the respondent's key and words, and
cannot be reliably scrubbed of one person's influence on keywords and templates), and, when the
consultation is published, republishes it at once without them, deleting the earlier edition's
frozen summary and files. The audit trail keeps that it happened (reference, who, when) but none
of the personal data itself. The e-mail purge blanks the addresses and deletes the mail sent to
them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select, update

from hearing import audit
from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, Status, Submission, SubmissionVersion
from hearing.models.coding import AnswerNote, CodeAssignment
from hearing.models.invitee import SubmissionOrgNumber
from hearing.models.outbox import MessageKind, OutboxMessage
from hearing.models.types import utcnow
from hearing.services.attachments import attachments_of, data_of
from hearing.services.publication import republish_at_once
from hearing.services.redactions import redaction_data, redactions_of
from hearing.services.search import purge_deleted_text
from hearing.services.submission_data import iso, submission_data
from hearing.services.synthesis_runs import discard_results


def respondent_data(submission: Submission) -> dict[str, Any]:
    """Everything stored about the respondent behind `submission`, as a JSON-safe document."""
    return {
        "consultation": {
            "slug": submission.consultation.slug,
            "title": submission.consultation.title,
        },
        "reference": submission.reference,
        "source": submission.source,
        "private_person": submission.private_person,
        "hidden": submission.hidden,
        "hidden_reason": submission.hidden_reason,
        "created_at": iso(submission.created_at),
        "updated_at": iso(submission.updated_at),
        "withdrawn_at": iso(submission.withdrawn_at),
        **submission_data(submission),
        "versions": [
            {"number": version.number, "created_at": iso(version.created_at), "data": version.data}
            for version in submission.versions
        ],
        "org_number": db.session.scalar(
            select(SubmissionOrgNumber.org_number).where(
                SubmissionOrgNumber.submission_id == submission.id
            )
        ),
        # The files: names, sizes and the text read from them (the bytes are theirs already).
        "attachments": [data_of(attachment) for attachment in attachments_of(submission)],
        # What the secretariat keeps from the public, and why.
        "redactions": [redaction_data(found) for found in redactions_of(submission)],
        # The secretariat's work on the answers is about the respondent too: a note may describe
        # them, a tag says what they were read to mean.
        "coding": _coding_of(submission),
        "mail": [
            {
                "kind": message.kind,
                "to": message.to_address,
                "subject": message.subject,
                "status": message.status,
                "created_at": iso(message.created_at),
                "sent_at": iso(message.sent_at),
            }
            for message in db.session.scalars(
                select(OutboxMessage)
                .where(_mail_to_respondent(submission))
                .order_by(OutboxMessage.id)
            )
        ],
        "audit": [
            {"at": iso(event.at), "actor": event.actor, "action": event.action}
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
            {"question": codes[note.answer_id], "text": note.text, "at": iso(note.created_at)}
            for note in notes
        ],
    }


def _mail_to_respondent(submission: Submission) -> ColumnElement[bool]:
    """The outbox rows of mail to the respondent: the receipts of `submission`, and the private
    links sent again on request to its address (a request names an address, not a response)."""
    receipts = (OutboxMessage.submission_id == submission.id) & (
        OutboxMessage.kind == MessageKind.RECEIPT
    )
    address = submission.email.strip().lower()
    if not address:
        return receipts
    links = (
        (OutboxMessage.kind == MessageKind.LINKS)
        & (OutboxMessage.consultation_id == submission.consultation_id)
        & (func.lower(OutboxMessage.to_address) == address)
    )
    return or_(receipts, links)


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
    db.session.execute(delete(OutboxMessage).where(_mail_to_respondent(submission)))
    db.session.delete(submission)  # the secretariat's notices of it go with it (ON DELETE CASCADE)
    db.session.flush()
    purge_deleted_text(db.session)
    discard_results(consultation)
    republish_at_once(consultation, actor=actor, reason="erasure")
    return reference


def purge_expired_emails(retention_days: int, *, actor: str | None = None) -> int:
    """Blank contact e-mails of consultations published more than `retention_days` ago, and
    delete the mail sent to those addresses (receipts, links sent again)."""
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
    mail = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.consultation_id.in_(expired),
            OutboxMessage.kind.in_((MessageKind.RECEIPT, MessageKind.LINKS)),
        )
    )
    if purged or mail.rowcount:
        audit.record(
            "retention.purge_emails",
            actor=actor,
            count=purged,
            messages=mail.rowcount or 0,
            days=retention_days,
        )
    db.session.flush()
    return purged
