"""Configuration layers, migrations, the CLI, the language switch and security headers."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from hearing import create_app
from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, User
from hearing.services.search import is_model_object
from tests.conftest import make_app


def test_migrations_match_the_models(app):
    """The schema the migrations built is exactly the one the models describe."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": is_model_object}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_sqlite_runs_with_foreign_keys_and_wal(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_config_layers(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "hearing.cfg").write_text("ANSWER_MAX_CHARS = 500\nRATELIMIT_SUBMIT = '1/day'\n")
    monkeypatch.setenv("HEARING_ANSWER_MAX_CHARS", "700")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(instance))
    app = create_app({"TESTING": True})
    assert app.config["RATELIMIT_SUBMIT"] == "1/day"  # instance file over defaults
    assert app.config["ANSWER_MAX_CHARS"] == 700  # environment over instance file
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'hearing.db'}"
    generated = (instance / "secret_key").read_text()
    assert len(generated) == 64 and app.config["SECRET_KEY"] == generated
    again = create_app({"TESTING": True, "ANSWER_MAX_CHARS": 900})
    assert again.config["SECRET_KEY"] == generated  # reused, not regenerated
    assert again.config["ANSWER_MAX_CHARS"] == 900  # the test mapping wins


def test_database_url_selects_postgres_driver(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/hearing")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/hearing"


def test_create_user_command(runner, monkeypatch):
    monkeypatch.setenv("HEARING_USER_PASSWORD", "a-very-long-password")
    result = runner.invoke(args=["create-user", "Boss@Example.no", "--role", "admin"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role) == ("boss@example.no", "admin")
    assert user.check_password("a-very-long-password")
    assert db.session.scalar(select(AuditEvent.action)) == "user.create"


def test_create_user_refuses_unknown_role_and_short_password(runner, monkeypatch):
    monkeypatch.setenv("HEARING_USER_PASSWORD", "a-very-long-password")
    result = runner.invoke(args=["create-user", "a@example.no", "--role", "boss"])
    assert result.exit_code != 0 and "boss" in result.output
    monkeypatch.setenv("HEARING_USER_PASSWORD", "short")
    result = runner.invoke(args=["create-user", "a@example.no", "--role", "admin"])
    assert result.exit_code != 0 and "minst 12 tegn" in result.output
    assert db.session.scalar(select(User)) is None


def test_create_user_prompts_for_password(runner, monkeypatch):
    monkeypatch.delenv("HEARING_USER_PASSWORD", raising=False)
    result = runner.invoke(
        args=["create-user", "p@example.no"], input="prompted-password\nprompted-password\n"
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User)).check_password("prompted-password")


def test_demo_command_creates_consultation_and_first_admin(runner, monkeypatch):
    monkeypatch.delenv("HEARING_USER_PASSWORD", raising=False)
    result = runner.invoke(args=["demo", "--admin-email", "admin@example.no"])
    assert result.exit_code == 0, result.output
    demo = db.session.scalar(select(Consultation))
    assert demo.title == "Ledelse for kunnskapsbasert, samordnet og brukerrettet praksis"
    assert [(q.code, q.kind) for q in demo.questions] == [
        ("1", "scale"),
        ("1.a", "text"),
        ("1.b", "text"),
        ("2", "scale_text"),
        ("3", "scale_text"),
        ("4", "text"),
    ]
    assert "Norges forskningsråd" in demo.document
    assert demo.categories[0].label == "Universitet / Høgskole (Offentlig)"
    assert "Administrator opprettet: admin@example.no" in result.output
    again = runner.invoke(args=["demo", "--admin-email", "other@example.no"])
    assert again.exit_code == 0
    assert db.session.scalar(select(db.func.count(Consultation.id))) == 1
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_language_switch_remembers_english(client):
    assert 'lang="nb"' in client.get("/").get_data(as_text=True)
    response = client.get("/language/en?next=/")
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in page
    assert client.get("/language/nb?next=https://evil.example/").headers["Location"] == "/"


def test_english_catalogue_is_used(client):
    client.get("/language/en?next=/")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Sign in" in page or "Log in" in page


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/", base_url="https://localhost")
    assert "max-age" in secure.headers["Strict-Transport-Security"]


def test_unknown_page_is_friendly_404(client):
    response = client.get("/h/finnes-ikke")
    assert response.status_code == 404
    assert "Siden finnes ikke" in response.get_data(as_text=True)


def test_make_app_uses_the_given_database(migrated):
    assert make_app(migrated).config["SQLALCHEMY_DATABASE_URI"].endswith(migrated.split("/")[-1])
