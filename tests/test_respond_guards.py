"""Abuse guards on the response form: CSRF, rate limits, the honeypot, the request size limit."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from hearing.extensions import db, limiter
from hearing.models import Submission
from tests.conftest import make_app
from tests.respond_support import SLUG, full_answer, make_consultation, post_new


def _count() -> int:
    return db.session.scalar(select(func.count(Submission.id))) or 0


@pytest.fixture()
def guarded_app(app: Flask, migrated: str, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """A second app on the same (emptied) database with the overrides a test asks for."""
    strict = make_app(migrated, **request.param)
    limiting = bool(strict.config["RATELIMIT_ENABLED"])
    with strict.app_context():
        if limiting:
            limiter.reset()
        yield strict
        if limiting:
            limiter.reset()
        db.session.remove()


@pytest.mark.parametrize("guarded_app", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_csrf_token_is_required(guarded_app):
    consultation = make_consultation()
    client = guarded_app.test_client()
    refused = post_new(client, full_answer(consultation))
    assert refused.status_code == 400
    assert "Skjemaet var utløpt" in refused.get_data(as_text=True)
    page = client.get(f"/h/{SLUG}/svar").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = post_new(client, full_answer(consultation, csrf_token=token))
    assert accepted.status_code == 302
    assert _count() == 1


@pytest.mark.parametrize(
    "guarded_app", [{"RATELIMIT_ENABLED": True, "RATELIMIT_SUBMIT": "2 per minute"}], indirect=True
)
def test_submitting_is_rate_limited(guarded_app):
    consultation = make_consultation()
    client = guarded_app.test_client()
    statuses = [
        post_new(client, full_answer(consultation, idempotency_key=f"{n}" * 32)).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert client.get(f"/h/{SLUG}/svar").status_code == 200  # reading is not limited


def test_filled_honeypot_is_refused_quietly_and_nothing_is_kept(app, client):
    consultation = make_consultation()
    for action in ("submit", "draft"):
        response = post_new(
            client, full_answer(consultation, homepage="http://spam.example", action=action)
        )
        assert response.status_code == 400
    assert _count() == 0


@pytest.mark.parametrize("guarded_app", [{"MAX_CONTENT_LENGTH": 4096}], indirect=True)
def test_oversized_request_gets_the_friendly_413_page(guarded_app):
    consultation = make_consultation()
    client = guarded_app.test_client()
    response = post_new(client, full_answer(consultation, on_behalf_of="x" * 10_000))
    assert response.status_code == 413
    assert "For mye data" in response.get_data(as_text=True)
    assert _count() == 0
