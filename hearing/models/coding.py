"""Qualitative coding: a codebook per consultation, and the analysts' tags, notes and reviews.

A `Code` is a category an analyst reads answers for ("Finansiering", "Samarbeid på tvers").
A `CodeAssignment` tags a whole answer (no span) or a passage of it: a character span
[span_start, span_end) of the answer's text, with the quoted text kept beside it. Answers can
be corrected after they were coded (a respondent edits before the deadline, the secretariat
corrects a registered letter); the quote tells whether the span still holds the passage the
analyst meant, and lets the page find it again if it only moved (`current_span`).

Everything here hangs off an answer with ON DELETE CASCADE: when an answer or its submission
is deleted (erasure, an answer emptied on edit) its tags, notes and review go with it, so no
analyst's note about an erased respondent survives the erasure.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hearing.extensions import db
from hearing.models.consultation import Consultation
from hearing.models.submission import Answer
from hearing.models.types import UTCDateTime, utcnow
from hearing.models.user import User

# A palette safe for colour-blind readers (Okabe and Ito); style classes in coding.css.
CODE_COLOURS: tuple[str, ...] = (
    "blue",
    "orange",
    "green",
    "vermillion",
    "sky",
    "purple",
    "yellow",
    "grey",
)


class AssignmentSource(StrEnum):
    """How a tag came to be: typed by an analyst, or an accepted suggestion."""

    MANUAL = "manual"
    SUGGESTION = "suggestion"


class Code(db.Model):
    __tablename__ = "codes"
    __table_args__ = (UniqueConstraint("consultation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(20), default=CODE_COLOURS[0])
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    consultation: Mapped[Consultation] = relationship()
    assignments: Mapped[list[CodeAssignment]] = relationship(
        back_populates="code", cascade="all, delete-orphan", passive_deletes=True
    )


class CodeAssignment(db.Model):
    """A code on an answer: the whole answer when the span is empty, else a passage of it."""

    __tablename__ = "code_assignments"
    __table_args__ = (Index("ix_code_assignments_answer_code", "answer_id", "code_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    span_start: Mapped[int | None] = mapped_column()
    span_end: Mapped[int | None] = mapped_column()
    quote: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default=AssignmentSource.MANUAL)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    code: Mapped[Code] = relationship(back_populates="assignments")
    answer: Mapped[Answer] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def is_passage(self) -> bool:
        return self.span_start is not None

    def current_span(self) -> tuple[int, int] | None:
        """Where the quoted passage is in the answer's text now, or None if it is gone.

        The stored span when it still holds the quote; else the quote's place if it occurs
        exactly once (the text around it was edited); else None (the passage itself changed).
        """
        if self.span_start is None or self.span_end is None:
            return None
        text = self.answer.text or ""
        if text[self.span_start : self.span_end] == self.quote:
            return self.span_start, self.span_end
        found = text.find(self.quote)
        if self.quote and found >= 0 and text.find(self.quote, found + 1) < 0:
            return found, found + len(self.quote)
        return None


class AnswerNote(db.Model):
    __tablename__ = "answer_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answer: Mapped[Answer] = relationship()
    author: Mapped[User | None] = relationship()


class AnswerReview(db.Model):
    """An analyst has read the answer through: its tags (or their absence) are deliberate."""

    __tablename__ = "answer_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), unique=True
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answer: Mapped[Answer] = relationship()
    reviewed_by: Mapped[User | None] = relationship()
