"""Loading the objects an admin URL names, or 404."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Consultation, Question, RespondentCategory, Submission, SubmissionStatus


def consultation_or_404(slug: str) -> Consultation:
    found = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if found is None:
        abort(404)
    return found


def submission_or_404(consultation: Consultation, submission_id: int) -> Submission:
    """Drafts are the respondent's own until submitted, so the secretariat does not read them."""
    found = db.session.get(Submission, submission_id)
    if (
        found is None
        or found.consultation_id != consultation.id
        or found.status == SubmissionStatus.DRAFT
    ):
        abort(404)
    return found


def question_or_404(consultation: Consultation, question_id: int) -> Question:
    found = db.session.get(Question, question_id)
    if found is None or found.consultation_id != consultation.id:
        abort(404)
    return found


def category_or_404(consultation: Consultation, category_id: int) -> RespondentCategory:
    found = db.session.get(RespondentCategory, category_id)
    if found is None or found.consultation_id != consultation.id:
        abort(404)
    return found
