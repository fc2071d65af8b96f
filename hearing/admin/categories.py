"""Respondent categories of a consultation, with the Norwegian preset from seed 004."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import exists, select
from werkzeug.wrappers import Response

from forms.question import CategoryForm
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import category_or_404, consultation_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Consultation, RespondentCategory, Role
from hearing.services.consultations import ChangeRefused, delete_category, move
from synthesis.presets import NORWEGIAN_CATEGORY_PRESET


def _taken(consultation: Consultation):
    def check(name: str, sector: str) -> bool:
        return bool(
            db.session.scalar(
                select(
                    exists().where(
                        RespondentCategory.consultation_id == consultation.id,
                        RespondentCategory.name == name,
                        RespondentCategory.sector == sector,
                    )
                )
            )
        )

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
    return render_template("admin/category_form.html", form=form, consultation=consultation)


@bp.route("/consultations/<slug>/categories/preset", methods=["POST"])
@roles_required(Role.ADMIN)
def add_category_preset(slug: str) -> Response:
    consultation = consultation_or_404(slug)
    have = {(c.name, c.sector) for c in consultation.categories}
    added = 0
    for preset in NORWEGIAN_CATEGORY_PRESET:
        if (preset.name, str(preset.sector)) not in have:
            consultation.categories.append(
                RespondentCategory(
                    name=preset.name, sector=preset.sector, position=len(consultation.categories)
                )
            )
            added += 1
    audit.record("category.preset", consultation_id=consultation.id, added=added)
    db.session.commit()
    flash(_("%(count)d kategorier er lagt til.", count=added), "success")
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
