"""Holes an attacker found in the web app (issue 11): redirects, sessions, sign-in, admin pages.

Each test failed before its fix. Responses and answers have their own file
(tests/test_respond_holes.py).
"""

from __future__ import annotations

import pytest

from hearing.extensions import db
from hearing.models import Role
from hearing.security import local_redirect_target
from tests.conftest import PASSWORD, sign_in

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
