"""Listing, creating and editing consultations, and moving them through their statuses."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, func, select
from werkzeug.wrappers import Response

from forms.consultation import ConsultationForm, oslo_to_utc, utc_to_oslo
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.categories import PRESET_LABELS
from hearing.admin.lookup import consultation_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Consultation, Role, Status, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.services.consultations import (
    ChangeRefused,
    answer_count,
    change_scale,
    change_status,
    label_at,
    status_actions,
    status_label,
)
from hearing.services.publication import current_publication, out_of_date_reasons

READERS = (Role.ADMIN, Role.ANALYST)


def _slug_taken(except_id: int | None = None):
    def check(slug: str) -> bool:
        query = exists().where(Consultation.slug == slug)
        if except_id is not None:
            query = query.where(Consultation.id != except_id)
        return bool(db.session.scalar(select(query)))

    return check


@bp.route("/")
@roles_required(*READERS)
def consultations() -> str:
    rows = db.session.execute(
        select(Consultation, func.count(Submission.id))
        .outerjoin(
            Submission,
            (Submission.consultation_id == Consultation.id)
            & (Submission.status == SubmissionStatus.SUBMITTED),
        )
        .group_by(Consultation.id)
        .order_by(Consultation.created_at.desc())
    ).all()
    now = utcnow()
    return render_template(
        "admin/consultations.html",
        rows=rows,
        statuses={consultation.id: consultation.status_at(now) for consultation, _n in rows},
        status_label=status_label,
    )


def _apply(form: ConsultationForm, consultation: Consultation) -> None:
    consultation.title = form.title.data.strip()
    consultation.slug = form.slug.data.strip()
    consultation.summary = form.summary.data or ""
    consultation.document = form.document.data or ""
    consultation.opens_at = oslo_to_utc(form.opens_at.data)
    consultation.closes_at = oslo_to_utc(form.closes_at.data)
    consultation.language = form.language.data


@bp.route("/consultations/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_consultation() -> str | Response:
    form = ConsultationForm(slug_taken=_slug_taken(), fill_slug_while_typing=True)
    if form.validate_on_submit():
        consultation = Consultation(created_by_id=current_user.id)
        _apply(form, consultation)
        consultation.scale_points = form.scale_points()
        consultation.dont_know_label = form.dont_know_label()
        db.session.add(consultation)
        db.session.flush()
        audit.record(
            "consultation.create",
            target=consultation,
            consultation_id=consultation.id,
            slug=consultation.slug,
        )
        db.session.commit()
        flash(
            _(
                "Høringen er opprettet med adressen %(url)s.",
                url=url_for("public.consultation", slug=consultation.slug, _external=True),
            ),
            "success",
        )
        return redirect(url_for("admin.consultation", slug=consultation.slug))
    return render_template("admin/consultation_form.html", form=form, consultation=None)


@bp.route("/consultations/<slug>")
@roles_required(*READERS)
def consultation(slug: str) -> str:
    found = consultation_or_404(slug)
    current = current_publication(found)
    now = utcnow()
    return render_template(
        "admin/consultation.html",
        consultation=found,
        out_of_date=bool(current and out_of_date_reasons(found, current)),
        status=found.status_at(now),
        actions=status_actions(found, now),
        opens_later=bool(found.opens_at and now < found.opens_at),
        deadline_passed=found.deadline_passed(now),
        status_label=status_label,
        answers=answer_count(found),
        category_presets=PRESET_LABELS,
    )


@bp.route("/consultations/<slug>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_consultation(slug: str) -> str | Response:
    found = consultation_or_404(slug)
    form = ConsultationForm(obj=found, slug_taken=_slug_taken(found.id))
    if request.method == "GET":
        form.opens_at.data = utc_to_oslo(found.opens_at)
        form.closes_at.data = utc_to_oslo(found.closes_at)
        form.load_scale(list(found.scale_points), found.dont_know_label)
    if form.validate_on_submit():
        try:
            change_scale(found, form.scale_points(), form.dont_know_label())
        except ChangeRefused as refused:
            form.scale_preset.errors.append(str(refused))
        else:
            _apply(form, found)
            audit.record("consultation.edit", target=found, consultation_id=found.id)
            db.session.commit()
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("admin.consultation", slug=found.slug))
        db.session.rollback()
    return render_template("admin/consultation_form.html", form=form, consultation=found)


@bp.route("/consultations/<slug>/status", methods=["POST"])
@roles_required(Role.ADMIN)
def set_status(slug: str) -> Response:
    found = consultation_or_404(slug)
    target = request.form.get("status", "")
    try:
        change_status(found, Status(target))
    except ValueError:
        flash(_("Ukjent status."), "error")
    except ChangeRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        audit.record("consultation.status", target=found, consultation_id=found.id, status=target)
        db.session.commit()
        flash(_("Status er nå «%(status)s».", status=label_at(found, utcnow())), "success")
    return redirect(url_for("admin.consultation", slug=slug))
