"""Stored synthesis runs: the executors, the embedded task queue, attempts and failures, late
results, `hearing synthesize`, analyst pages. (Redis workers: test_task_queue_redis.py.)"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearing import tasks
from hearing.demo import load_demo
from hearing.extensions import db
from hearing.models import (
    AuditEvent,
    Consultation,
    RunStatus,
    Source,
    SynthesisRun,
    SynthesisRunPart,
    SynthesisRunStep,
    ThemeEdit,
)
from hearing.models.types import utcnow
from hearing.services import run_execution, synthesis_runs
from hearing.services.snapshots import add_respondents, create_consultation, snapshot_of
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


@pytest.fixture()
def embedded(app: Flask) -> Iterator[tasks.TaskQueue]:
    """The app's embedded queue (the default), stopped after the test."""
    queue = app.extensions["tasks"]
    assert queue.embedded and app.config["SYNTHESIS_EXECUTOR"] == "queue"
    yield queue
    queue.join()
    queue.stop()


def test_the_embedded_queue_executes_a_run_off_the_request(
    app, small, analyst_client, embedded, monkeypatch
):
    trimmed: list[dict] = []
    monkeypatch.setattr(tasks, "release_freed_memory", lambda **given: trimmed.append(given))
    response = _start(analyst_client)
    assert response.status_code == 302
    embedded.join()
    # Each step is a task (first, positions, the question, finish); memory goes back after each.
    assert trimmed == [{"between_tasks": True}] * 4
    [run] = _runs()
    assert (run.status, run.attempts, run.progress) == (RunStatus.DONE, 1, 100)
    assert run.result is not None
    status = analyst_client.get(f"{response.headers['Location']}/status.json").get_json()
    assert status["status"] == "done" and status["active"] is False
    assert run_execution.claim(run.id) is None  # a second delivery finds nothing to do
    assert _runs()[0].status == RunStatus.DONE


def test_a_queued_run_has_a_page_that_follows_it(app, small, analyst_client):
    run = _left_behind(small, RunStatus.QUEUED)
    url = f"/admin/consultations/{SLUG}/synthesis/runs/{run.id}"
    status = analyst_client.get(f"{url}/status.json").get_json()
    assert status["status"] == "queued" and status["active"] is True
    page = analyst_client.get(url).get_data(as_text=True)
    assert "synthesis.js" in page and "Oppdater siden" in page
    overview = analyst_client.get(f"/admin/consultations/{SLUG}/synthesis")
    assert "Følg kjøringen" in overview.get_data(as_text=True)


def test_a_run_that_raised_is_failed_and_not_retried(
    app, small, analyst_client, embedded, monkeypatch
):
    calls: list[int] = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("tabulation exploded")

    monkeypatch.setattr("synthesis.pipeline.tabulate", broken)
    _start(analyst_client)
    embedded.join()
    [run] = _runs()
    assert (run.status, run.error, run.attempts) == (
        RunStatus.FAILED,
        "RuntimeError: tabulation exploded",
        1,
    )
    assert calls == [1]
    assert embedded.broker.dead_letters == []  # the task itself ended normally


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
    csrf_app = make_app(migrated, WTF_CSRF_ENABLED=True, SYNTHESIS_EXECUTOR="inline")
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
    assert [run.status for run in _runs()] == [RunStatus.DONE]


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
    # The reasons for a possible double submission are words in the page's language, not the
    # detector's English codes.
    assert "same leading name" not in duplicates and "same words in the name" not in duplicates
    opinions = analyst_client.get(f"/admin/consultations/{slug}/synthesis/opinions")
    assert opinions.status_code == 200
    assert "Gruppe 1" in opinions.get_data(as_text=True)
    assert runner.invoke(args=["synthesize", "finnes-ikke"]).exit_code != 0


def _left_behind(
    consultation: Consultation, status: RunStatus = RunStatus.RUNNING, *, attempts: int = 1
) -> SynthesisRun:
    """A run requested with the parameters `_start` asks for (so a new request would be handed
    this run), in the state a worker leaves it in: running attempt `attempts`, or queued."""
    parameters = synthesis_runs.run_parameters(n_themes=2)
    run = synthesis_runs.request_run(consultation, parameters).run
    run.status = status
    run.attempts = attempts if status == RunStatus.RUNNING else 0
    db.session.commit()
    return run


