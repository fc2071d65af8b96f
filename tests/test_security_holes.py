"""Holes an attacker found in the web app (issue 11): redirects, sessions, sign-in, admin pages.

Each test failed before its fix. Responses and answers have their own file
(tests/test_respond_holes.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hearing import sign_in_guard
from hearing.extensions import db, limiter
from hearing.models import Role, Submission, User
from hearing.security import local_redirect_target
from tests.conftest import PASSWORD, create_user, make_app, sign_in
from tests.respond_support import SLUG, full_answer, make_consultation, post_new

OFFSITE_TARGETS = [
    "/%09/evil.example",  # a tab: browsers drop it and read //evil.example
    "/%0a/evil.example",
    "%20//evil.example",
    "//evil.example/",
    "///evil.example",
    "/%5Cevil.example",  # /\evil.example, which browsers read as //evil.example
    "%5C%5Cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get(f"/language/en?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_sign_in_never_redirects_off_site(client, admin, target):
    response = client.post(
        f"/auth/login?next={target}", data={"email": admin.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_same_site_paths_are_kept(client, admin):
    assert client.get("/language/en?next=/h/demo%3Fa%3D1").headers["Location"] == "/h/demo?a=1"
    response = client.post(
        "/auth/login?next=/admin/users", data={"email": admin.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/admin/users"


def test_redirect_target_is_normalised_before_the_check():
    assert local_redirect_target(" /admin/\t", "/") == "/admin/"
    assert local_redirect_target(None, "/fallback") == "/fallback"
    assert local_redirect_target("/\x00/evil.example", "/") == "/"


# Sessions end everywhere --------------------------------------------------------------------


def _copy_session(app, signed_in):
    """A second browser holding a copy of `signed_in`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", signed_in.get_cookie("session").value, domain="localhost")
    assert thief.get("/admin/").status_code == 200
    return thief


def test_signing_out_ends_a_copied_session(app, admin_client):
    thief = _copy_session(app, admin_client)
    assert admin_client.post("/auth/logout").status_code == 302
    assert thief.get("/admin/").status_code == 302


