"""Managing secretariat users (admins only) and reading the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from forms.user import UserForm
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import AuditEvent, Role, User

AUDIT_PAGE_SIZE = 200


@bp.route("/users", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def users() -> str | Response:
    form = UserForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if db.session.scalar(select(User).where(func.lower(User.email) == email)):
            form.email.errors.append(_("Det finnes allerede en bruker med denne e-posten."))
        else:
            user = User(email=email, role=form.role.data)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.flush()
            audit.record("user.create", target=user, email=email, role=user.role)
            db.session.commit()
            flash(_("Brukeren er opprettet."), "success")
            return redirect(url_for("admin.users"))
    everyone = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("admin/users.html", form=form, users=everyone)


@bp.route("/users/<int:user_id>/toggle", methods=["POST"])
@roles_required(Role.ADMIN)
def toggle_user(user_id: int) -> Response:
    user = db.session.get(User, user_id)
    if user is None:
        return redirect(url_for("admin.users"))
    if user.id == current_user.id:
        flash(_("Du kan ikke deaktivere deg selv."), "error")
        return redirect(url_for("admin.users"))
    user.active = not user.active
    audit.record("user.activate" if user.active else "user.deactivate", target=user)
    db.session.commit()
    return redirect(url_for("admin.users"))


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log() -> str:
    events = db.session.scalars(
        select(AuditEvent)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_PAGE_SIZE)
    ).all()
    return render_template("admin/audit.html", events=events)
