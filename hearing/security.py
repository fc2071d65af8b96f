"""HTTP security headers on every response, and who the client is behind a reverse proxy.

The Content-Security-Policy allows no inline script: pages load their scripts from /static.

Behind a TLS proxy every request comes from the proxy's address over plain HTTP. Unless the app
is told how many proxies to trust (TRUSTED_PROXIES), per-client rate limits would count all
respondents as one client, HSTS would never be sent and private links would start with
http://. Only that many X-Forwarded-* hops are believed, so a client cannot pick its own
address to slip past a rate limit.
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _add_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
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
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
