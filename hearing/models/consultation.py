"""A consultation with its questions, scale and respondent categories."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from itertools import chain
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from hearing.extensions import db
from hearing.models.types import UTCDateTime, utcnow
from synthesis.snapshot import (
    NORWEGIAN_AGREEMENT_SCALE,
    Category,
    Options,
    QuestionKind,
    Scale,
    Sector,
)


class Status(StrEnum):
    """Life cycle: draft → (scheduled →) open → closed → published.

    The secretariat decides four of these and they are stored: a draft is being prepared; an
    open consultation has been released; a closed one was closed (by hand, or by its deadline);
    a published one has its summary out (closed may reopen; published is final). Between those
    decisions the clock decides, as in the consultation services people know: a released
    consultation is *scheduled* until its opening time and closed from its deadline on.
    `Consultation.status_at` gives that status; SCHEDULED is never stored.
    """

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


class Consultation(db.Model):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT, index=True)
    language: Mapped[str] = mapped_column(String(5), default="nb")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scale_points: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: list(NORWEGIAN_AGREEMENT_SCALE)
    )
    dont_know_label: Mapped[str | None] = mapped_column(String(80))
    # The secretariat's choice: do the public position tables count respondents who refused
    # publication (their scale answers only)? Off by default: a small category could otherwise
    # reveal how someone answered who asked not to be published.
    count_refused_positions: Mapped[bool] = mapped_column(default=False)
    # Whether a respondent may answer with a letter (an attached file) instead of the form.
    letters_alone: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="consultation",
        order_by="Question.position",
        cascade="all, delete-orphan",
    )
    categories: Mapped[list[RespondentCategory]] = relationship(
        back_populates="consultation",
        order_by="RespondentCategory.position",
        cascade="all, delete-orphan",
    )

    @property
    def scale(self) -> Scale:
        return Scale(points=tuple(self.scale_points), dont_know=self.dont_know_label)

    def status_at(self, now: datetime) -> Status:
        """The status people see at `now`: the stored one, with the dates applied to a released
        consultation. Every page, list and guard asks here, so they agree at every instant
        (the stored status catches up later: hearing.services.consultations.settle_statuses).
        Times are instants, compared in UTC."""
        stored = Status(self.status)
        if stored != Status.OPEN:
            return stored
        if self.opens_at and now < self.opens_at:
            return Status.SCHEDULED
        if self.deadline_passed(now):
            return Status.CLOSED
        return Status.OPEN

    def deadline_passed(self, now: datetime) -> bool:
        """Whether the deadline is behind us. A consultation closed before it (or without one)
        was closed early: respondents are told it is closed, not that they were late."""
        return bool(self.closes_at and now >= self.closes_at)

    def is_accepting_responses(self, now: datetime) -> bool:
        return self.status_at(now) == Status.OPEN


class RespondentCategory(db.Model):
    __tablename__ = "respondent_categories"
    __table_args__ = (UniqueConstraint("consultation_id", "name", "sector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(20), default=Sector.PUBLIC)
    position: Mapped[int] = mapped_column(default=0)

    consultation: Mapped[Consultation] = relationship(back_populates="categories")

    @property
    def as_category(self) -> Category:
        return Category(self.name, Sector(self.sector))

    @property
    def label(self) -> str:
        """Name with sector suffix, e.g. "Annet (Privat)": unique within a consultation."""
        return self.as_category.label


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("consultation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default=QuestionKind.SCALE_TEXT)
    required: Mapped[bool] = mapped_column(default=False)
    help_text: Mapped[str] = mapped_column(Text, default="")
    # From imported compiled documents: "N andre instanser … har ikke svart", kept to check counts.
    stated_not_answered: Mapped[int | None] = mapped_column()
    # The options of a choice question (`Options.as_json`); read them as `options`.
    options_json: Mapped[dict[str, Any] | None] = mapped_column("options", JSON(none_as_null=True))

    consultation: Mapped[Consultation] = relationship(back_populates="questions")

    @property
    def question_kind(self) -> QuestionKind:
        return QuestionKind(self.kind)

    @property
    def options(self) -> Options:
        return Options.from_json(self.options_json)


@event.listens_for(Session, "before_flush")
def _touch_consultation_on_change(session: Session, _context: Any, _instances: Any) -> None:
    """A changed, added or removed question or category moves its consultation's `updated_at`.

    `updated_at` is then a version of everything the response form is built from, which lets
    every worker process cache that form (hearing.services.form_shapes) and notice a change on
    its next request by comparing one column it reads anyway.
    """
    changed = chain(
        session.new,
        session.deleted,
        (item for item in session.dirty if session.is_modified(item, include_collections=False)),
    )
    with session.no_autoflush:
        for item in changed:
            if not isinstance(item, Question | RespondentCategory):
                continue
            # An item removed from `consultation.questions` has lost the relationship, not the id.
            consultation = item.consultation
            if consultation is None and item.consultation_id is not None:
                consultation = session.get(Consultation, item.consultation_id)
            if consultation is not None and consultation not in session.deleted:
                consultation.updated_at = utcnow()
