"""The secretariat's pages. Every route checks a role (see hearing.auth.roles_required)."""

from flask import Blueprint

admin_blueprint = Blueprint("admin", __name__, url_prefix="/admin")

from hearing.admin import (  # noqa: E402, F401
    categories,
    coding,
    consultations,
    exports,
    imports,
    invitees,
    letters,
    outbox,
    privacy,
    publication,
    questions,
    redactions,
    registration,
    submissions,
    synthesis,
    synthesis_themes,
    users,
)
