"""Stored synthesis runs: executors, the worker, failures, runs whose process died,
`hearing synthesize`, analyst pages."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hearing.demo import load_demo
from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, RunStatus, Source, SynthesisRun, ThemeEdit
from hearing.models.types import utcnow
from hearing.services import synthesis_runs
from hearing.services.run_heartbeat import STALE_ERROR, HeartbeatTicker, beat, recover_stale_runs
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.pipeline import SynthesisPipeline
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from synthesis.theme_edits import RenameTheme
from tests.conftest import PASSWORD, make_app

SLUG = "skolehelse"
TOPIC_TEXTS = (
    "Helsesykepleiere i skolen må få flere stillinger og mer tid til elevene.",
    "Skolehelsetjenesten trenger flere helsesykepleiere og faste kontordager på skolen.",
    "Barnevernet og skolen bør samarbeide tettere om utsatte barn og familier.",
    "Samarbeid mellom barnevernet, skolen og helsestasjonen må bli bedre og mer forpliktende.",
)


def _small_snapshot() -> ConsultationSnapshot:
    """Sixteen respondents writing on two topics, so themes are quick to find."""
    respondents = tuple(
        Respondent(
            key=f"k{n}",
            name=f"Kommune {n}",
            category="Kommune (Offentlig)" if n % 2 else "Organisasjon (Privat)",
            answers={
                "1": Answer("1", value=n % 5),
                "2": Answer("2", text=f"{TOPIC_TEXTS[n % 4]} Vi har erfaring nummer {n}."),
            },
        )
        for n in range(16)
    )
    return ConsultationSnapshot(
        slug=SLUG,
        title="Skolehelsetjenesten",
        categories=(Category("Kommune", Sector.PUBLIC), Category("Organisasjon", Sector.PRIVATE)),
        questions=(
            Question("1", "Er du enig?", QuestionKind.SCALE),
            Question("2", "Hva bør endres?", QuestionKind.TEXT),
        ),
        respondents=respondents,
    )


@pytest.fixture()
def small(app: Flask) -> Consultation:
    snapshot = _small_snapshot()
    consultation = create_consultation(snapshot, slug=SLUG)
    db.session.flush()
    add_respondents(consultation, snapshot.respondents, source=Source.IMPORT)
    db.session.commit()
    return consultation


def _start(client: FlaskClient, **form: str):
    return client.post(
        f"/admin/consultations/{SLUG}/synthesis/runs", data={"n_themes": "2", **form}
    )


def _runs() -> list[SynthesisRun]:
    db.session.expire_all()
    return list(db.session.scalars(select(SynthesisRun).order_by(SynthesisRun.id)))


@pytest.fixture()
def inline(app: Flask) -> None:
    app.config["SYNTHESIS_EXECUTOR"] = "inline"


def test_analyst_runs_synthesis_edits_a_theme_and_the_edit_survives_a_rerun(
    app, small, analyst_client, inline
):
    response = _start(analyst_client)
    assert response.status_code == 302
    [run] = _runs()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert set(run.timings) == {"tabulation", "duplicates", "themes", "opinion_groups"}
    page = analyst_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ferdig" in page and "run-progress" not in page

    positions = analyst_client.get(f"/admin/consultations/{SLUG}/synthesis/positions")
    assert positions.status_code == 200
    html = positions.get_data(as_text=True)
    assert "Kommune (Offentlig)" in html and "<svg" in html and "Netto enighet" in html

    themes_url = f"/admin/consultations/{SLUG}/synthesis/themes/2"
    assert analyst_client.get(themes_url).status_code == 200
    [question] = synthesis_runs.latest_result(small).result.themes
    theme = question.themes[0]
    edited = analyst_client.post(
        f"{themes_url}/edits",
        data={"kind": "rename", "theme": theme.theme_id, "label": "Flere helsesykepleiere"},
    )
    assert edited.status_code == 302
    assert "Flere helsesykepleiere" in analyst_client.get(themes_url).get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "synthesis.theme_edit")
        )
        == 1
    )

    _start(analyst_client, force="1")
    runs = _runs()
    assert [r.status for r in runs] == [RunStatus.DONE, RunStatus.DONE]
    assert synthesis_runs.latest_result(small).run.id == runs[-1].id
    assert "Flere helsesykepleiere" in analyst_client.get(themes_url).get_data(as_text=True)
    assert db.session.scalar(select(func.count(ThemeEdit.id))) == 1


def test_every_theme_edit_kind_is_applied(app, small, analyst_client, inline):
    _start(analyst_client)
    themes_url = f"/admin/consultations/{SLUG}/synthesis/themes/2"

    def themes():
        return synthesis_runs.latest_result(small).result.themes[0].themes

    first, second = themes()[:2]
    analyst_client.post(f"{themes_url}/edits", data={"kind": "reviewed", "theme": first.theme_id})
    assert any(t.reviewed for t in themes())
    first, second = themes()[:2]
    passage = second.passage_hashes[0]
    analyst_client.post(
        f"{themes_url}/edits",
        data={
            "kind": "move",
            "theme": second.theme_id,
            "passage": passage,
            "target": first.theme_id,
        },
    )
    holder = next(t for t in themes() if passage in t.passage_hashes)
    assert set(first.passage_hashes) <= set(holder.passage_hashes)
    biggest = max(themes(), key=lambda t: len(t.passage_hashes))
    analyst_client.post(
        f"{themes_url}/edits",
        data={
            "kind": "split",
            "theme": biggest.theme_id,
            "passage": list(biggest.passage_hashes[:2]),
            "label": "Utskilt",
        },
    )
    assert any(t.label == "Utskilt" for t in themes())
    count = len(themes())
    a, b = themes()[:2]
    analyst_client.post(
        f"{themes_url}/edits", data={"kind": "merge", "theme": a.theme_id, "other": b.theme_id}
    )
    assert len(themes()) == count - 1
    refused = analyst_client.post(
        f"{themes_url}/edits", data={"kind": "rename", "theme": "t-gone", "label": "X"}
    )
    assert refused.status_code == 302
    assert db.session.scalar(select(func.count(ThemeEdit.id))) == 4

    synthesis_runs.add_theme_edit(small, "2", RenameTheme(("gone",), "Borte"), created_by_id=None)
    db.session.commit()
    page = analyst_client.get(themes_url).get_data(as_text=True)
    assert "Endringer som ikke lenger passer" in page and "Borte" in page


def test_a_rerun_with_the_same_input_is_skipped_unless_forced(app, small, analyst_client, inline):
    _start(analyst_client)
    response = _start(analyst_client)
    assert len(_runs()) == 1
    page = analyst_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "samme resultat" in page
    _start(analyst_client, force="1")
    assert len(_runs()) == 2


def test_worker_once_claims_and_executes_a_queued_run(app, small, analyst_client, runner):
    app.config["SYNTHESIS_EXECUTOR"] = "worker"
    _start(analyst_client)
    [run] = _runs()
    assert run.status == RunStatus.QUEUED
    status = analyst_client.get(
        f"/admin/consultations/{SLUG}/synthesis/runs/{run.id}/status.json"
    ).get_json()
    assert status["status"] == "queued" and status["active"] is True
    page = analyst_client.get(f"/admin/consultations/{SLUG}/synthesis/runs/{run.id}").get_data(
        as_text=True
    )
    assert "synthesis.js" in page and "Oppdater siden" in page

    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    [run] = _runs()
    assert run.status == RunStatus.DONE
    assert synthesis_runs.claim(run.id) is False  # a second worker finds nothing to claim
    assert runner.invoke(args=["worker", "--once"]).output == ""


def test_a_failing_stage_marks_the_run_failed(app, small, analyst_client, inline, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("tabulation exploded")

    monkeypatch.setattr("synthesis.pipeline.tabulate", broken)
    response = _start(analyst_client)
    [run] = _runs()
    assert run.status == RunStatus.FAILED
    assert run.error == "RuntimeError: tabulation exploded" and run.finished_at is not None
    assert "tabulation exploded" in analyst_client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert synthesis_runs.latest_result(small) is None


def test_the_thread_executor_runs_off_the_request(app, small, analyst_client):
    app.config["SYNTHESIS_EXECUTOR"] = "thread"
    response = _start(analyst_client)
    assert response.status_code == 302
    [run] = _runs()
    workers = [t for t in threading.enumerate() if t.name == f"synthesis-run-{run.id}"]
    for worker in workers:
        worker.join(timeout=300)
    [run] = _runs()
    assert run.status == RunStatus.DONE
    assert run.result is not None


def test_latest_inputs_give_the_exports_a_summary_input(app, small, analyst_client, inline):
    assert synthesis_runs.latest_inputs(small) is None
    _start(analyst_client, campaigns_once="1")
    inputs = synthesis_runs.latest_inputs(small)
    [run] = _runs()
    assert inputs.run_id == str(run.id)
    assert inputs.parameters["count_campaigns_once"] is True
    assert inputs.parameters["input_hash"] == run.input_hash
    assert [t.question_code for t in inputs.tabulations] == ["1"]
    assert [q.question_code for q in inputs.themes] == ["2"]


def test_anonymous_is_refused(app, small, client):
    base = f"/admin/consultations/{SLUG}/synthesis"
    assert client.get(base).status_code == 302
    assert client.post(f"{base}/runs", data={"n_themes": "2"}).status_code == 302
    assert client.get(f"{base}/positions").status_code == 302
    assert _runs() == []


def test_analyst_is_allowed_and_finds_the_pages_from_the_consultation(app, small, analyst_client):
    base = f"/admin/consultations/{SLUG}/synthesis"
    assert analyst_client.get(base).status_code == 200
    assert analyst_client.get(f"{base}/positions").status_code == 302  # no run yet: to start
    consultation_page = analyst_client.get(f"/admin/consultations/{SLUG}").get_data(as_text=True)
    assert f'href="{base}"' in consultation_page


def test_starting_a_run_needs_the_csrf_token(migrated, small, analyst):
    csrf_app = make_app(migrated, WTF_CSRF_ENABLED=True, SYNTHESIS_EXECUTOR="worker")
    client = csrf_app.test_client()
    with csrf_app.app_context():
        login_page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        signed_in = client.post(
            "/auth/login", data={"email": analyst.email, "password": PASSWORD, "csrf_token": token}
        )
        assert signed_in.status_code == 302
        url = f"/admin/consultations/{SLUG}/synthesis/runs"
        assert client.post(url).status_code == 400
        assert client.post(url, data={"csrf_token": token}).status_code == 302
        db.session.remove()
        db.engine.dispose()
    assert [run.status for run in _runs()] == [RunStatus.QUEUED]


def test_invalid_number_of_themes_is_refused(app, small, analyst_client, inline):
    response = _start(analyst_client, n_themes="1")
    assert response.status_code == 302
    assert _runs() == []


def test_cli_synthesize_demo_stores_a_done_run_and_prints_the_summary(app, runner, analyst_client):
    load_demo()
    db.session.commit()
    slug = "ledelse-kunnskapsbasert-praksis"
    result = runner.invoke(args=["synthesize", slug, "--themes", "2"])
    assert result.exit_code == 0, result.output
    output = result.output
    assert "Helt enig 8, Delvis enig 13, Hverken eller 3, Delvis uenig 2, Helt uenig 0" in output
    assert "Tid per steg" in output and "Stavanger kommune" in output
    [run] = _runs()
    assert run.status == RunStatus.DONE and run.parameters["n_themes"] == 2

    again = runner.invoke(args=["synthesize", slug, "--themes", "2"])
    assert again.exit_code == 0 and "ingenting å gjøre" in again.output
    assert len(_runs()) == 1

    duplicates = analyst_client.get(f"/admin/consultations/{slug}/synthesis/duplicates").get_data(
        as_text=True
    )
    assert duplicates.count("Stavanger kommune") >= 2
    assert "/submissions/" in duplicates  # names link to the secretariat's submission page
    opinions = analyst_client.get(f"/admin/consultations/{slug}/synthesis/opinions")
    assert opinions.status_code == 200
    assert "Gruppe 1" in opinions.get_data(as_text=True)
    assert runner.invoke(args=["synthesize", "finnes-ikke"]).exit_code != 0


STALE_ENGLISH = "The run stopped without finishing (the process running it was interrupted)."
LONG_AGO = timedelta(hours=1)


def _left_behind(
    consultation: Consultation, age: timedelta, status: RunStatus = RunStatus.RUNNING
) -> SynthesisRun:
    """A run as a killed process leaves it: requested with the parameters `_start` asks for (so
    without recovery a new request would be handed this run), last heard of `age` ago."""
    parameters = synthesis_runs.run_parameters(n_themes=2)
    run = synthesis_runs.request_run(consultation, parameters).run
    run.status = status
    run.created_at = run.heartbeat_at = utcnow() - age
    db.session.commit()
    return run


def _declare_dead(run_id: int) -> None:
    """What another process does on finding the run's heartbeat stale."""
    db.session.execute(
        update(SynthesisRun)
        .where(SynthesisRun.id == run_id)
        .values(heartbeat_at=utcnow() - LONG_AGO)
    )
    db.session.commit()
    assert recover_stale_runs() == 1


