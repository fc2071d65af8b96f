"""Responses: a submission per respondent, its answers, and earlier versions kept on edit."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from itertools import chain
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from hearing.extensions import db
from hearing.models.consultation import Consultation, Question, RespondentCategory
from hearing.models.types import UTCDateTime, utcnow
from synthesis.snapshot import Consent


class SubmissionStatus(StrEnum):
    """A letter the secretariat registered waits in REVIEW until they confirm its sender and
    passages: like a draft, it counts nowhere (only SUBMITTED responses are snapshotted)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    REVIEW = "review"


class Source(StrEnum):
    """How the response reached us: the web form, or an import (letter, e-mail, file)."""

    WEB = "web"
    IMPORT = "import"


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("consultation_id", "idempotency_key"),
        UniqueConstraint("consultation_id", "external_key"),
        Index("ix_submissions_consultation_status", "consultation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # Only a hash of the secret resume token is stored; the token itself is shown once.
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    # Stable key of an imported response, so re-importing a file does not duplicate it.
    external_key: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.DRAFT)
    source: Mapped[str] = mapped_column(String(20), default=Source.WEB)
    respondent_name: Mapped[str] = mapped_column(String(300), default="")
    on_behalf_of: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("respondent_categories.id", ondelete="RESTRICT")
    )
    email: Mapped[str] = mapped_column(String(254), default="")
    private_person: Mapped[bool] = mapped_column(default=False)
    consent: Mapped[str] = mapped_column(String(20), default=Consent.NAMED)
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A letter or e-mail registered by the secretariat: the day it came (the start of that day
    # in Norwegian time); `submitted_at` is then when it was typed in.
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    consultation: Mapped[Consultation] = relationship()
    category: Mapped[RespondentCategory | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )
    versions: Mapped[list[SubmissionVersion]] = relationship(
        back_populates="submission",
        cascade="all, delete-orphan",
        order_by="SubmissionVersion.number",
    )

    @hybrid_property
    def response_date(self) -> datetime | None:
        """The response's date wherever one is shown (lists, exports): the day a letter came,
        else the moment the response was sent."""
        return self.received_at or self.submitted_at

    @response_date.inplace.expression
    @classmethod
    def _response_date_expression(cls) -> ColumnElement[datetime | None]:
        return func.coalesce(cls.received_at, cls.submitted_at)


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("submission_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="RESTRICT"), index=True
    )
    # The parts of a `synthesis.answers.Answer`, under the same names (hearing.services.
    # response_rows maps one to the other). What `value` indexes is the question kind's
    # business: the consultation's scale, or the question's options.
    value: Mapped[int | None] = mapped_column()
    dont_know: Mapped[bool] = mapped_column(default=False)
    choices: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True))
    text: Mapped[str | None] = mapped_column(Text)

    submission: Mapped[Submission] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class SubmissionVersion(db.Model):
    """A frozen copy of a submission as it was before the respondent edited it."""

    __tablename__ = "submission_versions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    submission: Mapped[Submission] = relationship(back_populates="versions")


@event.listens_for(Session, "before_flush")
def _touch_submission_on_answer_change(session: Session, _context: Any, _instances: Any) -> None:
    """A changed, added or removed answer moves its submission's `updated_at`.

    `updated_at` is then a version of the response with its answers, which lets a page tell
    whether a synthesis run still has the answers there are now without reading them
    (hearing.services.input_fingerprint)."""
    touched: set[Submission] = set()
    with session.no_autoflush:
        changed = chain(
            session.new,
            session.deleted,
            (item for item in session.dirty if session.is_modified(item)),
        )
        for item in changed:
            if isinstance(item, Answer):
                submission = item.submission
                if submission is None and item.submission_id is not None:
                    submission = session.get(Submission, item.submission_id)
                if submission is not None:
                    touched.add(submission)
            elif isinstance(item, Submission):
                touched.add(item)  # an answer taken out of `answers` changes the collection only
    now = utcnow()
    for submission in touched - set(session.deleted):
        submission.updated_at = now
