"""What each secretariat user wants to hear about new responses, by e-mail."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hearing.extensions import db
from hearing.models.types import UTCDateTime


class NoticeChoice(StrEnum):
    """A notice per new response, one digest a day, or nothing."""

    EACH = "each"
    DAILY = "daily"
    NONE = "none"


# A user who never opened the settings page gets the daily digest: a secretariat should learn
# that responses arrive without having to ask, and one message a day is not a flood.
DEFAULT_NOTICE = NoticeChoice.DAILY


class MailPreference(db.Model):
    """A user's choice; no row means `DEFAULT_NOTICE` in the default language."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    new_responses: Mapped[str] = mapped_column(String(20), default=DEFAULT_NOTICE)
    language: Mapped[str] = mapped_column(String(5), default="nb")
    # The end of the window the last digest counted: the next one counts from here.
    digest_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