def test_a_run_whose_process_died_is_marked_failed_when_the_page_loads(
    app, small, analyst_client, inline
):
    dead = _left_behind(small, LONG_AGO)
    page = analyst_client.get(f"/admin/consultations/{SLUG}/synthesis").get_data(as_text=True)
    assert "Kjøringen stoppet uten å fullføre" in page
    [run] = _runs()
    assert run.status == RunStatus.FAILED and run.error == STALE_ERROR
    assert run.finished_at is not None
    run_url = f"/admin/consultations/{SLUG}/synthesis/runs/{dead.id}"
    assert analyst_client.get(f"{run_url}/status.json").get_json()["active"] is False
    analyst_client.get("/language/en?next=/")
    assert STALE_ENGLISH in analyst_client.get(run_url).get_data(as_text=True)

    _start(analyst_client)
    failed, new = _runs()
    assert (failed.status, new.status) == (RunStatus.FAILED, RunStatus.DONE)
    assert new.heartbeat_at is not None and new.heartbeat_at >= new.created_at


@pytest.mark.parametrize("status", [RunStatus.RUNNING, RunStatus.QUEUED])
def test_requesting_a_run_first_fails_the_dead_one(app, small, analyst_client, inline, status):
    _left_behind(small, LONG_AGO, status)
    _start(analyst_client)  # no page looked at the dead run before
    assert [(run.status, run.error) for run in _runs()] == [
        (RunStatus.FAILED, STALE_ERROR),
        (RunStatus.DONE, ""),
    ]


