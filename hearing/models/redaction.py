"""Redactions: spans of a response the secretariat hides from every public output, and why.

A redaction hides a span of one answer's text, of a letter's text (an attachment), or, with
neither, the respondent's name, which then makes the response anonymous in public. An answer's
redaction is tied to it by the submission and the question rather than to the answer's row: a
row emptied on an edit is deleted and made again when the respondent writes once more, and a
redaction must never vanish with it. The string the span held when it was marked is kept
beside the offsets, so a later edit that moves or changes it is noticed
(`synthesis.redaction`: a stale redaction still hides its string, or the whole text, until the
secretariat looks again). Everything goes with the submission when a respondent is erased.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hearing.extensions import db
from hearing.models.attachment import Attachment
from hearing.models.consultation import Question
from hearing.models.submission import Submission
from hearing.models.types import UTCDateTime, utcnow
from hearing.models.user import User


class RedactionReason(StrEnum):
    """Why a span is hidden: the usual grounds in a Norwegian hearing (a note says more)."""

    NAME = "name"  # a person's name or other identifying details
    HEALTH = "health"  # health details, diagnoses
    THIRD_PARTY = "third_party"  # circumstances of another person, a child
    CONTACT = "contact"  # address, phone number, e-mail
    OFFENSIVE = "offensive"  # an insulting or unlawful statement
    OTHER = "other"


class Redaction(db.Model):
    __tablename__ = "redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    # The answer's question, or the letter; neither: the respondent's name.
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE")
    )
    span_start: Mapped[int] = mapped_column()
    span_end: Mapped[int] = mapped_column()
    redacted_text: Mapped[str] = mapped_column(Text)  # what the span held, to tell it changed
    reason: Mapped[str] = mapped_column(String(20), default=RedactionReason.OTHER)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship()
    question: Mapped[Question | None] = relationship()
    attachment: Mapped[Attachment | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def is_name(self) -> bool:
        return self.question_id is None and self.attachment_id is None
