"""The text of each kind of message, written when it is sent, in the recipient's language.

A composer reads what the message is about from the database as it is now and returns the
subject and plain-text body, or None when there is nothing to send any more (the response was
erased, the invitee answered before its reminder went, no response has the address a link was
asked for). Bodies are Jinja templates under templates/mail/, rendered from the app's
environment without a request (no request-bound context processors, no `url_for`: links are
built from the base URL stored when the message was queued).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from hearing.extensions import db
from hearing.models import (
    Consultation,
    Invitee,
    MessageKind,
    OutboxMessage,
    Submission,
    SubmissionStatus,
    User,
)
from hearing.models.types import utcnow
from hearing.services import private_links, responses
from hearing.services.form_shapes import form_shape

# Where `make run` serves: the base of links composed outside a request without
# PUBLIC_BASE_URL (commands on a developer's machine).
LOCAL_BASE_URL = "http://127.0.0.1:5000/"


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str


def base_url() -> str:
    """The address links in messages start with: the setting, else this request's."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return str(configured).rstrip("/") + "/"
    if has_request_context():
        return request.url_root
    return LOCAL_BASE_URL


def compose(message: OutboxMessage) -> Composed | None:
    with force_locale(message.language):
        return COMPOSERS[MessageKind(message.kind)](message)


def render_text(template: str, **context: Any) -> str:
    return current_app.jinja_env.get_template(template).render(**context).strip() + "\n"


def _link(message: OutboxMessage, endpoint: str, **values: object) -> str:
    base = message.params.get("base_url") or base_url()
    return private_links.external_url(base, endpoint, **values)


def _receipt(message: OutboxMessage) -> Composed | None:
    submission = db.session.get(Submission, message.submission_id or 0)
    if submission is None or submission.status != SubmissionStatus.SUBMITTED:
        return None
    consultation = submission.consultation
    token = private_links.token_of(submission)
    content = responses.content_of(submission)
    category = form_shape(consultation).categories_by_id.get(submission.category_id or 0)
    accepting = consultation.is_accepting_responses(utcnow())
    body = render_text(
        "mail/receipt.txt",
        consultation=consultation,
        submission=submission,
        category_label=category.label if category else "",
        rows=responses.answer_rows(consultation, content.answers),
        link=_link(message, "public.resume", slug=consultation.slug, token=token)
        if token
        else None,
        accepting=accepting,
    )
    subject = _("Kvittering for høringssvaret ditt: %(title)s", title=consultation.title)
    return Composed(subject, body)


def _links(message: OutboxMessage) -> Composed | None:
    consultation = db.session.get(Consultation, message.consultation_id or 0)
    if consultation is None:
        return None
    base = message.params.get("base_url") or base_url()
    links = private_links.links_for_address(consultation.id, message.to_address, base)
    if not links:
        return None
    body = render_text("mail/links.txt", consultation=consultation, links=links)
    subject = _("Lenken til svaret ditt: %(title)s", title=consultation.title)
    return Composed(subject, body)


def _new_response(message: OutboxMessage) -> Composed | None:
    submission = db.session.get(Submission, message.submission_id or 0)
    if submission is None or submission.status != SubmissionStatus.SUBMITTED:
        return None
    consultation = submission.consultation
    category = form_shape(consultation).categories_by_id.get(submission.category_id or 0)
    link = _link(message, "admin.submission", slug=consultation.slug, submission_id=submission.id)
    body = render_text(
        "mail/new_response.txt",
        consultation=consultation,
        submission=submission,
        category_label=category.label if category else "",
        link=link,
    )
    subject = _("Nytt høringssvar: %(title)s", title=consultation.title)
    return Composed(subject, body)


def _digest(message: OutboxMessage) -> Composed | None:
    since = datetime.fromisoformat(message.params["since"])
    until = datetime.fromisoformat(message.params["until"])
    rows = new_responses_by_consultation(since, until)
    if not rows:
        return None
    user = db.session.get(User, message.params.get("user_id", 0))
    if user is None or not user.active:
        return None
    counts = [
        (title, count, _link(message, "admin.submissions", slug=slug))
        for title, slug, count in rows
    ]
    body = render_text("mail/digest.txt", counts=counts, since=since, until=until)
    total = sum(count for _title, count, _url in counts)
    subject = _("Nye høringssvar siden sist: %(count)d", count=total)
    return Composed(subject, body)


def new_responses_by_consultation(since: datetime, until: datetime) -> list[tuple[str, str, int]]:
    """(title, slug, count) of responses first submitted in (since, until], by consultation."""
    return [
        (title, slug, count)
        for title, slug, count in db.session.execute(
            select(Consultation.title, Consultation.slug, func.count(Submission.id))
            .join(Submission, Submission.consultation_id == Consultation.id)
            .where(
                Submission.status == SubmissionStatus.SUBMITTED,
                Submission.submitted_at > since,
                Submission.submitted_at <= until,
            )
            .group_by(Consultation.id, Consultation.title, Consultation.slug)
            .order_by(Consultation.title)
        )
    ]


def _invitation(message: OutboxMessage) -> Composed | None:
    invitee = db.session.get(Invitee, message.params.get("invitee_id", 0))
    if invitee is None:
        return None
    consultation = invitee.consultation
    body = render_text(
        "mail/invitation.txt",
        consultation=consultation,
        invitee=invitee,
        link=_link(message, "public.consultation", slug=consultation.slug),
        reminder=message.kind == MessageKind.REMINDER,
    )
    if message.kind == MessageKind.REMINDER:
        subject = _("Påminnelse om høring: %(title)s", title=consultation.title)
    else:
        subject = _("Invitasjon til å svare på høring: %(title)s", title=consultation.title)
    return Composed(subject, body)


def _reminder(message: OutboxMessage) -> Composed | None:
    """An invitation again, unless the body has answered or the consultation is closed."""
    from hearing.services.invitees import may_have_answered

    invitee = db.session.get(Invitee, message.params.get("invitee_id", 0))
    if invitee is None or may_have_answered(invitee):
        return None
    if not invitee.consultation.is_accepting_responses(utcnow()):
        return None
    return _invitation(message)


COMPOSERS: dict[MessageKind, Callable[[OutboxMessage], Composed | None]] = {
    MessageKind.RECEIPT: _receipt,
    MessageKind.LINKS: _links,
    MessageKind.NEW_RESPONSE: _new_response,
    MessageKind.DIGEST: _digest,
    MessageKind.INVITATION: _invitation,
    MessageKind.REMINDER: _reminder,
}