def test_a_run_with_a_fresh_heartbeat_is_left_alone(app, small, analyst_client):
    app.config["SYNTHESIS_EXECUTOR"] = "worker"  # nothing would execute a new run here
    stale_after = timedelta(seconds=app.config["SYNTHESIS_STALE_AFTER_SECONDS"])
    alive = _left_behind(small, stale_after - timedelta(seconds=30))
    base = f"/admin/consultations/{SLUG}/synthesis"
    assert "Følg kjøringen" in analyst_client.get(base).get_data(as_text=True)
    assert analyst_client.get(f"{base}/runs/{alive.id}").status_code == 200
    assert analyst_client.get(f"{base}/runs/{alive.id}/status.json").get_json()["active"]
    response = _start(analyst_client)
    assert response.headers["Location"].endswith(f"/runs/{alive.id}")  # the live run, reused
    [run] = _runs()
    assert run.status == RunStatus.RUNNING and run.error == ""
    assert recover_stale_runs() == 0


def test_a_queued_run_waits_for_the_worker_however_long(app, small):
    app.config["SYNTHESIS_EXECUTOR"] = "worker"
    _left_behind(small, LONG_AGO, RunStatus.QUEUED)
    assert recover_stale_runs() == 0
    [run] = _runs()
    assert run.status == RunStatus.QUEUED


