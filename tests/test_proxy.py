"""Behind a TLS proxy: each respondent is their own client, and the app knows it is on HTTPS.

Only as many X-Forwarded-* hops as TRUSTED_PROXIES are believed; with none trusted (the default)
a client cannot escape a rate limit by naming another address.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from hearing.extensions import db, limiter
from tests.conftest import make_app
from tests.respond_support import full_answer, make_consultation

LIMIT = {"RATELIMIT_ENABLED": True, "RATELIMIT_SUBMIT": "2 per minute"}


@pytest.fixture()
def proxied_app(app: Flask, migrated: str, request: pytest.FixtureRequest) -> Iterator[Flask]:
    strict = make_app(migrated, **LIMIT, **request.param)
    with strict.app_context():
        limiter.reset()
        yield strict
        limiter.reset()
        db.session.remove()


def _post_from(client, consultation, number: int, forwarded_for: str):
    data = full_answer(consultation, idempotency_key=f"{number}" * 32)
    return client.post(
        f"/h/{consultation.slug}/svar",
        data=data,
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},  # the proxy
    )


@pytest.mark.parametrize("proxied_app", [{"TRUSTED_PROXIES": 1}], indirect=True)
def test_behind_a_trusted_proxy_each_respondent_has_their_own_limit(proxied_app):
    consultation = make_consultation()
    client = proxied_app.test_client()
    first = [_post_from(client, consultation, n, "198.51.100.7").status_code for n in range(3)]
    assert first == [302, 302, 429]
    assert _post_from(client, consultation, 3, "203.0.113.9").status_code == 302


@pytest.mark.parametrize("proxied_app", [{"TRUSTED_PROXIES": 0}], indirect=True)
def test_without_trusted_proxies_a_forged_address_does_not_escape_the_limit(proxied_app):
    consultation = make_consultation()
    client = proxied_app.test_client()
    addresses = ("198.51.100.7", "203.0.113.9", "192.0.2.44")
    statuses = [
        _post_from(client, consultation, n, address).status_code
        for n, address in enumerate(addresses)
    ]
    assert statuses == [302, 302, 429]


@pytest.mark.parametrize("proxied_app", [{"TRUSTED_PROXIES": 1}], indirect=True)
def test_https_at_the_proxy_gives_hsts_and_https_private_links(proxied_app):
    consultation = make_consultation()
    client = proxied_app.test_client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    page = client.get(f"/h/{consultation.slug}", headers=https)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    submitted = client.post(
        f"/h/{consultation.slug}/svar", data=full_answer(consultation), headers=https
    )
    receipt = client.get(submitted.headers["Location"], headers=https).get_data(as_text=True)
    assert f"https://localhost/h/{consultation.slug}/svar/" in receipt
    assert f"http://localhost/h/{consultation.slug}/svar/" not in receipt


@pytest.mark.parametrize("proxied_app", [{"TRUSTED_PROXIES": 0}], indirect=True)
def test_an_untrusted_forwarded_proto_is_ignored(proxied_app):
    consultation = make_consultation()
    page = proxied_app.test_client().get(
        f"/h/{consultation.slug}", headers={"X-Forwarded-Proto": "https"}
    )
    assert "Strict-Transport-Security" not in page.headers
