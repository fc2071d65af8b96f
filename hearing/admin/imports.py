"""Import pages of the secretariat: upload, preview, then confirm (admin only).

Nothing is written until the admin has seen the preview and pressed "Importer". The uploaded
file waits in the instance folder in between (see `upload_store`); the confirm step reads and
checks it again, so what is imported is exactly what the checks allow at that moment.
"""

from __future__ import annotations

import io

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from forms.imports import (
    NEW_CONSULTATION,
    NO_CONSULTATION_CHOSEN,
    CompiledUploadForm,
    ConfirmImportForm,
    ImportConsentForm,
    ResponsesUploadForm,
)
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin import upload_store
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.imports.compiled import CompiledFormatError, read_compiled_file
from hearing.imports.compiled_report import compiled_report
from hearing.imports.consent import consent_lines, document_tally, parse_choice
from hearing.imports.csv_decode import is_unicode_text
from hearing.imports.limits import ImportLimits, LimitExceeded
from hearing.imports.long_format import LongFormatError
from hearing.imports.messages import message
from hearing.models import Consultation, Role
from hearing.private_download import private_download
from hearing.services.compiled_loader import store_compiled
from hearing.services.long_import import (
    ConsultationNotFound,
    LongImportPlan,
    apply_long_import,
    find_consultation,
    plan_long_import,
    rejected_csv,
)

PREVIEW_ROWS = 10
# The long format's column names (English, as other tools read them) in the page's language.
COLUMN_LABELS = {
    "respondent": _l("Respondent"),
    "category": _l("Kategori"),
    "sector": _l("Sektor"),
    "question": _l("Spørsmål"),
    "value": _l("Verdi"),
    "text": _l("Tekst"),
    "on_behalf_of": _l("På vegne av"),
    "email": _l("E-post"),
    "submitted_at": _l("Sendt inn"),
    "consent": _l("Samtykke"),
}
CONSENT_PREFIX = "consent"  # the preview holds two forms: their fields need distinct ids
_PDF_MAGIC = b"%PDF-"
_XLSX_MAGIC = b"PK\x03\x04"


def _read_upload(upload: FileStorage) -> bytes:
    """The whole upload; Flask's MAX_CONTENT_LENGTH has already refused oversized requests."""
    return upload.read()


def _looks_like_text(data: bytes) -> bool:
    return b"\x00" not in data[:4096]


def _kind_of_compiled(data: bytes) -> str | None:
    """ "pdf" or "txt" by content; the uploaded name is only a hint the form already checked."""
    if data.startswith(_PDF_MAGIC):
        return "pdf"
    return "txt" if _looks_like_text(data) else None


def _kind_of_responses(data: bytes) -> str | None:
    if data.startswith(_XLSX_MAGIC):
        return "xlsx"
    return "csv" if _looks_like_text(data) or is_unicode_text(data) else None


# Compiled documents --------------------------------------------------------------------------