def test_the_worker_fails_dead_runs_when_it_starts(app, small, runner):
    app.config["SYNTHESIS_EXECUTOR"] = "worker"
    _left_behind(small, LONG_AGO)
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Merket 1 kjøring(er) uten livstegn som feilet." in result.output
    [run] = _runs()
    assert run.status == RunStatus.FAILED and run.error == STALE_ERROR


@pytest.mark.parametrize("when", ["during a stage", "after the last stage"])
def test_a_late_result_does_not_overwrite_the_verdict(
    app, small, analyst_client, inline, monkeypatch, when
):
    run_id = _left_behind(small, timedelta(0), RunStatus.QUEUED).id
    stages_reached: list[str] = []
    original_themes, original_run = SynthesisPipeline._themes, SynthesisPipeline.run

    def themes_after_death(self, *args, **kwargs):
        if when == "during a stage":
            _declare_dead(run_id)
        return original_themes(self, *args, **kwargs)

    def run_then_die(self, *args, **kwargs):
        result = original_run(self, *args, **kwargs)
        if when == "after the last stage":
            _declare_dead(run_id)
        return result

    monkeypatch.setattr(SynthesisPipeline, "_themes", themes_after_death)
    monkeypatch.setattr(SynthesisPipeline, "run", run_then_die)
    assert synthesis_runs.execute_run(run_id, on_progress=lambda s, p: stages_reached.append(s))
    [run] = _runs()
    assert (run.status, run.error, run.result, run.timings) == (
        RunStatus.FAILED,
        STALE_ERROR,
        None,
        {},
    )
    assert run.progress < 100
    # Found dead during the themes, the execution stops there instead of computing on.
    assert ("opinion_groups" in stages_reached) is (when == "after the last stage")


