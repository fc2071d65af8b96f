"""The load harness at small scale: nothing acknowledged is lost, even after kill -9.

The harness runs the production setup (gunicorn, CSRF on) against a fresh database, so these
tests start real servers and are marked slow. The checks themselves (`bench.load_verify`) are
tested first on hand-made damage, so a passing harness run means something.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from bench.load_harness import LoadConfig, LoadResult, markdown, run_load
from bench.load_server import server_url_of
from bench.load_verify import verify
from hearing.extensions import db
from hearing.models import Answer, Source, Submission, SubmissionStatus
from tests.respond_support import SLUG, make_consultation

SMALL = {"clients": 5, "responses": 60, "workers": 2}


def test_healthz_answers_ok_and_checks_the_database_on_request(client):
    plain = client.get("/healthz")
    assert plain.status_code == 200 and plain.get_data(as_text=True) == "ok"
    assert plain.headers["Cache-Control"] == "no-store"
    ready = client.get("/healthz?db=1")
    assert ready.status_code == 200 and ready.get_data(as_text=True) == "ok"


def _stored(consultation, reference: str, answers: int) -> Submission:
    submission = Submission(
        consultation=consultation,
        reference=reference,
        status=SubmissionStatus.SUBMITTED,
        source=Source.WEB,
    )
    questions = consultation.questions[:answers]
    submission.answers = [Answer(question_id=q.id, text="svar") for q in questions]
    db.session.add(submission)
    return submission


def test_verification_passes_a_clean_database(app, migrated):
    consultation = make_consultation()
    for number in range(3):
        _stored(consultation, f"REF-{number}", answers=4)
    db.session.commit()
    result = verify(migrated, SLUG, ["REF-0", "REF-1", "REF-2"], answers_per_submission=4)
    assert result.ok, result.problems
    assert result.stored_web == 3 and result.acknowledged == 3


def test_verification_finds_lost_partial_and_duplicate_responses(app, migrated):
    consultation = make_consultation()
    _stored(consultation, "REF-WHOLE", answers=4)
    _stored(consultation, "REF-PARTIAL", answers=2)
    _stored(consultation, "REF-EXTRA", answers=4)  # stored twice for one acknowledged form
    db.session.commit()
    acknowledged = ["REF-WHOLE", "REF-PARTIAL", "REF-LOST"]
    result = verify(migrated, SLUG, acknowledged, answers_per_submission=4)
    assert not result.ok
    assert result.acknowledged_missing == 1
    assert result.partial == 1
    assert result.stored_unacknowledged == 1
    forgiven = verify(migrated, SLUG, acknowledged, answers_per_submission=4, abandoned=1)
    assert not any("duplicates" in problem for problem in forgiven.problems)


def test_verification_finds_answers_without_a_submission(app, migrated):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL enforces the foreign key, so the damage cannot be made")
    consultation = make_consultation()
    _stored(consultation, "REF-0", answers=4)
    db.session.commit()
    question_id = consultation.questions[0].id
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.execute(
            text("INSERT INTO answers (submission_id, question_id, dont_know) VALUES (999, :q, 0)"),
            {"q": question_id},
        )
        connection.commit()
    result = verify(migrated, SLUG, ["REF-0"], answers_per_submission=4)
    assert result.orphans["answers without submission"] == 1
    assert any("foreign_key_check" in problem for problem in result.problems)


def _assert_nothing_lost(result: LoadResult) -> None:
    report = markdown(result)
    assert result.errors == [], report
    assert len(result.acknowledged) == result.config.responses, report
    assert len(set(result.acknowledged)) == len(result.acknowledged), report
    assert result.verification is not None and result.verification.ok, report
    assert result.verification.stored_web == result.config.responses, report
    assert result.submit.count == result.config.responses, report
    assert "submissions/s" in report and "| submit POST |" in report


@pytest.mark.slow
def test_load_on_sqlite_stores_every_acknowledged_response_once():
    result = run_load(LoadConfig(db="sqlite", **SMALL))
    _assert_nothing_lost(result)
    assert result.healthz.count > 0
    server_cpu = result.server_cpu_seconds  # measured, not judged: speed belongs in bench/
    assert server_cpu is not None and server_cpu > 0


@pytest.mark.slow
def test_kill_9_mid_load_on_sqlite_loses_nothing_acknowledged_and_leaves_nothing_partial():
    result = run_load(LoadConfig(db="sqlite", crash_at=0.5, **SMALL))
    _assert_nothing_lost(result)
    assert 30 <= result.crash["killed_after_acknowledged"] < SMALL["responses"]
    assert result.transport_retries > 0  # the clients really saw the crash and retried
    assert result.verification is not None and result.verification.integrity == []


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL runs when TEST_DATABASE_URL is set"
)
def test_kill_9_mid_load_on_postgresql_loses_nothing_acknowledged():
    server = server_url_of(os.environ["TEST_DATABASE_URL"])
    result = run_load(LoadConfig(db="postgresql", postgres_server=server, crash_at=0.5, **SMALL))
    _assert_nothing_lost(result)
    assert result.transport_retries > 0
