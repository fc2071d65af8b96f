"""Locale choice: Norwegian bokmål by default, English on request, remembered in the session.

Message ids are written in bokmål, so the default language never depends on a catalogue being
complete; the English catalogue lives in hearing/translations.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

SESSION_KEY = "locale"


def select_locale() -> str:
    if not has_request_context():  # CLI commands and workers speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") or session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def _set_language(code: str) -> Response:
    if code in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = code
    target = request.args.get("next", "")
    # Only local paths: never an open redirect.
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("public.index")
    return redirect(target)


def init_app(app: Flask) -> None:
    app.add_url_rule("/language/<code>", "set_language", _set_language)

    @app.context_processor
    def _locale_context() -> dict[str, object]:
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"]}
