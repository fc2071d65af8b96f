"""Locale choice: Norwegian bokmål by default, English on request, remembered in the session.

Message ids are written in bokmål, so the default language never depends on a catalogue being
complete; the English catalogue lives in hearing/translations.
"""

from __future__ import annotations

from babel.support import NullTranslations
from flask import (
    Flask,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_translations
from werkzeug.wrappers import Response

from exports.labels import sector_label
from hearing.security import local_redirect_target
from synthesis.snapshot import Sector

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
    return redirect(local_redirect_target(request.args.get("next"), url_for("public.index")))


def _translations() -> NullTranslations:
    """The request's catalogue, found once per locale and request instead of once per string.

    Flask-Babel's own template callables look the catalogue up anew for every string (about ten
    context lookups each, a third of rendering a receipt). The catalogue is remembered beside
    Flask-Babel's locale for this request, so `force_locale` and `refresh` still switch it; if
    Flask-Babel keeps its state elsewhere one day, this falls back to asking every time.
    """
    state = g.get("_flask_babel") if g else None
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()
    remembered = getattr(state, "hearing_translations", None)
    if remembered is None or remembered[0] is not locale:
        remembered = (locale, get_translations())
        state.hearing_translations = remembered
    translations: NullTranslations = remembered[1]
    return translations


def init_app(app: Flask) -> None:
    app.add_url_rule("/language/<code>", "set_language", _set_language)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: _translations().ugettext(string),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: _translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )

    @app.context_processor
    def _locale_context() -> dict[str, object]:
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "sector_name": sector_name,
        }


def sector_name(sector: Sector | str) -> str:
    """A sector's name in the request's language, from the list every output uses
    (`exports.labels.sector_label`)."""
    return sector_label(Sector(sector), str(get_locale()))
