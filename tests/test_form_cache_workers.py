"""Gunicorn workers see a change to the form on their next request, with no signal between them.

Each worker process keeps its own cache of the response form (hearing.services.form_shapes).
This starts the production server with several workers, fills their caches over many fresh
connections (the kernel spreads those over the workers), changes a question from another
process, as the secretariat's request in some other worker would, and checks that no response
afterwards shows the old text.
"""

from __future__ import annotations

import http.client
import secrets
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench.load_server import GunicornServer, LoadDatabase, ServerSettings, prepare

WORKERS = 3
REQUESTS = 30


def _form_pages(server: GunicornServer, slug: str) -> list[str]:
    """REQUESTS form pages, each on a new connection."""
    pages = []
    for _ in range(REQUESTS):
        connection = http.client.HTTPConnection(*server.address, timeout=30)
        try:
            connection.request("GET", f"/h/{slug}/svar", headers={"Connection": "close"})
            response = connection.getresponse()
            assert response.status == 200
            pages.append(response.read().decode())
        finally:
            connection.close()
    return pages


@pytest.mark.slow
def test_a_question_changed_elsewhere_reaches_every_worker(tmp_path: Path):
    database = LoadDatabase.create("sqlite")
    secret = secrets.token_hex(32)
    server = None
    try:
        spec = prepare(database.url, secret)
        server = GunicornServer(
            database.url, secret, ServerSettings(workers=WORKERS), tmp_path / "gunicorn.log"
        )
        server.start()
        question_id = spec.questions[0].id
        engine = create_engine(database.url)
        with engine.connect() as connection:
            old_text = connection.execute(
                text("SELECT text FROM questions WHERE id = :id"), {"id": question_id}
            ).scalar_one()
        assert all(old_text in page for page in _form_pages(server, spec.slug))

        # The secretariat's change, committed by another process through the ORM.
        from hearing import create_app
        from hearing.extensions import db
        from hearing.models import Question

        app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": secret})
        with app.app_context():
            db.session.get(Question, question_id).text = "Et helt nytt spørsmål?"
            db.session.commit()
            db.engine.dispose()

        pages = _form_pages(server, spec.slug)
        assert all("Et helt nytt spørsmål?" in page for page in pages)
        assert not any(old_text in page for page in pages)
        assert len(server.worker_pids()) == WORKERS
        engine.dispose()
    finally:
        if server is not None:
            server.stop()
        database.drop()
