"""The outbox's life: queue a message, send it once, retry it with back-off, show and resend.

Queueing only adds a row (the caller commits); `dispatch` then hands the new ids to the task
queue, whose `deliver_mail` actor calls `deliver`. Delivery claims the row first (queued →
sending, one UPDATE that only one worker can win), composes and sends outside any transaction,
and records the outcome. A temporary failure waits `MAIL_RETRY_SECONDS` × 2^(attempts − 1) and
is tried again, by a delayed task and by `hearing send-mail` (cron), which also picks up
messages whose task was lost (an embedded queue dies with its web process) or that waited for
a server to be configured. A worker that died mid-send leaves its claim; after
`STALE_CLAIM` the message is queued again: e-mail is sent at least once, rarely twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, or_, select, update

from hearing.extensions import db
from hearing.models import MessageKind, MessageStatus, OutboxMessage
from hearing.models.types import utcnow
from hearing.services import mail, mail_compose

STALE_CLAIM = timedelta(minutes=15)
DUE_BATCH = 200
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt did; `retry_in` is set when another attempt is due later."""

    status: str
    retry_in: timedelta | None = None


def enqueue(
    kind: MessageKind,
    to_address: str,
    *,
    language: str,
    params: dict[str, Any] | None = None,
    consultation_id: int | None = None,
    submission_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Add a message to the outbox (flush only). With a `dedupe_key` already used, nothing is
    added and None is returned: the purpose was served before."""
    if dedupe_key is not None:
        existing = db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if existing is not None:
            return None
    message = OutboxMessage(
        kind=kind,
        to_address=to_address,
        language=language,
        params=params or {},
        consultation_id=consultation_id,
        submission_id=submission_id,
        dedupe_key=dedupe_key,
        max_attempts=int(current_app.config["MAIL_MAX_ATTEMPTS"]),
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def is_configured() -> bool:
    return mail.SmtpSettings.from_config(current_app.config) is not None


def dispatch(message_ids: list[int]) -> None:
    """Hand committed messages to the task queue. Without a server configured there is nothing
    a worker could do; a broker that is down leaves them for `hearing send-mail`."""
    from hearing import tasks

    if not message_ids or not is_configured():
        return
    for message_id in message_ids:
        try:
            tasks.send(tasks.DELIVER_MAIL, message_id)
        except tasks.QueueUnavailable:
            log.warning("mail %s stays in the outbox: the task queue is unavailable", message_id)
            return


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: the base, doubled each time."""
    base = float(current_app.config["MAIL_RETRY_SECONDS"])
    return timedelta(seconds=base * 2 ** max(0, attempts - 1))


def deliver(message_id: int, now: datetime | None = None) -> Outcome | None:
    """Try to send one message, if it is due and nobody else is sending it. Commits.

    Returns None when there was nothing to do (no server, not due, claimed elsewhere, gone)."""
    settings = mail.SmtpSettings.from_config(current_app.config)
    if settings is None:
        return None
    now = now or utcnow()
    if not _claim(message_id, now):
        return None
    message = db.session.get(OutboxMessage, message_id)
    if message is None:  # erased between the claim and here
        return None
    try:
        composed = mail_compose.compose(message)
    except Exception as error:  # a bug or missing data must not leave the claim standing
        db.session.rollback()
        log.exception("mail %s could not be composed", message_id)
        return _record_failure(message_id, f"{type(error).__name__}: {error}", True, now)
    if composed is None:
        message.status = MessageStatus.SKIPPED
        message.claimed_at = None
        db.session.commit()
        return Outcome(MessageStatus.SKIPPED)
    message.subject = composed.subject[:300]
    email = mail.build_message(
        settings, message.to_address, composed.subject, composed.body, message.language
    )
    db.session.commit()  # the subject; and no transaction stays open while the server talks
    try:
        mail.send(settings, email)
    except mail.DeliveryFailed as error:
        return _record_failure(message_id, str(error), error.permanent, now)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            status=MessageStatus.SENT,
            sent_at=utcnow(),
            attempts=OutboxMessage.attempts + 1,
            last_error="",
            claimed_at=None,
        )
    )
    db.session.commit()
    return Outcome(MessageStatus.SENT)


def _claim(message_id: int, now: datetime) -> bool:
    """queued and due (or claimed long ago by a worker that died) → sending; True if won."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now))
        .values(status=MessageStatus.SENDING, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(claimed.rowcount)


def _claimable(now: datetime) -> Any:
    due = and_(OutboxMessage.status == MessageStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
    stale = and_(
        OutboxMessage.status == MessageStatus.SENDING,
        OutboxMessage.claimed_at <= now - STALE_CLAIM,
    )
    return or_(due, stale)


def _record_failure(message_id: int, detail: str, permanent: bool, now: datetime) -> Outcome:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        return Outcome(MessageStatus.FAILED)
    message.attempts += 1
    message.last_error = detail[:2000]
    message.claimed_at = None
    retry_in = None
    if permanent or message.attempts >= message.max_attempts:
        message.status = MessageStatus.FAILED
    else:
        retry_in = backoff(message.attempts)
        message.status = MessageStatus.QUEUED
        message.next_attempt_at = now + retry_in
    db.session.commit()
    log.warning("mail %s not sent (attempt %s): %s", message_id, message.attempts, detail)
    return Outcome(message.status, retry_in)


def deliver_due(now: datetime | None = None) -> dict[str, int]:
    """Send every message that is due now, one after the other (`hearing send-mail`); counts
    of outcomes. Messages claimed by a live worker are left to it."""
    now = now or utcnow()
    counts: dict[str, int] = {}
    if not is_configured():
        return counts
    due = db.session.scalars(
        select(OutboxMessage.id)
        .where(_claimable(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(DUE_BATCH)
    ).all()
    for message_id in due:
        outcome = deliver(message_id, now)
        if outcome is not None:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts


def resend(message: OutboxMessage) -> None:
    """Queue a message again from the start (the admin page's "send again"; flush only)."""
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claimed_at = None
    message.last_error = ""
    db.session.flush()


def purge_finished(retention_days: int, now: datetime | None = None) -> int:
    """Delete sent, failed and skipped messages older than `retention_days` (flush only): the
    outbox is a queue, not an archive of addresses."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    finished = (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.SKIPPED)
    result = db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.status.in_(finished), OutboxMessage.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