def test_a_run_delivered_again_after_its_worker_died_is_started_once_more(app, small):
    run_id = _left_behind(small).id  # running attempt 1: its worker is gone
    assert run_execution.execute_run(run_id)
    [run] = _runs()
    assert (run.status, run.attempts, run.error) == (RunStatus.DONE, 2, "")
    assert run.result is not None


def test_a_run_whose_worker_died_twice_is_failed(app, small, analyst_client):
    run_id = _left_behind(small, attempts=2).id
    assert run_execution.execute_run(run_id) is False
    [run] = _runs()
    assert (run.status, run.error) == (RunStatus.FAILED, run_execution.WORKER_LOST_ERROR)
    assert run.finished_at is not None and run.result is None
    analyst_client.get("/language/en?next=/")
    page = analyst_client.get(f"/admin/consultations/{SLUG}/synthesis/runs/{run_id}")
    assert "The run stopped twice because the process running it disappeared" in page.get_data(
        as_text=True
    )


def _run_row(consultation: Consultation, status: RunStatus) -> SynthesisRun:
    run = SynthesisRun(consultation_id=consultation.id, status=status, parameters={})
    db.session.add(run)
    db.session.commit()
    return run


def test_an_embedded_server_fails_the_runs_from_before_its_start(migrated, small, analyst):
    before = [_run_row(small, status) for status in (RunStatus.RUNNING, RunStatus.QUEUED)]
    for run in before:
        run.created_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    restarted = make_app(migrated)
    after_start = _run_row(small, RunStatus.QUEUED)
    client = restarted.test_client()
    with restarted.app_context():
        response = client.post("/auth/login", data={"email": analyst.email, "password": PASSWORD})
        assert response.status_code == 302  # the first request of the new server
        db.session.remove()
    assert [(run.status, run.error) for run in _runs()] == [
        (RunStatus.FAILED, run_execution.SERVER_RESTARTED_ERROR),
        (RunStatus.FAILED, run_execution.SERVER_RESTARTED_ERROR),
        (RunStatus.QUEUED, ""),
    ]
    assert _runs()[-1].id == after_start.id


def test_an_app_on_redis_leaves_earlier_runs_to_the_workers(migrated, small, analyst):
    run = _run_row(small, RunStatus.RUNNING)
    run.created_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    on_redis = make_app(migrated, REDIS_URL="redis://127.0.0.1:6379/0")
    assert on_redis.config["TASK_BROKER"] == "redis"
    client = on_redis.test_client()
    with on_redis.app_context():
        client.post("/auth/login", data={"email": analyst.email, "password": PASSWORD})
        db.session.remove()
    assert _runs()[0].status == RunStatus.RUNNING


def test_a_run_the_queue_cannot_take_is_failed_with_a_message(migrated, small, analyst):
    nowhere = make_app(migrated, TASK_BROKER="redis", REDIS_URL="redis://127.0.0.1:9/0")
    client = nowhere.test_client()
    with nowhere.app_context():
        client.post("/auth/login", data={"email": analyst.email, "password": PASSWORD})
        response = client.post(
            f"/admin/consultations/{SLUG}/synthesis/runs", data={"n_themes": "2"}
        )
        assert response.status_code == 302
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        db.session.remove()
    assert "Kjøringen kunne ikke legges i køen" in page
    [run] = _runs()
    assert (run.status, run.error) == (RunStatus.FAILED, run_execution.QUEUE_UNAVAILABLE_ERROR)