@bp.route("/import/compiled", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_compiled() -> str:
    form = CompiledUploadForm()
    if form.validate_on_submit():
        data = _read_upload(form.file.data)
        kind = _kind_of_compiled(data)
        if kind is None:
            form.file.errors.append(_("Filen er verken tekst eller PDF."))
        else:
            try:
                document = read_compiled_file(data, f"upload.{kind}", _limits())
            except CompiledFormatError as error:
                form.file.errors.append(str(error))
            except LimitExceeded as error:
                form.file.errors.append(message(error.code, str(get_locale()), error.params))
            else:
                slug = form.slug.data or document.snapshot.slug
                if find_consultation(slug) is not None:
                    form.slug.errors.append(
                        _("Det finnes allerede en høring med kortnavnet «%(slug)s».", slug=slug)
                    )
                else:
                    token = upload_store.stash(data, kind=kind, slug=slug, what="compiled")
                    return render_template(
                        "admin/import_compiled_preview.html",
                        document=document,
                        report=compiled_report(document.snapshot),
                        consent_lines=consent_lines(
                            document_tally(document.snapshot), str(get_locale())
                        ),
                        slug=slug,
                        confirm=ConfirmImportForm(token=token),
                    )
    return render_template("admin/import_compiled.html", form=form)


@bp.route("/import/compiled/confirm", methods=["POST"])
@roles_required(Role.ADMIN)
def confirm_import_compiled() -> Response:
    form = ConfirmImportForm()
    stashed = upload_store.retrieve(form.token.data) if form.validate_on_submit() else None
    if stashed is None or stashed[1].get("what") != "compiled":
        flash(_("Opplastingen er utløpt eller ukjent. Last opp filen på nytt."), "error")
        return redirect(url_for("admin.import_compiled"))
    data, details = stashed
    upload_store.discard(form.token.data)
    slug = details["slug"]
    if find_consultation(slug) is not None:
        flash(_("Det finnes allerede en høring med kortnavnet «%(slug)s».", slug=slug), "error")
        return redirect(url_for("admin.import_compiled"))
    try:
        document = read_compiled_file(data, f"upload.{details['kind']}", _limits())
    except (CompiledFormatError, LimitExceeded):
        flash(_("Filen kunne ikke leses på nytt. Last den opp igjen."), "error")
        return redirect(url_for("admin.import_compiled"))
    consultation = store_compiled(document, data, slug=slug, created_by_id=current_user.id)
    report = compiled_report(document.snapshot)
    audit.record(
        "import.compiled",
        target=consultation,
        consultation_id=consultation.id,
        respondents=report.respondents,
        consistent=report.consistent,
    )
    db.session.commit()
    flash(
        _("Importerte %(count)d høringssvar til en ny, lukket høring.", count=report.respondents),
        "success",
    )
    return redirect(url_for("admin.consultation", slug=slug))


# Long-format responses -----------------------------------------------------------------------


def _consultation_choices() -> list[tuple[str, str]]:
    consultations = db.session.scalars(select(Consultation).order_by(Consultation.title)).all()
    return [
        (NO_CONSULTATION_CHOSEN, _("Velg høring …")),
        *((c.slug, f"{c.title} ({c.slug})") for c in consultations),
        (NEW_CONSULTATION, _("Ny høring laget fra filen")),
    ]


def _plan(data: bytes, details: dict) -> LongImportPlan:
    return plan_long_import(
        data,
        f"upload.{details['kind']}",
        slug=details["slug"],
        create=details["create"],
        title=details.get("title") or None,
        scale_points=details.get("scale") or None,
        locale=str(get_locale()),
        max_text=current_app.config["ANSWER_MAX_CHARS"],
        consent=parse_choice(details.get("consent")),
        limits=_limits(),
    )


def _limits() -> ImportLimits:
    return ImportLimits.from_config(current_app.config)


def _preview(plan: LongImportPlan, details: dict, token: str) -> str:
    locale = str(get_locale())
    return render_template(
        "admin/import_responses_preview.html",
        plan=plan,
        details=details,
        preview_rows=plan.table.rows[:PREVIEW_ROWS],
        locale=locale,
        column_labels=COLUMN_LABELS,
        consent_lines=consent_lines(plan.validated.consent, locale),
        consent_form=ImportConsentForm(
            prefix=CONSENT_PREFIX, token=token, consent=details.get("consent", "")
        ),
        confirm=ConfirmImportForm(token=token),
    )


@bp.route("/import/responses", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_responses() -> str:
    form = ResponsesUploadForm()
    form.consultation.choices = _consultation_choices()
    if request.method == "GET" and request.args.get("slug"):
        form.consultation.data = request.args["slug"]
    if form.validate_on_submit():
        data = _read_upload(form.file.data)
        kind = _kind_of_responses(data)
        create = form.consultation.data == NEW_CONSULTATION
        details = {
            "what": "responses",
            "kind": kind,
            "slug": form.new_slug.data if create else form.consultation.data,
            "create": create,
            "title": form.new_title.data or "",
            "scale": [p.strip() for p in (form.scale.data or "").split(",") if p.strip()],
            "skip_invalid": form.skip_invalid.data,
            "consent": form.consent.data or "",
        }
        if kind is None:
            form.file.errors.append(_("Filen er verken CSV eller Excel."))
        elif create and find_consultation(details["slug"]) is not None:
            form.new_slug.errors.append(_("Det finnes allerede en høring med dette kortnavnet."))
        else:
            try:
                plan = _plan(data, details)
            except (LongFormatError, LimitExceeded) as error:
                form.file.errors.append(message(error.code, str(get_locale()), error.params))
            except ConsultationNotFound:
                form.consultation.errors.append(_("Fant ikke høringen."))
            else:
                token = upload_store.stash(data, **details)
                return _preview(plan, details, token)
    return render_template("admin/import_responses.html", form=form)


@bp.route("/import/responses/consent", methods=["POST"])
@roles_required(Role.ADMIN)
def import_responses_consent() -> Response | str:
    """The preview again with another whole-file consent; the stashed file is kept."""
    form = ImportConsentForm(prefix=CONSENT_PREFIX)
    stashed = upload_store.retrieve(form.token.data) if form.validate_on_submit() else None
    if stashed is None or stashed[1].get("what") != "responses":
        flash(_("Opplastingen er utløpt eller ukjent. Last opp filen på nytt."), "error")
        return redirect(url_for("admin.import_responses"))
    data, details = stashed
    details = {**details, "consent": form.consent.data or ""}
    upload_store.update(form.token.data, consent=details["consent"])
    try:
        plan = _plan(data, details)
    except (LongFormatError, LimitExceeded, ConsultationNotFound):
        flash(_("Filen kunne ikke leses på nytt. Last den opp igjen."), "error")
        return redirect(url_for("admin.import_responses"))
    return _preview(plan, details, form.token.data)


@bp.route("/import/responses/rejected")
@roles_required(Role.ADMIN)
def import_responses_rejected() -> Response:
    """The previewed file's bad rows as they stood, with a column saying why: the CLI's
    rejected file, for the admin to fix and upload again. Checked anew, like the confirm step."""
    stashed = upload_store.retrieve(request.args.get("token", ""))
    if stashed is None or stashed[1].get("what") != "responses":
        abort(404)
    data, details = stashed
    try:
        plan = _plan(data, details)
    except (LongFormatError, LimitExceeded, ConsultationNotFound):
        abort(404)
    return private_download(  # names and e-mail addresses
        io.BytesIO(rejected_csv(plan, str(get_locale()))),
        mimetype="text/csv",
        name=f"{details['slug']}.rejected.csv",
    )


@bp.route("/import/responses/confirm", methods=["POST"])
@roles_required(Role.ADMIN)
def confirm_import_responses() -> Response:
    form = ConfirmImportForm()
    stashed = upload_store.retrieve(form.token.data) if form.validate_on_submit() else None
    if stashed is None or stashed[1].get("what") != "responses":
        flash(_("Opplastingen er utløpt eller ukjent. Last opp filen på nytt."), "error")
        return redirect(url_for("admin.import_responses"))
    data, details = stashed
    if form.skip_invalid.data == "1":  # "import only the valid rows" on the preview
        details = {**details, "skip_invalid": True}
    upload_store.discard(form.token.data)
    try:
        plan = _plan(data, details)
    except (LongFormatError, LimitExceeded, ConsultationNotFound):
        flash(_("Filen kunne ikke leses på nytt. Last den opp igjen."), "error")
        return redirect(url_for("admin.import_responses"))
    if plan.validated.errors and not details["skip_invalid"]:
        flash(_("Filen har rader med feil; ingenting er importert."), "error")
        return redirect(url_for("admin.import_responses"))
    outcome = apply_long_import(
        plan, skip_invalid=details["skip_invalid"], created_by_id=current_user.id
    )
    audit.record(
        "import.responses",
        target=outcome.consultation,
        consultation_id=outcome.consultation.id,
        consent=details.get("consent") or "default",
        created_consultation=outcome.created_consultation,
        rows=plan.validated.rows_read,
        rejected=len(plan.validated.rejected),
        respondents=outcome.loaded.created,
        skipped_existing=outcome.loaded.skipped_existing,
    )
    db.session.commit()
    flash(
        _(
            "Importerte %(created)d svar; %(skipped)d fantes fra før; "
            "%(rejected)d rader ble avvist.",
            created=outcome.loaded.created,
            skipped=outcome.loaded.skipped_existing,
            rejected=len(plan.validated.rejected),
        ),
        "success",
    )
    return redirect(url_for("admin.consultation", slug=outcome.consultation.slug))
