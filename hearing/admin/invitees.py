"""A consultation's høringsliste: import or add the invited bodies, send the invitations,
see who has answered (confirming name matches), choose the reminder and the public listing.

Everyone in the secretariat reads the list; admins change it.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forms.invitees import (
    MATCH_ACTIONS,
    InvitationSettingsForm,
    InviteeForm,
    InviteeMatchForm,
    InviteeUploadForm,
)
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.imports import messages
from hearing.imports.csv_decode import is_unicode_text
from hearing.imports.format_error import LongFormatError
from hearing.imports.invitee_file import RowProblem, read_invitee_file
from hearing.imports.limits import ImportLimits, LimitExceeded
from hearing.models import Consultation, Invitee, MatchMethod, MatchStatus, Role
from hearing.models.types import utcnow
from hearing.services import invitees, outbox
from hearing.services.mail_compose import base_url
from synthesis import org_number

READERS = (Role.ADMIN, Role.ANALYST)
_XLSX_MAGIC = b"PK\x03\x04"


def _page(
    consultation: Consultation,
    *,
    upload: InviteeUploadForm | None = None,
    add: InviteeForm | None = None,
    settings_form: InvitationSettingsForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    found = invitees.statuses(consultation)
    settings = invitees.settings_or_default(consultation)
    groups = {
        key: [s for s in found if s.status == key]
        for key in (MatchStatus.NONE, MatchStatus.PROPOSED, MatchStatus.CONFIRMED)
    }
    page = render_template(
        "admin/invitees.html",
        consultation=consultation,
        groups=groups,
        total=len(found),
        uninvited=sum(1 for s in found if s.invitee.email and not s.invitee.invited_at),
        upload=upload or InviteeUploadForm(),
        add=add or InviteeForm(),
        settings_form=settings_form or InvitationSettingsForm(obj=settings),
        match_form=InviteeMatchForm(),
        problems=problems or [],
        reminders_due=invitees.reminders_due(consultation, utcnow()),
        mail_configured=outbox.is_configured(),
    )
    return page, status


@bp.route("/consultations/<slug>/invitees")
@roles_required(*READERS)
def invitees_page(slug: str) -> tuple[str, int]:
    return _page(consultation_or_404(slug))


@bp.route("/consultations/<slug>/invitees/upload", methods=["POST"])
@roles_required(Role.ADMIN)
def invitees_upload(slug: str) -> Response | tuple[str, int]:
    consultation = consultation_or_404(slug)
    form = InviteeUploadForm()
    if not form.validate_on_submit():
        return _page(consultation, upload=form, status=422)
    data = form.file.data.read()
    if not (data.startswith(_XLSX_MAGIC) or b"\x00" not in data[:4096] or is_unicode_text(data)):
        return _page(consultation, upload=form, problems=[_("Filen er verken CSV eller Excel.")])
    try:
        read = read_invitee_file(data, ImportLimits.from_config(current_app.config))
    except (LongFormatError, LimitExceeded) as error:
        return _page(consultation, upload=form, problems=[_file_problem(error)], status=422)
    problems = [_row_problem(problem) for problem in read.problems]
    if problems and not form.skip_invalid.data:
        problems.append(_("Ingenting er importert. Rett filen, eller velg å hoppe over radene."))
        return _page(consultation, upload=form, problems=problems, status=422)
    count = invitees.import_rows(consultation, read.rows)
    audit.record(
        "invitees.import",
        consultation_id=consultation.id,
        added=count.added,
        updated=count.updated,
        skipped=len(read.problems),
    )
    db.session.commit()
    flash(
        _(
            "Høringslisten er importert: %(added)d nye, %(updated)d oppdatert, "
            "%(skipped)d rader hoppet over.",
            added=count.added,
            updated=count.updated,
            skipped=len(read.problems),
        ),
        "success",
    )
    for problem in problems:
        flash(problem, "error")
    return redirect(url_for("admin.invitees_page", slug=slug))


def _file_problem(error: LongFormatError | LimitExceeded) -> str:
    if error.code in ("empty_file", "no_rows"):
        return _("Filen har ingen instanser.")
    if error.code == "missing_columns":
        return _("Filen mangler kolonnen med navn (navn, name, instans eller organisasjon).")
    if error.code == "too_many_columns":
        return _("Filen har flere enn %(limit)s kolonner.", limit=error.params["limit"])
    return messages.message(error.code, str(get_locale()), error.params)


def _row_problem(problem: RowProblem) -> str:
    params = problem.params
    text = {
        "missing_name": lambda: _("navnet mangler"),
        "too_long": lambda: _("navnet eller kategorien er for lang"),
        "bad_org_number": lambda: _(
            "«%(value)s» er ikke et gyldig organisasjonsnummer (kontrollsifferet stemmer ikke)",
            value=params["value"],
        ),
        "duplicate_org_number": lambda: _(
            "organisasjonsnummeret %(value)s står også i rad %(first)s",
            value=params["value"],
            first=params["first"],
        ),
        "bad_email": lambda: _("«%(value)s» er ikke en e-postadresse", value=params["value"]),
    }[problem.code]()
    return _("Rad %(row)d: %(problem)s.", row=problem.row, problem=text)


@bp.route("/consultations/<slug>/invitees/new", methods=["POST"])
@roles_required(Role.ADMIN)
def invitees_add(slug: str) -> Response | tuple[str, int]:
    consultation = consultation_or_404(slug)
    form = InviteeForm()
    number = org_number.normalise(form.org_number.data or "") or None
    if not form.validate_on_submit():
        return _page(consultation, add=form, status=422)
    if number and _listed_number(consultation, number):
        form.org_number.errors = [_("Organisasjonsnummeret står allerede på listen.")]
    else:
        invitee = Invitee(
            consultation_id=consultation.id,
            name=form.name.data.strip(),
            org_number=number,
            email=(form.email.data or "").strip().lower(),
            category=(form.category.data or "").strip(),
            rejected_submission_ids=[],
        )
        invitee.private_person = form.private_person.data or invitees.is_private_category(
            consultation, invitee.category
        )
        db.session.add(invitee)
        db.session.flush()
        audit.record("invitees.add", target=invitee, consultation_id=consultation.id)
        db.session.commit()
        flash(_("%(name)s er lagt til på listen.", name=invitee.name), "success")
        return redirect(url_for("admin.invitees_page", slug=slug))
    return _page(consultation, add=form, status=422)


def _listed_number(consultation: Consultation, number: str) -> bool:
    return any(i.org_number == number for i in invitees.invitees_of(consultation))


def _invitee_or_404(consultation: Consultation, invitee_id: int) -> Invitee:
    found = db.session.get(Invitee, invitee_id)
    if found is None or found.consultation_id != consultation.id:
        abort(404)
    return found


@bp.route("/consultations/<slug>/invitees/<int:invitee_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def invitee_delete(slug: str, invitee_id: int) -> Response:
    consultation = consultation_or_404(slug)
    invitee = _invitee_or_404(consultation, invitee_id)
    audit.record("invitees.delete", target=invitee, consultation_id=consultation.id)
    db.session.delete(invitee)
    db.session.commit()
    flash(_("%(name)s er fjernet fra listen.", name=invitee.name), "success")
    return redirect(url_for("admin.invitees_page", slug=slug))


@bp.route("/consultations/<slug>/invitees/<int:invitee_id>/match", methods=["POST"])
@roles_required(Role.ADMIN)
def invitee_match(slug: str, invitee_id: int) -> Response:
    """Confirm or reject a proposed response, link one by its reference, or undo a link."""
    consultation = consultation_or_404(slug)
    invitee = _invitee_or_404(consultation, invitee_id)
    form = InviteeMatchForm()
    action = form.action.data if form.validate_on_submit() else ""
    if action not in MATCH_ACTIONS:
        abort(400)
    submission_id = int(form.submission_id.data) if (form.submission_id.data or "").isdigit() else 0
    if action == "link":
        found = invitees.submitted_response(consultation, form.reference.data or "")
        if found is None:
            flash(_("Fant ikke et innsendt svar med det referansenummeret."), "error")
            return redirect(url_for("admin.invitees_page", slug=slug))
        invitees.confirm(invitee, found.id, MatchMethod.MANUAL)
    elif action == "confirm" and submission_id:
        invitees.confirm(invitee, submission_id, MatchMethod.NAME)
    elif action == "reject" and submission_id:
        invitees.reject(invitee, submission_id)
    elif action == "unlink":
        invitees.unlink(invitee)
    else:
        abort(400)
    audit.record(f"invitees.{action}", target=invitee, consultation_id=consultation.id)
    db.session.commit()
    return redirect(url_for("admin.invitees_page", slug=slug))


@bp.route("/consultations/<slug>/invitees/invite", methods=["POST"])
@roles_required(Role.ADMIN)
def invitees_invite(slug: str) -> Response:
    consultation = consultation_or_404(slug)
    try:
        queued = invitees.queue_invitations(consultation, base_url(), utcnow())
    except invitees.InvitationRefused:
        flash(_("Invitasjoner kan sendes når høringen er åpnet eller planlagt."), "error")
        return redirect(url_for("admin.invitees_page", slug=slug))
    audit.record("invitees.invite", consultation_id=consultation.id, count=len(queued))
    db.session.commit()
    outbox.dispatch(queued)
    flash(
        ngettext(
            "%(num)d invitasjon er lagt i køen for e-post.",
            "%(num)d invitasjoner er lagt i køen for e-post.",
            len(queued),
        ),
        "success",
    )
    return redirect(url_for("admin.invitees_page", slug=slug))


@bp.route("/consultations/<slug>/invitees/settings", methods=["POST"])
@roles_required(Role.ADMIN)
def invitees_settings(slug: str) -> Response | tuple[str, int]:
    consultation = consultation_or_404(slug)
    form = InvitationSettingsForm()
    if not form.validate_on_submit():
        return _page(consultation, settings_form=form, status=422)
    settings = invitees.settings_of(consultation)
    settings.reminder_days_before = form.reminder_days_before.data
    settings.list_not_answered = bool(form.list_not_answered.data)
    audit.record(
        "invitees.settings",
        consultation_id=consultation.id,
        reminder_days_before=settings.reminder_days_before,
        list_not_answered=settings.list_not_answered,
    )
    db.session.commit()
    flash(_("Innstillingene er lagret."), "success")
    return redirect(url_for("admin.invitees_page", slug=slug))
