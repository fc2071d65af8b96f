"""Public summary files and the summary page are made once per version of the published data.

A repeat download is the same file (revalidated with its ETag); anything that changes what the
public may see — a response hidden or erased, a new response, another language — makes a new
version at once; downloads are rate-limited per client.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from hearing.extensions import db, limiter
from hearing.models import Submission
from hearing.published_files import store_directory
from hearing.services import responses
from hearing.services.privacy import erase_respondent
from tests.conftest import make_app
from tests.export_web_support import SLUG, store_sample

JSON_URL = f"/h/{SLUG}/oppsummering.json"
PAGE_URL = f"/h/{SLUG}/oppsummering"


def _names(data: bytes) -> set[str]:
    return {respondent["name"] for respondent in json.load(io.BytesIO(data))["respondents"]}


def _submission(name: str) -> Submission:
    return db.session.scalars(select(Submission).where(Submission.respondent_name == name)).one()


def _stored_files(consultation_id: int) -> list[Path]:
    directory = store_directory() / str(consultation_id)
    return sorted(directory.glob("*")) if directory.exists() else []


def test_a_repeat_download_is_the_same_file_and_revalidates(app, client):
    consultation = store_sample()
    first = client.get(JSON_URL)
    second = client.get(JSON_URL)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data  # the same file, export time included
    assert [p.suffix for p in _stored_files(consultation.id)] == [".json"]
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    revalidated = client.get(JSON_URL, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304


def test_hiding_or_erasing_a_response_makes_a_new_version_at_once(app, client):
    consultation = store_sample()
    before = client.get(JSON_URL)
    assert "NTNU" in _names(before.data)
    assert "NTNU" in client.get(PAGE_URL).get_data(as_text=True)

    responses.set_hidden(_submission("NTNU"), True, "Personopplysninger")
    db.session.commit()
    hidden = client.get(JSON_URL, headers={"If-None-Match": before.headers["ETag"]})
    assert hidden.status_code == 200
    assert "NTNU" not in _names(hidden.data)
    assert "NTNU" not in client.get(PAGE_URL).get_data(as_text=True)
    assert len(_stored_files(consultation.id)) == 1  # the old version is gone

    erase_respondent(_submission("Helsedirektoratet"))
    db.session.commit()
    assert "Helsedirektoratet" not in _names(client.get(JSON_URL).data)
    assert "Helsedirektoratet" not in client.get(PAGE_URL).get_data(as_text=True)


def test_each_language_is_its_own_file(app, client):
    store_sample()
    norwegian = client.get(f"/h/{SLUG}/oppsummering.csv").data
    english = client.get(f"/h/{SLUG}/oppsummering.csv?lang=en").data
    assert norwegian != english
    assert client.get(f"/h/{SLUG}/oppsummering.csv").data == norwegian


@pytest.fixture()
def limited_app(app: Flask, migrated: str) -> Iterator[Flask]:
    strict = make_app(migrated, RATELIMIT_ENABLED=True, RATELIMIT_DOWNLOAD="2 per minute")
    with strict.app_context():
        limiter.reset()
        yield strict
        limiter.reset()
        db.session.remove()


def test_downloads_are_rate_limited_per_client(limited_app):
    store_sample()
    client = limited_app.test_client()
    statuses = [client.get(JSON_URL).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(PAGE_URL).status_code == 200  # reading the page is not limited
