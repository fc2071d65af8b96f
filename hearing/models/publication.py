"""Published editions of a consultation's summary: what the public sees, frozen when published.

Publishing is a deliberate act that makes a `Publication` (numbered per consultation) with the
public summary frozen in each language (`PublishedSummary`). The public page and every download
are rendered from that frozen summary, never from the live data: a later synthesis run, a theme
edit or a change to the consultation does not silently alter what is public. The secretariat
republishes to show those (a new number); hiding or erasing a response republishes at once.

Only the current publication is served. A superseded or withdrawn one keeps its facts for the
record (who, when, which run, how many responses, why withdrawn) but its frozen summaries are
deleted, so an erased respondent does not linger in an old edition.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hearing.extensions import db
from hearing.models.types import UTCDateTime, utcnow


class PublicationStatus(StrEnum):
    CURRENT = "current"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class Publication(db.Model):
    __tablename__ = "publications"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=PublicationStatus.CURRENT)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("synthesis_runs.id", ondelete="SET NULL"))
    # What the edition was built from, to tell when it is out of date.
    input_hash: Mapped[str] = mapped_column(String(64), default="")
    theme_edit_watermark: Mapped[int] = mapped_column(default=0)
    consultation_version: Mapped[datetime | None] = mapped_column(UTCDateTime)
    count_refused_positions: Mapped[bool] = mapped_column(default=False)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was made (e.g. an erasure)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str] = mapped_column(String(254), default="")
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")

    summaries: Mapped[list[PublishedSummary]] = relationship(
        back_populates="publication", cascade="all, delete-orphan"
    )


class PublishedSummary(db.Model):
    """The public summary of one publication in one language, as compressed JSON."""

    __tablename__ = "published_summaries"
    __table_args__ = (UniqueConstraint("publication_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(5))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    publication: Mapped[Publication] = relationship(back_populates="summaries")
