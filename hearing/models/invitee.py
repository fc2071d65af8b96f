"""The høringsliste: the bodies a consultation invites to answer, and whether they did.

An invitee is matched to the response it gave: by organisation number when the respondent gave
one (`SubmissionOrgNumber`, an optional field of the response form), otherwise proposed by name
and confirmed by the secretariat. Invitees are organisations, whose names are public; one marked
as a private person is never listed in public.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hearing.extensions import db
from hearing.models.consultation import Consultation
from hearing.models.submission import Submission
from hearing.models.types import UTCDateTime, utcnow


class MatchStatus(StrEnum):
    """None found; proposed by name (the secretariat confirms or rejects); confirmed.

    Only NONE and CONFIRMED (a response the secretariat linked) are stored on an invitee:
    matches by organisation number and proposals by name are worked out when asked, from the
    responses as they are then (hearing.services.invitees.statuses)."""

    NONE = "none"
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"


class MatchMethod(StrEnum):
    ORG_NUMBER = "org_number"
    NAME = "name"
    MANUAL = "manual"


class Invitee(db.Model):
    __tablename__ = "invitees"
    # An organisation number is on the list once; bodies without one are told apart by name.
    __table_args__ = (UniqueConstraint("consultation_id", "org_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    org_number: Mapped[str | None] = mapped_column(String(9))
    email: Mapped[str] = mapped_column(String(254), default="")
    category: Mapped[str] = mapped_column(String(200), default="")
    private_person: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"), index=True
    )
    match_status: Mapped[str] = mapped_column(String(20), default=MatchStatus.NONE)
    match_method: Mapped[str] = mapped_column(String(20), default="")
    # Responses the secretariat said are not this body's: never proposed again.
    rejected_submission_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    consultation: Mapped[Consultation] = relationship()
    submission: Mapped[Submission | None] = relationship()


class InvitationSettings(db.Model):
    """A consultation's choices about its list: when to remind, and whether to name in public
    the invited bodies that have not answered. No row: no reminder, not listed."""

    __tablename__ = "invitation_settings"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    reminder_days_before: Mapped[int | None] = mapped_column()
    list_not_answered: Mapped[bool] = mapped_column(default=False)


class SubmissionOrgNumber(db.Model):
    """The organisation number a respondent gave on the form (optional, checked by mod 11)."""

    __tablename__ = "submission_org_numbers"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    org_number: Mapped[str] = mapped_column(String(9), index=True)