def test_password_reset_from_the_command_line_ends_sessions(app, runner, admin_client, monkeypatch):
    thief = _copy_session(app, admin_client)
    monkeypatch.setenv("HEARING_USER_PASSWORD", "a-brand-new-password")
    result = runner.invoke(args=["create-user", "admin@example.no", "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert thief.get("/admin/").status_code == 302
    assert admin_client.get("/admin/").status_code == 302


def test_role_change_ends_sessions(app, runner, analyst, monkeypatch):
    signed_in = app.test_client()
    sign_in(signed_in, analyst.email)
    thief = _copy_session(app, signed_in)
    analyst.role = Role.ADMIN
    db.session.commit()
    assert thief.get("/admin/").status_code == 302
    assert signed_in.get("/admin/").status_code == 302


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(
    app, admin_client, analyst
):
    signed_in = app.test_client()
    sign_in(signed_in, analyst.email)
    thief = _copy_session(app, signed_in)
    assert admin_client.post(f"/admin/users/{analyst.id}/toggle").status_code == 302
    assert thief.get("/admin/").status_code == 302
    assert admin_client.post(f"/admin/users/{analyst.id}/toggle").status_code == 302
    assert thief.get("/admin/").status_code == 302
    assert signed_in.get("/admin/").status_code == 302


def test_other_users_and_unchanged_users_keep_their_sessions(app, admin_client, analyst):
    signed_in = app.test_client()
    sign_in(signed_in, analyst.email)
    analyst.last_login_at = analyst.last_login_at  # a sign-in or a save changes nothing
    analyst.role = Role.ANALYST
    db.session.commit()
    assert signed_in.get("/admin/").status_code == 200
    assert admin_client.post("/auth/logout").status_code == 302
    assert signed_in.get("/admin/").status_code == 200


def test_a_session_without_a_version_is_refused(admin_client, admin):
    """Sessions made before session versions existed hold only the user id."""
    with admin_client.session_transaction() as session:
        assert session["_user_id"] == f"{admin.id}:{admin.session_version}"
        session["_user_id"] = str(admin.id)
    assert admin_client.get("/admin/").status_code == 302


# Sign-in reveals nothing about which accounts exist ------------------------------------------


@pytest.fixture()
def hash_checks(monkeypatch):
    """Counts the password hash verifications of each sign-in."""
    calls: list[str] = []
    real = sign_in_guard.check_password_hash

    def counting(stored: str, password: str) -> bool:
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(sign_in_guard, "check_password_hash", counting)
    return calls


def test_unknown_and_inactive_accounts_cost_a_hash_like_known_ones(client, admin, hash_checks):
    wrong = {"password": "not-the-password"}
    for email in ("nobody@example.no", admin.email):
        hash_checks.clear()
        response = client.post("/auth/login", data={"email": email, **wrong})
        assert "Feil e-postadresse eller passord." in response.get_data(as_text=True)
        assert len(hash_checks) == 1, email
    admin.active = False
    db.session.commit()
    hash_checks.clear()
    client.post("/auth/login", data={"email": admin.email, "password": PASSWORD})
    assert len(hash_checks) == 1
    assert client.get("/admin/").status_code == 302


def test_the_dummy_hash_is_made_like_real_ones(admin):
    dummy = sign_in_guard._dummy_password_hash()
    assert dummy.split("$")[0] == admin.password_hash.split("$")[0]  # method and cost
    assert not sign_in_guard.password_matches(None, "")


def _limited_app(migrated, **config):
    app = make_app(migrated, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="100 per minute", **config)
    return app


def test_one_account_is_paused_after_five_failures_from_anywhere(migrated):
    app = _limited_app(migrated)
    with app.app_context():
        limiter.reset()
        create_user("target@example.no", Role.ADMIN)
        try:
            # Five clients (addresses) guess; the per-client limit never triggers.
            for number in range(5):
                client = app.test_client()
                response = client.post(
                    "/auth/login",
                    data={"email": "Target@example.no", "password": f"guess-{number}"},
                    environ_base={"REMOTE_ADDR": f"192.0.2.{number}"},
                )
                assert response.status_code == 200
            right = {"email": "target@example.no", "password": PASSWORD}
            response = app.test_client().post("/auth/login", data=right)
            assert response.status_code == 429
            page = response.get_data(as_text=True)
            assert "For mange mislykkede innlogginger med denne e-postadressen." in page
            assert "Prøv igjen om 15 min." in page
            assert app.test_client().get("/admin/").status_code == 302
            # Other accounts, known or not, are not paused.
            other = app.test_client().post(
                "/auth/login", data={"email": "other@example.no", "password": "x"}
            )
            assert other.status_code == 200
        finally:
            limiter.reset()
            db.session.execute(User.__table__.delete())
            db.session.commit()


def test_a_successful_sign_in_starts_the_count_afresh(migrated):
    app = _limited_app(migrated)
    with app.app_context():
        limiter.reset()
        create_user("target@example.no", Role.ADMIN)
        try:
            client = app.test_client()
            wrong = {"email": "target@example.no", "password": "wrong-guess"}
            for _attempt in range(4):
                assert client.post("/auth/login", data=wrong).status_code == 200
            sign_in(client, "target@example.no")
            for _attempt in range(4):
                assert client.post("/auth/login", data=wrong).status_code == 200
            sign_in(client, "target@example.no")
        finally:
            limiter.reset()
            db.session.execute(User.__table__.delete())
            db.session.commit()


def test_the_pause_is_said_in_english_too(migrated):
    app = _limited_app(migrated, RATELIMIT_LOGIN_ACCOUNT="1 per 15 minutes")
    with app.app_context():
        limiter.reset()
        try:
            client = app.test_client()
            client.get("/language/en")
            data = {"email": "someone@example.no", "password": "wrong-guess"}
            client.post("/auth/login", data=data)
            page = client.post("/auth/login", data=data).get_data(as_text=True)
            assert "Too many failed sign-ins with this e-mail address." in page
        finally:
            limiter.reset()


# Admin pages with personal data --------------------------------------------------------------


@pytest.fixture()
def draft_and_response(app):
    """One submitted response and one draft, posted through the public form."""
    consultation = make_consultation()
    client = app.test_client()
    assert post_new(client, full_answer(consultation)).status_code == 302
    draft = full_answer(
        consultation, idempotency_key="d" * 32, action="draft", respondent_name="Utkastskriver"
    )
    assert post_new(client, draft).status_code == 302
    by_name = {s.respondent_name: s for s in db.session.scalars(select(Submission))}
    return by_name["Bergen kommune"], by_name["Utkastskriver"]


def test_data_json_refuses_drafts_like_the_submission_page(admin_client, draft_and_response):
    submitted, draft = draft_and_response
    base = f"/admin/consultations/{SLUG}/submissions"
    assert admin_client.get(f"{base}/{draft.id}").status_code == 404
    response = admin_client.get(f"{base}/{draft.id}/data.json")
    assert response.status_code == 404
    assert "Utkastskriver" not in response.get_data(as_text=True)
    assert admin_client.get(f"{base}/{submitted.id}/data.json").status_code == 200


def test_admin_pages_with_personal_data_are_never_cached(admin_client, draft_and_response):
    submitted, draft = draft_and_response
    base = f"/admin/consultations/{SLUG}/submissions"
    for url in (
        f"{base}/{submitted.id}",
        f"{base}/{submitted.id}/data.json",
        base,
        "/admin/audit",
        "/admin/users",
        f"{base}/{draft.id}",  # refused (404), and still not cached
    ):
        response = admin_client.get(url)
        assert response.headers["Cache-Control"] == "no-store, private", url
