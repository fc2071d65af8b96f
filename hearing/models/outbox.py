"""The outbox: every e-mail the tool sends is a row here first, then the worker sends it.

A message is stored as what it is about (its kind and parameters: a submission, a consultation,
an invitee), not as finished text: the text is written when the message is sent, in the
recipient's language, from what is in the database then. So the database never holds a private
link in clear (receipts and "send me my link again" unseal it at the last moment, see
hearing.services.private_links), a message can be sent again from the admin page, and erasing a
respondent erases the messages about them (ON DELETE CASCADE).

Status: queued → sending → sent; on a temporary failure back to queued with a later
`next_attempt_at` (exponential back-off) until `max_attempts`, then failed; a permanent refusal
(an SMTP 5xx) fails at once. Skipped: there was nothing to send (a link request for an address
with no responses), which the requester is never told.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hearing.extensions import db
from hearing.models.types import UTCDateTime, utcnow


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class MessageKind(StrEnum):
    """What a message is about; each kind has its composer in hearing.services.mail_compose."""

    RECEIPT = "receipt"  # a respondent's copy of the answers with the private link
    LINKS = "links"  # "send me my link again": the private links of an address
    NEW_RESPONSE = "new_response"  # a secretariat user's notice of one new response
    DIGEST = "digest"  # a secretariat user's daily count of new responses
    INVITATION = "invitation"  # an invited body's invitation to answer
    REMINDER = "reminder"  # an invited body that has not answered, before the deadline


# Kinds whose text holds a private link: their text is never shown on the admin page.
PRIVATE_KINDS = frozenset({MessageKind.RECEIPT, MessageKind.LINKS})


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    to_address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default="nb")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # One message per purpose where that matters ("reminder:17", "digest:3:2026-11-28"): a
    # second attempt to queue it finds the first (commands run from cron must be idempotent).
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    subject: Mapped[str] = mapped_column(String(300), default="")  # as last composed
    status: Mapped[str] = mapped_column(String(20), default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=6)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    # The respondent a message is about: erasing the submission erases its messages.
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )

    @property
    def is_private(self) -> bool:
        return self.kind in PRIVATE_KINDS
