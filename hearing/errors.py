"""Friendly error pages in the user's language, never a bare stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from hearing.extensions import db


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Ugyldig forespørsel"), _("Forespørselen kunne ikke behandles.")),
        403: (_("Ingen tilgang"), _("Du har ikke tilgang til denne siden.")),
        404: (_("Siden finnes ikke"), _("Vi fant ikke siden du ba om.")),
        405: (_("Ikke tillatt"), _("Denne handlingen er ikke tillatt her.")),
        413: (
            _("For mye data"),
            _("Innsendingen er for stor. Kort ned teksten eller filen og prøv igjen."),
        ),
        429: (_("For mange forsøk"), _("Vent litt før du prøver igjen.")),
        500: (_("Noe gikk galt"), _("En feil oppstod hos oss. Prøv igjen om litt.")),
    }


def _render(code: int, detail: str | None = None) -> tuple[str, int]:
    title, message = _messages().get(code, (_("Feil"), _("Forespørselen kunne ikke behandles.")))
    return render_template("error.html", code=code, title=title, message=detail or message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return _render(
            400,
            _("Skjemaet var utløpt eller ugyldig. Last inn siden på nytt og send inn igjen."),
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        if app.testing:
            raise error  # let the test see the real failure
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return _render(500)
