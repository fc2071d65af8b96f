"""HTTP security headers on every response, and who the client is behind a reverse proxy.

The Content-Security-Policy allows no inline script: pages load their scripts from /static.

Behind a TLS proxy every request comes from the proxy's address over plain HTTP. Unless the app
is told how many proxies to trust (TRUSTED_PROXIES), per-client rate limits would count all
respondents as one client, HSTS would never be sent and private links would start with
http://. Only that many X-Forwarded-* hops are believed, so a client cannot pick its own
address to slip past a rate limit.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


# Browsers drop tabs and line breaks anywhere in a URL and other control characters at its
# ends, so "/\t/evil.example" is followed as "//evil.example": remove them before checking.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def local_redirect_target(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: never an open redirect.

    Used for every redirect to a URL the client chose (`?next=` after sign-in and after
    choosing a language). The target is normalised as a browser would read it, then only a
    path starting with a single "/" passes: no scheme, no host, no "//" (another host) and no
    backslash (browsers read "/\\evil.example" as "//evil.example").
    """
    cleaned = _CONTROL_CHARACTERS.sub("", target or "").strip()
    if not cleaned.startswith("/") or cleaned.startswith("//") or "\\" in cleaned:
        return fallback
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return fallback
    return cleaned


def _add_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


# The secretariat's pages show personal data (names, e-mails, answers, the audit log); a shared
# or back-button cache must never keep them after sign-out.
PRIVATE_BLUEPRINTS = frozenset({"admin", "auth"})


def _no_caching_of_secretariat_pages(response: Response) -> Response:
    if request.blueprint in PRIVATE_BLUEPRINTS:
        response.headers["Cache-Control"] = "no-store, private"
    return response


def _refuse_nul_bytes() -> None:
    """A NUL character never comes from a real form or link, and PostgreSQL cannot store one in
    text: refuse it up front with a clear 400 instead of failing deep in a query."""
    values = [request.path, *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH"):
        values.extend(request.form.values())
    if any("\x00" in value for value in values):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul_bytes)
    app.after_request(_add_headers)
    app.after_request(_no_caching_of_secretariat_pages)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
