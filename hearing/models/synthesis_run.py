"""Stored synthesis runs, their results in parts, their steps, and the analysts' edits to themes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hearing.extensions import db
from hearing.models.types import UTCDateTime, utcnow


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class RunScope(StrEnum):
    """Which answers a run analyses: all submitted, visible ones (the secretariat's pages), or
    only the publishable ones (`synthesis.publishable`), the only results a publication uses."""

    INTERNAL = "internal"
    PUBLIC = "public"


class SynthesisRun(db.Model):
    __tablename__ = "synthesis_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.QUEUED)
    scope: Mapped[str] = mapped_column(String(20), default=RunScope.INTERNAL)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    input_hash: Mapped[str] = mapped_column(String(64), default="")
    progress: Mapped[int] = mapped_column(default=0)  # percent
    stage: Mapped[str] = mapped_column(String(40), default="")
    timings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Before format 3 the whole result; since, its outline only (`hearing.services.run_results`),
    # the rest in `SynthesisRunPart` rows. None: no result (not done, or discarded).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Times a worker started the run: the task queue gives a run whose worker died to another
    # worker, which starts it once more (`hearing.services.run_execution`).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Unused since the task queue notices dead workers itself; kept so no migration drops data.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SynthesisRunPart(db.Model):
    """One stored piece of a run's result: a stage of one question (or of the whole run, with
    `question_code` ""), in numbered chunks where it holds a list per answer. `payload` is
    zlib-compressed JSON (`hearing.services.run_results`), so no value grows with the whole run."""

    __tablename__ = "synthesis_run_parts"
    __table_args__ = (
        UniqueConstraint(
            "run_id", "question_code", "stage", "chunk", name="uq_synthesis_run_parts_part"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("synthesis_runs.id", ondelete="CASCADE"))
    question_code: Mapped[str] = mapped_column(String(20), default="")
    stage: Mapped[str] = mapped_column(String(40))
    chunk: Mapped[int] = mapped_column(default=0)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StepStatus(StrEnum):
    WAITING = "waiting"  # the finishing step, until every question is done
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class SynthesisRunStep(db.Model):
    """One task of a run on the queue: a question's duplicates and themes, or the finishing
    step. Counts its attempts (a task whose worker died is delivered again, once), its progress
    and its timings (`hearing.services.run_steps`)."""

    __tablename__ = "synthesis_run_steps"
    __table_args__ = (UniqueConstraint("run_id", "step", name="uq_synthesis_run_steps_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("synthesis_runs.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=StepStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    progress: Mapped[int] = mapped_column(default=0, server_default="0")  # percent
    timings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ThemeEdit(db.Model):
    """One human edit to the themes of a question; re-applied after every re-run."""

    __tablename__ = "theme_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    question_code: Mapped[str] = mapped_column(String(20))
    edit: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
