"""Files a response carries, and the passages a letter's text was cut into.

An attachment belongs to one submission: a PDF, DOCX or ODT file a web respondent attached to
their answers, or a letter the secretariat registered (the letter *is* the response, and so
is a web response given "by letter alone"). The file's bytes live in the database, not on
disk: a backup, the erasure of a respondent and PostgreSQL's own replication then cover them
without a second store to keep in step. The uploaded file name is shown, never used as a path.

A letter's text is cut into passages ("Til punkt 4 …"), each filed under the question it
answers or, with no question, under the general comments. The secretariat may move a passage
on the letter's review page; the passages then become the response's answers
(hearing.services.letters).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hearing.extensions import db
from hearing.models.consultation import Question
from hearing.models.submission import Submission
from hearing.models.types import UTCDateTime, utcnow


class Attachment(db.Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded: for display only
    kind: Mapped[str] = mapped_column(String(10))  # "pdf", "docx" or "odt", by content
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: lists of attachments never load the files.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    text: Mapped[str] = mapped_column(Text, default="")
    pages: Mapped[int] = mapped_column(default=0)
    # Scanned pages whose text could not be read (no OCR here): the secretariat types it.
    needs_text: Mapped[bool] = mapped_column(default=False)
    ocr_pages: Mapped[int] = mapped_column(default=0)
    # What to check about the text (codes `hearing.letters.messages` words: "ocr_used", …).
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The letter itself (a letter the secretariat registered, or a response by letter alone),
    # as opposed to an appendix to answers given in the form.
    is_letter: Mapped[bool] = mapped_column(default=False)
    # The secretariat has approved publishing the original file (never by default).
    publish_original: Mapped[bool] = mapped_column(default=False)
    # From the letter, confirmed on the review page: when it was written and who signed it.
    written_on: Mapped[date | None] = mapped_column(Date)
    signed_by: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship()
    passages: Mapped[list[LetterPassage]] = relationship(
        back_populates="attachment",
        order_by="LetterPassage.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class LetterPassage(db.Model):
    """A part of a letter's text and the question it answers (None: a general comment)."""

    __tablename__ = "letter_passages"

    id: Mapped[int] = mapped_column(primary_key=True)
    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    heading: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # A deleted question leaves its passages with the general comments.
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"), index=True
    )
    # What the reader proposed ("" for a general comment), to show beside the choice made.
    proposed_code: Mapped[str] = mapped_column(String(20), default="")

    attachment: Mapped[Attachment] = relationship(back_populates="passages")
    question: Mapped[Question | None] = relationship()
