"""Every secretariat route refuses anonymous users and analysts where an admin is needed."""

from __future__ import annotations

import pytest

from hearing.demo import DEMO_SLUG, load_demo
from hearing.extensions import db

S = DEMO_SLUG
ADMIN_ONLY_GET = [
    "/admin/consultations/new",
    f"/admin/consultations/{S}/edit",
    f"/admin/consultations/{S}/questions/new",
    f"/admin/consultations/{S}/categories/new",
    "/admin/users",
    "/admin/audit",
]
ADMIN_ONLY_POST = [
    f"/admin/consultations/{S}/status",
    f"/admin/consultations/{S}/categories/preset",
    "/admin/users/1/toggle",
]
READER_GET = ["/admin/", f"/admin/consultations/{S}"]


@pytest.fixture()
def demo(app):
    consultation, _, _ = load_demo()
    db.session.commit()
    return consultation


@pytest.mark.parametrize("path", ADMIN_ONLY_GET + READER_GET)
def test_anonymous_is_sent_to_login(client, demo, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ADMIN_ONLY_POST)
def test_anonymous_cannot_post(client, demo, path):
    response = client.post(path, data={"status": "closed"})
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ADMIN_ONLY_GET)
def test_analyst_refused_admin_pages(analyst_client, demo, path):
    assert analyst_client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_ONLY_POST)
def test_analyst_refused_admin_actions(analyst_client, demo, path):
    assert analyst_client.post(path, data={"status": "closed"}).status_code == 403
    db.session.refresh(demo)
    assert demo.status == "open"


@pytest.mark.parametrize("path", READER_GET)
def test_analyst_may_read(analyst_client, demo, path):
    assert analyst_client.get(path).status_code == 200


@pytest.mark.parametrize("path", ADMIN_ONLY_GET + READER_GET)
def test_admin_may_open_every_page(admin_client, demo, path):
    assert admin_client.get(path).status_code == 200
