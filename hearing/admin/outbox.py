"""The outbox for admins (every message with its status, resend) and each user's notice choice.

Messages that hold a private link (receipts, links sent again) show who they go to and how they
fared, never their text: the secretariat must not be able to open a respondent's response as
the respondent.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from forms.mail import NoticeSettingsForm
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Consultation, MessageKind, MessageStatus, OutboxMessage, Role
from hearing.services import outbox
from hearing.services.response_mail import preference_of

PAGE_SIZE = 200
STATUS_LABELS = {
    MessageStatus.QUEUED: _l("I kø"),
    MessageStatus.SENDING: _l("Sendes"),
    MessageStatus.SENT: _l("Sendt"),
    MessageStatus.FAILED: _l("Feilet"),
    MessageStatus.SKIPPED: _l("Ikke sendt (ingenting å sende)"),
}
KIND_LABELS = {
    MessageKind.RECEIPT: _l("Kvittering"),
    MessageKind.LINKS: _l("Lenker sendt på nytt"),
    MessageKind.NEW_RESPONSE: _l("Varsel om nytt svar"),
    MessageKind.DIGEST: _l("Daglig oversikt"),
    MessageKind.INVITATION: _l("Invitasjon"),
    MessageKind.REMINDER: _l("Påminnelse"),
}


@bp.route("/outbox")
@roles_required(Role.ADMIN)
def outbox_page() -> str:
    wanted = request.args.get("status", "")
    query = (
        select(OutboxMessage, Consultation.title)
        .outerjoin(Consultation, Consultation.id == OutboxMessage.consultation_id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(PAGE_SIZE)
    )
    if wanted in STATUS_LABELS:
        query = query.where(OutboxMessage.status == wanted)
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    return render_template(
        "admin/outbox.html",
        messages=db.session.execute(query).all(),
        counts=counts,
        wanted=wanted,
        status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS,
        configured=outbox.is_configured(),
        page_size=PAGE_SIZE,
    )


@bp.route("/outbox/<int:message_id>/resend", methods=["POST"])
@roles_required(Role.ADMIN)
def resend_message(message_id: int) -> Response:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    outbox.resend(message)
    audit.record(
        "mail.resend",
        target=message,
        consultation_id=message.consultation_id,
        kind=message.kind,
    )
    db.session.commit()
    outbox.dispatch([message.id])
    flash(_("Meldingen er lagt i køen igjen."), "success")
    return redirect(url_for("admin.outbox_page", status=request.args.get("status", "")))


@bp.route("/mail-settings", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.ANALYST)
def mail_settings() -> str | Response:
    preference = preference_of(current_user)
    form = NoticeSettingsForm(obj=preference)
    if form.validate_on_submit():
        preference.new_responses = form.new_responses.data
        preference.language = form.language.data
        db.session.merge(preference)
        audit.record("mail.preference", target=current_user, choice=form.new_responses.data)
        db.session.commit()
        flash(_("Valget ditt er lagret."), "success")
        return redirect(url_for("admin.mail_settings"))
    return render_template(
        "admin/mail_settings.html",
        form=form,
        email=current_user.email,
        configured=bool(current_app.config.get("MAIL_SERVER")),
    )
