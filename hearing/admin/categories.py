"""Respondent categories of a consultation: add, rename, order, delete, or start from a preset
(the standard Norwegian list, or the list of the BarnUnge21 hearing in seed 004)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import exists, select
from werkzeug.wrappers import Response

from forms.question import CategoryForm
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import category_or_404, consultation_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Consultation, RespondentCategory, Role
from hearing.services.consultations import (
    ChangeRefused,
    delete_category,
    move,
    rename_category,
)
from synthesis.presets import CATEGORY_PRESETS

PRESET_LABELS = {
    "standard": _l("Standardlisten (departement, direktorat, kommune …)"),
    "barnunge21": _l("Som i BarnUnge21-høringen"),
}


def _taken(consultation: Consultation, except_id: int | None = None):
    def check(name: str, sector: str) -> bool:
        query = exists().where(
            RespondentCategory.consultation_id == consultation.id,
            RespondentCategory.name == name,
            RespondentCategory.sector == sector,
        )
        if except_id is not None:
            query = query.where(RespondentCategory.id != except_id)
        return bool(db.session.scalar(select(query)))

    return check


def _back(consultation: Consultation) -> Response:
    return redirect(url_for("admin.consultation", slug=consultation.slug) + "#categories")


@bp.route("/consultations/<slug>/categories/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_category(slug: str) -> str | Response:
    consultation = consultation_or_404(slug)
    form = CategoryForm(taken=_taken(consultation))
    if form.validate_on_submit():
        category = RespondentCategory(
            name=form.name.data.strip(),
            sector=form.sector.data,
            position=len(consultation.categories),
        )
        consultation.categories.append(category)
        db.session.flush()
        audit.record(
            "category.create",
            target=category,
            consultation_id=consultation.id,
            label=category.label,
        )
        db.session.commit()
        flash(_("Kategorien er lagt til."), "success")
        return _back(consultation)
    return render_template(
        "admin/category_form.html", form=form, consultation=consultation, category=None
    )


@bp.route("/consultations/<slug>/categories/<int:category_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_category(slug: str, category_id: int) -> str | Response:
    """Rename a category; its responses stay in it, now shown under the new name."""
    consultation = consultation_or_404(slug)
    category = category_or_404(consultation, category_id)
    form = CategoryForm(obj=category, taken=_taken(consultation, except_id=category.id))
    if form.validate_on_submit():
        before = category.label
        try:
            rename_category(category, form.name.data.strip(), form.sector.data)
        except ChangeRefused as refused:
            db.session.rollback()
            form.sector.errors.append(str(refused))
        else:
            audit.record(
                "category.rename",
                target=category,
                consultation_id=consultation.id,
                before=before,
                label=category.label,
            )
            db.session.commit()
            flash(_("Kategorien er endret."), "success")
            return _back(consultation)
    return render_template(
        "admin/category_form.html", form=form, consultation=consultation, category=category
    )


@bp.route("/consultations/<slug>/categories/preset", methods=["POST"])
@roles_required(Role.ADMIN)
def add_category_preset(slug: str) -> Response:
    """Add the chosen list's categories that the consultation does not have yet."""
    consultation = consultation_or_404(slug)
    chosen = request.form.get("preset", "standard")
    preset = CATEGORY_PRESETS.get(chosen, CATEGORY_PRESETS["standard"])
    have = {(c.name, c.sector) for c in consultation.categories}
    added = 0
    for category in preset:
        if (category.name, str(category.sector)) not in have:
            consultation.categories.append(
                RespondentCategory(
                    name=category.name,
                    sector=category.sector,
                    position=len(consultation.categories),
                )
            )
            added += 1
    audit.record("category.preset", consultation_id=consultation.id, preset=chosen, added=added)
    db.session.commit()
    flash(
        ngettext("%(num)d kategori er lagt til.", "%(num)d kategorier er lagt til.", added),
        "success",
    )
    return _back(consultation)


@bp.route("/consultations/<slug>/categories/<int:category_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def remove_category(slug: str, category_id: int) -> Response:
    consultation = consultation_or_404(slug)
    category = category_or_404(consultation, category_id)
    label = category.label
    try:
        delete_category(category)
    except ChangeRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        audit.record("category.delete", consultation_id=consultation.id, label=label)
        db.session.commit()
        flash(_("Kategorien er slettet."), "success")
    return _back(consultation)


@bp.route("/consultations/<slug>/categories/<int:category_id>/move", methods=["POST"])
@roles_required(Role.ADMIN)
def move_category(slug: str, category_id: int) -> Response:
    consultation = consultation_or_404(slug)
    category = category_or_404(consultation, category_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    move(consultation.categories, category, offset)
    audit.record("category.move", target=category, consultation_id=consultation.id)
    db.session.commit()
    return _back(consultation)
