"""A respondent's rights from the secretariat's side: download everything held, or erase it."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _

from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404, submission_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Role, Submission
from hearing.services.privacy import erase_respondent, respondent_data


def _any_submission_or_404(slug: str, submission_id: int) -> Submission:
    """Erasure reaches drafts too: the respondent's right covers everything held about them."""
    consultation = consultation_or_404(slug)
    found = db.session.get(Submission, submission_id)
    if found is None or found.consultation_id != consultation.id:
        abort(404)
    return found


@bp.route("/consultations/<slug>/submissions/<int:submission_id>/data.json")
@roles_required(Role.ADMIN)
def submission_data(slug: str, submission_id: int) -> Response:
    # Like the submission page: a draft is the respondent's own until submitted.
    submission = submission_or_404(consultation_or_404(slug), submission_id)
    document = respondent_data(submission)
    audit.record(
        "submission.data_export",
        target=submission,
        consultation_id=submission.consultation_id,
        reference=submission.reference,
    )
    db.session.commit()
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{submission.reference}.json"',
        },
    )


@bp.route("/consultations/<slug>/submissions/<int:submission_id>/erase", methods=["POST"])
@roles_required(Role.ADMIN)
def erase_submission(slug: str, submission_id: int) -> Response:
    submission = _any_submission_or_404(slug, submission_id)
    reference = erase_respondent(submission)
    db.session.commit()
    flash(_("Innsending %(reference)s er slettet.", reference=reference), "success")
    return redirect(url_for("admin.consultation", slug=slug))
