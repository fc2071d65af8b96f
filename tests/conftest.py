"""Fixtures in the style of the Flask tutorial: `app`, `client`, `runner`, plus signed-in clients.

The schema is built once per session through the Alembic migrations, on SQLite by default or on
PostgreSQL when TEST_DATABASE_URL is set (CI runs the suite on both). Each test starts from empty
tables.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from hearing import create_app
from hearing.extensions import db, limiter
from hearing.models import Role, User

PASSWORD = "correct-horse-battery-staple"


def _reset_postgres(url: str) -> None:
    from hearing.config import _database_url

    engine = create_engine(_database_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def make_app(database_url: str, **overrides: object) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
        # Each app its own store: consultation ids repeat between tests' databases.
        "PUBLISHED_FILES_DIR": tempfile.mkdtemp(prefix="hearing-published-"),
    }
    config.update(overrides)
    app = create_app(config)

    @app.teardown_request
    def _forget_signed_in_user(_error: BaseException | None) -> None:
        # Tests keep one app context open, and Flask-Login caches the user in `g`, which lives
        # there: without this, an anonymous client would inherit the last signed-in user (or
        # the last client's CSRF token).
        g.pop("_login_user", None)
        g.pop("csrf_token", None)  # Flask-WTF caches the session's signed token there,
        g.pop("_flask_babel", None)  # and Flask-Babel the request's language

    return app


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    app = make_app(database_url)
    with app.app_context():
        upgrade()
    return database_url


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture()
def app(migrated: str) -> Iterator[Flask]:
    app = make_app(migrated)
    with app.app_context():
        _empty_tables()
        if app.config["RATELIMIT_ENABLED"]:
            limiter.reset()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()  # one pool per app: release its connections (PostgreSQL has a cap)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def create_user(email: str, role: Role, password: str = PASSWORD) -> User:
    user = User(email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture()
def admin(app: Flask) -> User:
    return create_user("admin@example.no", Role.ADMIN)


@pytest.fixture()
def analyst(app: Flask) -> User:
    return create_user("analyst@example.no", Role.ANALYST)


@pytest.fixture()
def admin_client(app: Flask, admin: User) -> FlaskClient:
    client = app.test_client()
    sign_in(client, admin.email)
    return client


@pytest.fixture()
def analyst_client(app: Flask, analyst: User) -> FlaskClient:
    client = app.test_client()
    sign_in(client, analyst.email)
    return client


@pytest.fixture()
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