def test_a_late_crash_does_not_overwrite_the_verdict(app, small, inline, monkeypatch):
    run_id = _left_behind(small, timedelta(0), RunStatus.QUEUED).id

    def die_then_crash(self, *args, **kwargs):
        _declare_dead(run_id)
        raise RuntimeError("too late to matter")

    monkeypatch.setattr(SynthesisPipeline, "run", die_then_crash)
    synthesis_runs.execute_run(run_id)
    [run] = _runs()
    assert (run.status, run.error) == (RunStatus.FAILED, STALE_ERROR)


def test_the_heartbeat_ticks_only_for_a_running_run(app, small):
    run = _left_behind(small, LONG_AGO)
    last_heard = run.heartbeat_at
    with HeartbeatTicker(run.id, interval=0.01):
        deadline = time.monotonic() + 30
        while _runs()[0].heartbeat_at == last_heard and time.monotonic() < deadline:
            time.sleep(0.01)
    [run] = _runs()
    assert run.heartbeat_at > last_heard
    assert recover_stale_runs() == 0  # a live run is never marked failed
    run.status = RunStatus.FAILED
    db.session.commit()
    assert beat(db.engine, run.id) is False


def test_two_processes_finding_the_same_dead_run_mark_it_once(app, small, monkeypatch):
    run_id = _left_behind(small, LONG_AGO).id
    db.session.remove()  # the threads below each take a connection of their own
    both_have_read = threading.Barrier(2, timeout=60)
    read = Session.scalar

    def read_then_wait(self, *args, **kwargs):
        found = read(self, *args, **kwargs)
        both_have_read.wait()  # both saw the dead run before either marks it
        return found

    monkeypatch.setattr(Session, "scalar", read_then_wait)
    marked: list[int] = []

    def look() -> None:
        with app.app_context():
            marked.append(recover_stale_runs())
            db.session.remove()

    lookers = [threading.Thread(target=look) for _ in range(2)]
    for looker in lookers:
        looker.start()
    for looker in lookers:
        looker.join()
    monkeypatch.undo()
    assert sorted(marked) == [0, 1]
    assert db.session.get(SynthesisRun, run_id).status == RunStatus.FAILED
