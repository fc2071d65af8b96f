"""The secretariat's downloads: the internal edition (names, e-mail addresses) at any status.

Admins and analysts may download; every download is audit-logged with who took which edition in
which format, because the internal edition holds personal data. `?audience=public` gives the
public edition of a consultation that is not published yet, to check before publishing.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
from werkzeug.wrappers import Response

from exports.summary import Audience
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404
from hearing.auth import roles_required
from hearing.export_formats import FORMAT_ROUTE, FORMATS, summary_for
from hearing.exports_web import download_response
from hearing.extensions import db
from hearing.models import Role, Status

READERS = (Role.ADMIN, Role.ANALYST)


@bp.route("/consultations/<slug>/exports")
@roles_required(*READERS)
def exports(slug: str) -> str:
    consultation = consultation_or_404(slug)
    return render_template(
        "admin/exports.html",
        consultation=consultation,
        formats=FORMATS.values(),
        published=consultation.status == Status.PUBLISHED,
    )


@bp.route(f"/consultations/<slug>/export.<any({FORMAT_ROUTE}):format_name>")
@roles_required(*READERS)
def export_download(slug: str, format_name: str) -> Response:
    consultation = consultation_or_404(slug)
    audience: Audience = "public" if request.args.get("audience") == "public" else "internal"
    locale = str(get_locale())
    summary = summary_for(consultation, audience=audience, locale=locale)
    audit.record(
        "export.download",
        target=consultation,
        consultation_id=consultation.id,
        format=format_name,
        audience=audience,
        locale=locale,
        respondents=summary.overview.respondent_count,
    )
    db.session.commit()
    return download_response(summary, FORMATS[format_name])
