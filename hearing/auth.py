"""Secretariat sign-in with Flask-Login, and the role check every secretariat route uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from forms.auth import LoginForm
from hearing import audit, sign_in_guard
from hearing.extensions import db, limiter, login_manager
from hearing.models import User
from hearing.models.types import utcnow
from hearing.security import local_redirect_target

bp = Blueprint("auth", __name__, url_prefix="/auth")
F = TypeVar("F", bound=Callable[..., Any])

login_manager.login_view = "auth.login"
login_manager.login_message = "Logg inn for å fortsette."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session, unless their sessions were ended since it began.

    The session holds "<user id>:<session version>" (User.get_id); a session from before a
    sign-out, a new password, a role change or a deactivation holds an older version.
    """
    user_id, _separator, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def signed_in_user() -> User | None:
    """The signed-in user, or None; cheap for the anonymous public.

    Only a session that went through `login_user` holds `_user_id` (there is no remember-me
    cookie). Asking Flask-Login about any other session whose cookie holds something (a CSRF
    token, the language) makes its strong session protection rewrite that cookie on every
    response; public pages ask here first.
    """
    if "_user_id" not in session or not current_user.is_authenticated:
        return None
    user: User = current_user._get_current_object()
    return user


@bp.app_context_processor
def _signed_in_context() -> dict[str, Any]:
    """`current_user` stays a lazy proxy: templates that never ask never load anyone."""
    return {"signed_in_user": signed_in_user(), "current_user": current_user}


def roles_required(*roles: str) -> Callable[[F], F]:
    """Allow signed-in users with one of `roles`; others get 403 (anonymous: the login page)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        minutes = sign_in_guard.minutes_blocked(email)
        if minutes:
            message = _(
                "For mange mislykkede innlogginger med denne e-postadressen. "
                "Prøv igjen om %(minutes)d min.",
                minutes=minutes,
            )
            form.password.errors.append(message)
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        # The hash is checked before `active`: an inactive account answers as slowly as any.
        if sign_in_guard.password_matches(user, form.password.data) and user and user.active:
            sign_in_guard.forget_failures(email)
            login_user(user)
            user.last_login_at = utcnow()
            audit.record("login", target=user)
            db.session.commit()
            return redirect(
                local_redirect_target(request.args.get("next"), url_for("admin.consultations"))
            )
        sign_in_guard.record_failure(email)
        form.password.errors.append(_("Feil e-postadresse eller passord."))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Sign out here and everywhere: a copy of this session cookie stops working too."""
    user: User = current_user._get_current_object()
    user.end_sessions()
    audit.record("logout", target=user)
    db.session.commit()
    logout_user()
    flash(_("Du er logget ut."), "info")
    return redirect(url_for("public.index"))
