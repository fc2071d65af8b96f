"""One synthesis run per consultation at a time, a limit on runs at once in the installation,
and each run's time and memory limits."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from hearing.extensions import db
from hearing.models import RunScope, RunStatus, Status, SynthesisRun
from hearing.services import run_execution, synthesis_runs
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.snapshot import Answer, ConsultationSnapshot, Question, QuestionKind, Respondent
from tests.conftest import _empty_tables, make_app


def _consultation(slug: str, text: str = "Mer samarbeid mellom tjenestene."):
    snapshot = ConsultationSnapshot(
        slug=slug, title=slug, questions=(Question("1", "Kommentar?", QuestionKind.TEXT),)
    )
    consultation = create_consultation(snapshot, slug=slug, status=Status.CLOSED)
    add_respondents(consultation, [Respondent("a", "A", "", answers={"1": Answer("1", text=text)})])
    db.session.commit()
    return consultation


def test_a_second_run_of_one_consultation_waits_for_the_first(app):
    consultation = _consultation("en")
    first = synthesis_runs.request_run(consultation, synthesis_runs.run_parameters())
    db.session.commit()
    assert not first.reused
    with pytest.raises(synthesis_runs.RunRefused):
        synthesis_runs.request_run(
            consultation, synthesis_runs.run_parameters(n_themes=3), force=True
        )
    with pytest.raises(synthesis_runs.RunRefused):  # a public run waits too
        synthesis_runs.request_run(
            consultation, synthesis_runs.run_parameters(), scope=RunScope.PUBLIC
        )


def test_the_installation_runs_at_most_the_configured_number(migrated):
    limited = make_app(migrated, SYNTHESIS_MAX_ACTIVE_RUNS=2)
    with limited.app_context():
        try:
            for slug in ("a", "b"):
                synthesis_runs.request_run(_consultation(slug), synthesis_runs.run_parameters())
                db.session.commit()
            with pytest.raises(synthesis_runs.RunRefused):
                synthesis_runs.request_run(_consultation("c"), synthesis_runs.run_parameters())
        finally:
            db.session.rollback()
            _empty_tables()
            db.session.remove()
            db.engine.dispose()


def test_the_page_says_why_a_run_was_refused(app, admin_client):
    consultation = _consultation("side")
    synthesis_runs.request_run(consultation, synthesis_runs.run_parameters())
    db.session.commit()
    response = admin_client.post(
        "/admin/consultations/side/synthesis/runs", data={"force": "1"}, follow_redirects=True
    )
    assert "kjører allerede" in response.get_data(as_text=True)


def test_a_run_over_its_time_limit_is_stopped_and_failed(migrated, monkeypatch):
    limited = make_app(migrated, SYNTHESIS_TIME_LIMIT_SECONDS=1)
    queue = limited.extensions["tasks"]

    def endless_themes(*args, **kwargs):
        deadline = time.monotonic() + 120  # the limit stops it long before; if not, fail
        while time.monotonic() < deadline:
            time.sleep(0.05)
        raise AssertionError("the time limit did not stop the run")

    monkeypatch.setattr("synthesis.pipeline.SynthesisPipeline._themes", endless_themes)
    with limited.app_context():
        try:
            requested = synthesis_runs.request_run(
                _consultation("slow"), synthesis_runs.run_parameters()
            )
            db.session.commit()
            synthesis_runs.dispatch(requested.run.id)
            queue.join()
            db.session.expire_all()
            run = db.session.get(SynthesisRun, requested.run.id)
            assert (run.status, run.error) == (RunStatus.FAILED, run_execution.TIME_LIMIT_ERROR)
        finally:
            queue.stop()
            db.session.rollback()
            _empty_tables()
            db.session.remove()
            db.engine.dispose()


# A worker process caps its address space at boot; this does the same, then runs a run whose
# first stage asks for 4 GiB (Linux: the limit and /proc/self/status).
GREEDY_RUN = """
import sys
from pathlib import Path

import numpy

import synthesis.pipeline
from hearing import tasks
from hearing.services import run_execution
from tests.conftest import make_app

def greedy(*args, **kwargs):
    return numpy.ones(4 * 1024**3 // 8)

app = make_app(sys.argv[1])
with app.app_context():
    synthesis.pipeline.tabulate = greedy
    status = Path("/proc/self/status").read_text().splitlines()
    in_use_mb = int(next(line for line in status if line.startswith("VmSize:")).split()[1]) // 1024
    tasks.limit_address_space(in_use_mb + 512)
    run_execution.execute_run(int(sys.argv[2]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc: Linux")
def test_a_run_over_its_memory_limit_fails_with_a_message(app):
    run = synthesis_runs.request_run(_consultation("greedy"), synthesis_runs.run_parameters()).run
    db.session.commit()
    completed = subprocess.run(
        [sys.executable, "-c", GREEDY_RUN, db.engine.url.render_as_string(False), str(run.id)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    db.session.expire_all()
    run = db.session.get(SynthesisRun, run.id)
    assert (run.status, run.error) == (RunStatus.FAILED, run_execution.MEMORY_ERROR)