def test_hearing_worker_needs_the_redis_queue(app, runner):
    result = runner.invoke(args=["worker"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


def _discard(consultation_id: int) -> None:
    """What an erasure does meanwhile: the consultation's results go, its active runs fail."""
    synthesis_runs.discard_results(db.session.get(Consultation, consultation_id))
    db.session.commit()


def _parts() -> int:
    return db.session.scalar(select(func.count(SynthesisRunPart.id))) or 0


@pytest.mark.parametrize("when", ["during a step", "after the last step"])
def test_a_late_result_does_not_overwrite_the_verdict(app, small, monkeypatch, when):
    run_id = _left_behind(small, RunStatus.QUEUED).id
    finishing: list[int] = []
    original_themes, original_finish = SynthesisPipeline._themes, SynthesisPipeline.finish

    def themes_after_discard(self, *args, **kwargs):
        if when == "during a step":
            _discard(small.id)
        return original_themes(self, *args, **kwargs)

    def finish_then_discard(self, *args, **kwargs):
        finishing.append(1)
        finished = original_finish(self, *args, **kwargs)
        if when == "after the last step":
            _discard(small.id)
        return finished

    monkeypatch.setattr(SynthesisPipeline, "_themes", themes_after_discard)
    monkeypatch.setattr(SynthesisPipeline, "finish", finish_then_discard)
    assert run_execution.execute_run(run_id)
    [run] = _runs()
    assert (run.status, run.error, run.result) == (
        RunStatus.FAILED,
        synthesis_runs.DISCARDED_ERROR,
        None,
    )
    assert run.progress < 100
    assert _parts() == 0  # nothing of what it computed was stored after the discard
    # Found discarded during the themes, the execution stops there instead of computing on.
    assert bool(finishing) is (when == "after the last step")


def test_an_attempt_taken_over_by_another_worker_stops(app, small, monkeypatch):
    run_id = _left_behind(small, RunStatus.QUEUED).id
    finishing: list[int] = []
    original_themes, original_finish = SynthesisPipeline._themes, SynthesisPipeline.finish

    def themes_then_taken_over(self, *args, **kwargs):
        # Redis thought this worker dead and gave the run to another, which started it again.
        assert run_execution.claim(run_id) == 2
        return original_themes(self, *args, **kwargs)

    monkeypatch.setattr(SynthesisPipeline, "_themes", themes_then_taken_over)
    monkeypatch.setattr(
        SynthesisPipeline, "finish", lambda *a, **k: finishing.append(1) or original_finish(*a, **k)
    )
    assert run_execution.execute_run(run_id)
    [run] = _runs()
    assert (run.status, run.attempts, run.result, run.error) == (RunStatus.RUNNING, 2, None, "")
    assert finishing == []


def test_a_late_crash_does_not_overwrite_the_verdict(app, small, monkeypatch):
    run_id = _left_behind(small, RunStatus.QUEUED).id

    def discard_then_crash(self, *args, **kwargs):
        _discard(small.id)
        raise RuntimeError("too late to matter")

    monkeypatch.setattr(SynthesisPipeline, "finish", discard_then_crash)
    run_execution.execute_run(run_id)
    [run] = _runs()
    assert (run.status, run.error) == (RunStatus.FAILED, synthesis_runs.DISCARDED_ERROR)


def test_an_interrupted_inline_run_is_failed_and_the_interruption_goes_on(app, small, monkeypatch):
    run_id = _left_behind(small, RunStatus.QUEUED).id

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(SynthesisPipeline, "prepare", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_execution.execute_run(run_id)
    [run] = _runs()
    assert (run.status, run.error) == (RunStatus.FAILED, "KeyboardInterrupt: ")


def test_a_run_whose_message_was_lost_is_cancelled_and_a_new_one_starts(
    app, small, analyst_client, inline
):
    run_id = _left_behind(small, RunStatus.QUEUED).id  # queued, and no worker will ever see it
    url = f"/admin/consultations/{SLUG}/synthesis/runs/{run_id}"
    assert "Avbryt kjøringen" in analyst_client.get(url).get_data(as_text=True)
    assert _start(analyst_client, force="1").status_code == 302  # refused: one at a time
    assert len(_runs()) == 1

    assert analyst_client.post(f"{url}/cancel").status_code == 302
    [run] = _runs()
    assert (run.status, run.error) == (RunStatus.FAILED, run_execution.CANCELLED_ERROR)
    assert run.finished_at is not None
    page = analyst_client.get(url).get_data(as_text=True)
    assert "avbrutt av en analytiker" in page and "Avbryt kjøringen" not in page

    _start(analyst_client, force="1")
    assert [r.status for r in _runs()] == [RunStatus.FAILED, RunStatus.DONE]
    analyst_client.post(f"{url}/cancel")  # an ended run stays as it ended
    assert _runs()[0].error == run_execution.CANCELLED_ERROR
    cancels = select(func.count(AuditEvent.id)).where(AuditEvent.action == "synthesis.cancel")
    assert db.session.scalar(cancels) == 1


def test_a_cancelled_run_stops_at_its_next_step_and_keeps_nothing(app, small, monkeypatch):
    run_id = _left_behind(small, RunStatus.QUEUED).id
    original_themes = SynthesisPipeline._themes

    def themes_while_cancelled(self, *args, **kwargs):
        assert run_execution.cancel(db.session.get(SynthesisRun, run_id))
        db.session.commit()
        return original_themes(self, *args, **kwargs)

    monkeypatch.setattr(SynthesisPipeline, "_themes", themes_while_cancelled)
    assert run_execution.execute_run(run_id)
    [run] = _runs()
    assert (run.status, run.error, run.result) == (
        RunStatus.FAILED,
        run_execution.CANCELLED_ERROR,
        None,
    )
    assert _parts() == 0


def test_the_embedded_queue_executes_a_runs_questions_at_the_same_time(
    app, analyst_client, embedded, monkeypatch
):
    """Each question is a task: the embedded worker's two threads take a run's two questions
    at once (each question's themes wait at a barrier for the other's), then the finish."""
    snapshot = _small_snapshot()
    snapshot = replace(
        snapshot,
        questions=(*snapshot.questions, Question("3", "Og ellers?", QuestionKind.TEXT)),
        respondents=tuple(
            replace(r, answers={**r.answers, "3": replace(r.answers["2"], question_code="3")})
            for r in snapshot.respondents
        ),
    )
    consultation = create_consultation(snapshot, slug=SLUG)
    add_respondents(consultation, snapshot.respondents, source=Source.IMPORT)
    db.session.commit()
    meeting, threads = threading.Barrier(2, timeout=60), set()
    original_themes = SynthesisPipeline._themes

    def meet(self, *args, **kwargs):
        threads.add(threading.get_ident())
        meeting.wait()
        return original_themes(self, *args, **kwargs)

    monkeypatch.setattr(SynthesisPipeline, "_themes", meet)
    _start(analyst_client)
    embedded.join()
    [run] = _runs()
    assert (run.status, run.error, run.progress) == (RunStatus.DONE, "", 100)
    assert len(threads) == 2
    steps = db.session.scalars(select(SynthesisRunStep).order_by(SynthesisRunStep.step))
    assert [(s.step, s.status, s.attempts) for s in steps] == [
        ("finish", "done", 1),
        ("positions", "done", 1),
        ("question:2", "done", 1),
        ("question:3", "done", 1),
    ]
    assert [q.question_code for q in synthesis_runs.latest_result(consultation).result.themes] == [
        "2",
        "3",
    ]


def test_a_run_stored_whole_before_results_went_into_parts_is_still_read(
    app, small, analyst_client
):
    """Runs stored by earlier versions hold their whole result in `result` (format 2), no
    parts: the pages, the exports' inputs and the theme edits read them as before."""
    whole = SynthesisPipeline(**synthesis_runs.run_parameters(n_themes=2)).run(
        snapshot_of(small, include_hidden=False)
    )
    run = SynthesisRun(
        consultation_id=small.id,
        status=RunStatus.DONE,
        parameters=whole.parameters,
        input_hash=whole.input_hash,
        result=whole.to_dict(),
        timings=whole.timings,
        progress=100,
        finished_at=utcnow(),
    )
    db.session.add(run)
    db.session.commit()
    assert _parts() == 0
    latest = synthesis_runs.latest_result(small)
    assert latest.run.id == run.id and latest.result.themes == whole.themes
    assert synthesis_runs.latest_inputs(small).tabulations == whole.tabulations
    base = f"/admin/consultations/{SLUG}/synthesis"
    for page in ("", "/positions", "/duplicates", "/opinions", "/themes/2"):
        assert analyst_client.get(base + page).status_code == 200, page
    theme = whole.themes[0].themes[0]
    analyst_client.post(
        f"{base}/themes/2/edits",
        data={"kind": "rename", "theme": theme.theme_id, "label": "Gammelt tema"},
    )
    assert "Gammelt tema" in analyst_client.get(f"{base}/themes/2").get_data(as_text=True)
