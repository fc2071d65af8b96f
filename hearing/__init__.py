"""The hearing web application: a Flask app factory in the style of the Flask tutorial."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from hearing.config import load_config
from hearing.extensions import babel, csrf, db, limiter, login_manager, migrate
from hearing.request_limits import LimitedRequest

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `test_config` is the last configuration layer (used by the test suite)."""
    app = Flask(__name__, instance_relative_config=True)
    app.request_class = LimitedRequest  # pages that take files allow for them
    load_config(app, test_config)

    from hearing import database, i18n, security

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    # Its context processor would load the user for every template; hearing.auth adds a lazy one.
    login_manager.init_app(app, add_context_processor=False)
    i18n.init_app(app)
    security.init_app(app)

    from hearing import auth, cli, errors, health, tasks
    from hearing.admin import admin_blueprint
    from hearing.public import public_blueprint

    app.register_blueprint(auth.bp)
    app.register_blueprint(public_blueprint)
    app.register_blueprint(admin_blueprint)
    tasks.init_app(app)
    errors.init_app(app)
    health.init_app(app)
    cli.init_app(app)
    return app
