"""Liveness and readiness probes for load balancers, process supervisors and the load harness.

`/healthz` answers "ok" without touching anything, so it measures the bare cost of a request
through the app. `/healthz?db=1` also runs `SELECT 1`, so a worker that cannot reach its
database is reported as not ready (503) instead of taking traffic it would fail.
"""

from __future__ import annotations

from flask import Blueprint, Flask, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from hearing.extensions import db

bp = Blueprint("health", __name__)


def _plain(body: str, status: int) -> Response:
    return Response(
        body, status=status, mimetype="text/plain", headers={"Cache-Control": "no-store"}
    )


@bp.route("/healthz")
def healthz() -> Response:
    if request.args.get("db") == "1":
        try:
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            db.session.rollback()
            return _plain("database unavailable", 503)
    return _plain("ok", 200)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
