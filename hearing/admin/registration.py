"""Responses the secretariat types in: a letter or e-mail registered by hand, and corrections
to a registered response later (each keeps the previous version and is audited by the names of
the fields it changed, never their contents)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from babel import dates
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forms.registration import LetterRegistration, oslo_day, registration_form_class
from forms.response import new_idempotency_key, new_response_form
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404, submission_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, Role, Submission
from hearing.models.types import utcnow
from hearing.public.pages import DATE_LOCALES, category_choices, oslo_time
from hearing.services import responses
from hearing.services.consultations import status_label
from hearing.services.form_shapes import form_shape

CORRECTED = "submission.correct"
# The respondent's fields a correction names, as the response page says them.
FIELD_LABELS = {
    "respondent_name": _l("Avsender"),
    "category_id": _l("Kategori"),
    "on_behalf_of": _l("På vegne av"),
    "email": _l("E-postadresse"),
    "consent": _l("Publisering"),
    "received_at": _l("Mottatt dato"),
}


def registration_form(consultation: Consultation) -> LetterRegistration:
    """The secretariat's form for this consultation (its class made once per form shape)."""
    shape = form_shape(consultation)
    form_class = shape.per_locale(  # the class is the same in every language
        ("registration_form_class", ""), lambda: registration_form_class(shape.form_class)
    )
    form = new_response_form(form_class, category_choices(consultation), require_email=False)
    return cast(LetterRegistration, form)


@bp.route("/consultations/<slug>/submissions/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_submission(slug: str) -> ResponseReturnValue:
    """A response that came by letter or e-mail; a repeated POST of one form registers it once."""
    consultation = consultation_or_404(slug)
    form = registration_form(consultation)
    if request.method == "GET":
        form.idempotency_key.data = new_idempotency_key()
    else:
        key = form.fill_idempotency_key()
        existing = responses.find_by_idempotency_key(consultation, key)
        if existing is not None:
            return redirect(url_for("admin.submission", slug=slug, submission_id=existing.id))
        valid = form.validate_on_submit()
        complete = form.check_complete()  # run both, so every error shows at once
        if valid and complete:
            created = responses.register_by_hand(
                consultation, form.content(), utcnow(), key, received_on=form.received_day
            )
            audit.record(
                "submission.register",
                target=created,
                consultation_id=consultation.id,
                reference=created.reference,
            )
            db.session.commit()
            flash(
                _("Svaret er registrert med referanse %(ref)s.", ref=created.reference), "success"
            )
            return redirect(url_for("admin.submission", slug=slug, submission_id=created.id))
    return _form_page(consultation, form, None)


@bp.route("/consultations/<slug>/submissions/<int:submission_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def correct_submission(slug: str, submission_id: int) -> ResponseReturnValue:
    """Correct a response the secretariat registered; a web response is the respondent's."""
    consultation = consultation_or_404(slug)
    found = submission_or_404(consultation, submission_id)
    if not responses.is_registered(found):
        abort(404)
    form = registration_form(consultation)
    back = url_for("admin.submission", slug=slug, submission_id=found.id)
    if request.method == "GET":
        form.load(responses.content_of(found))
        form.received_on.data = oslo_day(found.response_date)
    else:
        valid = form.validate_on_submit()
        complete = form.check_complete()
        if valid and complete:
            correction = responses.correct_registered(found, form.content(), form.received_day)
            if correction is None:
                flash(_("Ingenting er endret."), "info")
                return redirect(back)
            audit.record(
                CORRECTED,
                target=found,
                consultation_id=consultation.id,
                reference=found.reference,
                version=correction.version,
                fields=list(correction.fields),
                questions=list(correction.questions),
            )
            db.session.commit()
            flash(_("Svaret er rettet. Versjonen før rettelsen er tatt vare på."), "success")
            return redirect(back)
    return _form_page(consultation, form, found)


def _form_page(
    consultation: Consultation, form: LetterRegistration, corrected: Submission | None
) -> tuple[str, int]:
    page = render_template(
        "admin/submission_form.html",
        consultation=consultation,
        form=form,
        corrected=corrected,
        status_label=status_label,
    )
    return page, 422 if form.errors else 200


def corrections_of(submission: Submission) -> dict[int, AuditEvent]:
    """The audited corrections of a response, by the number of the version each one kept."""
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == CORRECTED,
            AuditEvent.target_type == Submission.__name__,
            AuditEvent.target_id == str(submission.id),
        )
    )
    return {event.details["version"]: event for event in events if "version" in event.details}


def changed_parts(event: AuditEvent) -> list[str]:
    """What a correction changed, in the reader's words ("Avsender", "Spørsmål 2")."""
    fields = [str(FIELD_LABELS.get(name, name)) for name in event.details.get("fields", [])]
    questions = [_("Spørsmål %(code)s", code=code) for code in event.details.get("questions", [])]
    return fields + questions


@bp.app_template_filter("response_date")
def response_date(submission: Submission) -> str:
    """A response's date as the secretariat reads it: the day a letter came, or the moment a
    response was sent."""
    if submission.received_at is not None:
        return received_day(submission.received_at)
    return oslo_time(submission.submitted_at)


@bp.app_template_filter("received_day")
def received_day(received_at: datetime | str) -> str:
    """The day a letter came, "12. mars 2025" (from a version's copy, an ISO string)."""
    moment = datetime.fromisoformat(received_at) if isinstance(received_at, str) else received_at
    locale = str(get_locale())
    return dates.format_date(oslo_day(moment), "long", locale=DATE_LOCALES.get(locale, locale))
