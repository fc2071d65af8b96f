"""Public pages: the list of consultations and each consultation's page."""

from flask import Blueprint

public_blueprint = Blueprint("public", __name__)

from hearing.public import (  # noqa: E402, F401
    mail_links,
    pages,
    respond,
    respondent_files,
    responses,
    summary,
)
