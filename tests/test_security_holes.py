"""Holes an attacker found in the web app (issue 11): redirects, sessions, sign-in, admin pages.

Each test failed before its fix. Responses and answers have their own file
(tests/test_respond_holes.py).
"""

from __future__ import annotations

import pytest

from hearing.security import local_redirect_target
from tests.conftest import PASSWORD

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
