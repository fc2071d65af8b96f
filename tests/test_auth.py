"""Sign-in, sign-out, password hashing, session cookie flags and the login rate limit."""

from __future__ import annotations

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import AuditEvent, Role, User
from tests.conftest import PASSWORD, create_user, make_app


def test_password_is_hashed_not_stored(app):
    user = create_user("a@example.no", Role.ADMIN)
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")


def test_login_success_redirects_and_is_audited(client, admin):
    response = client.post("/auth/login", data={"email": "ADMIN@example.no", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/")
    assert client.get("/admin/").status_code == 200
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "login" in actions


def test_login_failure_keeps_email_and_says_why(client, admin):
    response = client.post("/auth/login", data={"email": "admin@example.no", "password": "wrong"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Feil e-postadresse eller passord." in page
    assert 'value="admin@example.no"' in page
    assert client.get("/admin/").status_code == 302


def test_inactive_user_cannot_log_in(client, admin):
    admin.active = False
    db.session.commit()
    client.post("/auth/login", data={"email": admin.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302


def test_login_ignores_offsite_next(client, admin):
    response = client.post(
        "/auth/login?next=//evil.example/", data={"email": admin.email, "password": PASSWORD}
    )
    assert "evil.example" not in response.headers["Location"]


def test_logout_requires_post_and_ends_session(admin_client):
    assert admin_client.get("/auth/logout").status_code == 405
    assert admin_client.post("/auth/logout").status_code == 302
    assert admin_client.get("/admin/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, admin):
    response = client.post("/auth/login", data={"email": admin.email, "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookie_setting_from_environment(monkeypatch, migrated):
    monkeypatch.setenv("HEARING_SESSION_COOKIE_SECURE", "true")
    app = make_app(migrated)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_login_is_rate_limited(migrated):
    app = make_app(migrated, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    with app.app_context():
        from hearing.extensions import limiter

        limiter.reset()
        client = app.test_client()
        codes = [
            client.post(
                "/auth/login", data={"email": "x@example.no", "password": "nope"}
            ).status_code
            for _ in range(4)
        ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429


def test_login_form_requires_csrf_when_enabled(migrated):
    app = make_app(migrated, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.session.add(User(email="c@example.no", role=Role.ADMIN, password_hash="x"))
        db.session.commit()
        response = app.test_client().post(
            "/auth/login", data={"email": "c@example.no", "password": "whatever"}
        )
        assert response.status_code == 400
        db.session.execute(User.__table__.delete())
        db.session.commit()


def test_clients_in_one_test_do_not_share_a_signed_in_user(app, admin_client):
    assert admin_client.get("/admin/").status_code == 200
    anonymous = app.test_client()
    assert anonymous.get("/admin/").status_code == 302
