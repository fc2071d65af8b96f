"""Public pages: the list of consultations and each consultation's page."""

from flask import Blueprint

public_blueprint = Blueprint("public", __name__)

from hearing.public import mail_links, pages, respond, summary  # noqa: E402, F401
