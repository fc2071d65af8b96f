"""The address of a published response's own page: an id that names nothing.

regjeringen.no publishes every høringssvar as a document of its own; here each published
response has a page under a random id. The id says nothing about the response (the reference
and the private link stay private, and an anonymous response cannot be traced back by
someone who knows its receipt), cannot be guessed from its neighbours, and is kept from one
edition to the next, so a link to a response stays good after a republication.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hearing.extensions import db
from hearing.models.types import UTCDateTime, utcnow

PAGE_ID_BYTES = 9  # 72 random bits: twelve URL-safe characters


def new_page_id() -> str:
    return secrets.token_urlsafe(PAGE_ID_BYTES)


class ResponsePage(db.Model):
    __tablename__ = "response_pages"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    page_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_page_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
