"""The mail a response causes: its receipt, the secretariat's notices, links sent again.

`after_submit` runs after the response form's submit has been committed, so mail can never cost
a respondent their response: any trouble here is logged and the response stands. It queues the
receipt the respondent asked for and a notice to each secretariat user who wants one per
response. Daily digests are queued by `queue_digests` (`hearing send-digests`, from cron).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from hearing.caching import BoundedCache, app_cache
from hearing.extensions import db
from hearing.models import (
    MailPreference,
    MessageKind,
    NoticeChoice,
    Submission,
    User,
)
from hearing.models.mail_preference import DEFAULT_NOTICE
from hearing.services import outbox
from hearing.services.mail_compose import base_url, new_responses_by_consultation
from hearing.services.references import hash_token

log = logging.getLogger(__name__)
NOTICE_CACHE = "hearing_notice_each"
NOTICE_CACHE_SECONDS = 60


def after_submit(consultation_id: int, token: str, *, first: bool, receipt: bool) -> None:
    """Mail for a submit that has been committed (`first`: not an edit of a submitted
    response; `receipt`: the respondent ticked the box). Commits its own work, never raises."""
    try:
        queued = _queue_for_submit(consultation_id, token, first, receipt)
        if queued:
            db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("mail for a response to consultation %s was not queued", consultation_id)
        return
    outbox.dispatch(queued)


def _queue_for_submit(consultation_id: int, token: str, first: bool, receipt: bool) -> list[int]:
    notified = users_notified_of_each() if first else []
    if not (notified or receipt):
        return []
    found = db.session.execute(
        select(Submission.id, Submission.email).where(
            Submission.resume_token_hash == hash_token(token)
        )
    ).one()
    queued = []
    common = {"consultation_id": consultation_id, "submission_id": found.id}
    if receipt and found.email:
        message = outbox.enqueue(
            MessageKind.RECEIPT,
            found.email,
            language=str(get_locale()),
            params={"base_url": base_url()},
            **common,
        )
        queued.append(message)
    for address, language in notified:
        message = outbox.enqueue(
            MessageKind.NEW_RESPONSE,
            address,
            language=language,
            params={"base_url": base_url()},
            **common,
        )
        queued.append(message)
    return [message.id for message in queued if message is not None]


def users_notified_of_each() -> list[tuple[str, str]]:
    """(address, language) of active users who chose a notice per new response.

    Asked on every submit, so each worker process keeps the answer for the current minute: a
    choice made on the settings page takes effect within a minute, and the busiest request
    does not pay a query for it."""
    minute = int(time.monotonic() // NOTICE_CACHE_SECONDS)
    cache: BoundedCache[list[tuple[str, str]]] = app_cache(NOTICE_CACHE, 2)
    return cache.get_or_make(minute, _users_notified_of_each)


def _users_notified_of_each() -> list[tuple[str, str]]:
    return [
        (email, language)
        for email, language in db.session.execute(
            select(User.email, MailPreference.language)
            .join(MailPreference, MailPreference.user_id == User.id)
            .where(User.active, MailPreference.new_responses == NoticeChoice.EACH)
        )
    ]


def preference_of(user: User) -> MailPreference:
    """The user's stored choice, or the default one (not added to the session)."""
    stored = db.session.get(MailPreference, user.id)
    if stored is not None:
        return stored
    return MailPreference(
        user_id=user.id,
        new_responses=DEFAULT_NOTICE,
        language=current_app.config["BABEL_DEFAULT_LOCALE"],
    )


def queue_digests(now: datetime) -> list[int]:
    """One digest a day per active user who wants one, counting the responses submitted since
    their last digest (flush only). Run as often as you like: a user gets one digest per day
    (Norwegian date), and a day without new responses sends nothing."""
    day = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date().isoformat()
    queued = []
    for user in db.session.scalars(select(User).where(User.active).order_by(User.id)):
        preference = preference_of(user)
        if preference.new_responses != NoticeChoice.DAILY:
            continue
        since = preference.digest_until or now - timedelta(days=1)
        if not new_responses_by_consultation(since, now):
            continue
        message = outbox.enqueue(
            MessageKind.DIGEST,
            user.email,
            language=preference.language,
            params={
                "user_id": user.id,
                "since": since.isoformat(),
                "until": now.isoformat(),
                "base_url": base_url(),
            },
            dedupe_key=f"digest:{user.id}:{day}",
        )
        if message is None:  # today's digest went already: its window stays where it ended
            continue
        preference.digest_until = now
        db.session.merge(preference)
        queued.append(message.id)
    db.session.flush()
    return queued
