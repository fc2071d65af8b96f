"""The Redis task queue with real worker processes: two `hearing worker`s started here execute
synthesis runs, and a worker killed with SIGKILL mid-run has its run finished by the other,
which Redis gave it once the dead worker's heartbeats stopped.

Each test has a Redis key namespace of its own, so parallel test runs do not meet. The tests
are skipped when no Redis answers on 127.0.0.1:6379 (`.ci/run` starts one).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
import redis
from flask import Flask
from redis.exceptions import RedisError
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import (
    Consultation,
    RunStatus,
    Source,
    Status,
    SynthesisRun,
    SynthesisRunStep,
)
from hearing.services import run_steps, synthesis_runs
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.snapshot import Answer, ConsultationSnapshot, Question, QuestionKind, Respondent
from tests.conftest import _empty_tables, make_app

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"
MEMORY_LIMIT_MB = 3000
QUEUE_SETTINGS = {
    "TASK_BROKER": "redis",
    "REDIS_URL": REDIS_URL,
    # Quick to declare a silent worker dead, and every broker call looks for dead workers.
    "TASK_WORKER_LOST_AFTER_SECONDS": 3,
    "TASK_REDIS_MAINTENANCE_CHANCE": 1_000_000,
    "SYNTHESIS_MEMORY_LIMIT_MB": MEMORY_LIMIT_MB,
}
READY = "Worker process is ready for action."
WAIT_SECONDS = 240  # only a bound against hanging: every wait ends as soon as its event happens
TEXTS = (
    "Helsesykepleiere i skolen må få flere stillinger og mer tid til elevene.",
    "Barnevernet og skolen bør samarbeide tettere om utsatte barn og familier.",
)
T = TypeVar("T")


@pytest.fixture()
def namespace() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except RedisError:
        pytest.skip(
            "No Redis answers on 127.0.0.1:6379, so the Redis task queue is not tested "
            '(start one: redis-server --daemonize yes --port 6379 --save "" --appendonly no)'
        )
    name = f"hearing-test-{uuid.uuid4().hex}"
    yield name
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


@pytest.fixture()
def queue_app(migrated: str, namespace: str) -> Iterator[Flask]:
    app = make_app(migrated, TASK_REDIS_NAMESPACE=namespace, **QUEUE_SETTINGS)
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


class Workers:
    """`hearing worker` processes, each in a session of its own (the supervisor and its worker
    process die together), with their logs."""

    def __init__(self, database_url: str, namespace: str, logs: Path) -> None:
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "REDIS_URL") and not key.startswith("HEARING_")
        }
        settings = {**QUEUE_SETTINGS, "TASK_REDIS_NAMESPACE": namespace}
        self.env |= {f"HEARING_{key}": str(value) for key, value in settings.items()}
        self.env |= {
            "HEARING_SQLALCHEMY_DATABASE_URI": database_url,
            "HEARING_SECRET_KEY": "test-secret",
        }
        self.logs = logs
        self.started: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *flags: str) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.task_worker", *flags],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def all_logs(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)}" for name in self.started)

    def kill(self, name: str) -> None:
        process = self.started[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.started.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started.values():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture()
def workers(queue_app: Flask, namespace: str, tmp_path: Path) -> Iterator[Workers]:
    started = Workers(queue_app.config["SQLALCHEMY_DATABASE_URI"], namespace, tmp_path)
    yield started
    started.stop_all()


def _wait_for(found: Callable[[], T | None], what: str, workers: Workers) -> T:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        db.session.rollback()  # read what the workers committed since
        db.session.expire_all()
        value = found()
        if value:
            return value
        time.sleep(0.2)
    runs = [
        (run.id, run.status, run.stage, run.progress, run.attempts, run.error)
        for run in db.session.scalars(select(SynthesisRun).order_by(SynthesisRun.id))
    ]
    pytest.fail(f"no {what} after {WAIT_SECONDS} s; runs {runs}; logs:\n{workers.all_logs()}")


def _queue_run(slug: str, questions: int = 1) -> int:
    """A closed consultation of eight respondents writing on two topics (to each of
    `questions` questions), and a queued run."""
    codes = [str(number) for number in range(1, questions + 1)]
    snapshot = ConsultationSnapshot(
        slug=slug,
        title=slug,
        questions=tuple(Question(code, "Hva bør endres?", QuestionKind.TEXT) for code in codes),
    )
    consultation = create_consultation(snapshot, slug=slug, status=Status.CLOSED)
    respondents = [
        Respondent(
            f"r{n}",
            f"R {n}",
            "",
            answers={code: Answer(code, text=f"{TEXTS[n % 2]} {n}") for code in codes},
        )
        for n in range(8)
    ]
    add_respondents(consultation, respondents, source=Source.IMPORT)
    run = synthesis_runs.request_run(consultation, synthesis_runs.run_parameters(n_themes=2)).run
    db.session.commit()
    synthesis_runs.dispatch(run.id)
    return run.id


def _runs(ids: list[int]) -> list[SynthesisRun]:
    return [db.session.get(SynthesisRun, run_id) for run_id in ids]


def _children(pid: int) -> list[int]:
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:  # the process ended meanwhile
            continue
        if f"PPid:\t{pid}" in lines:
            children.append(int(status.parent.name))
    return children


def _address_space_limit(pid: int) -> str:
    limits = Path(f"/proc/{pid}/limits").read_text().splitlines()
    return next(line for line in limits if line.startswith("Max address space")).split()[3]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups and /proc")
def test_two_workers_execute_runs_and_a_killed_workers_run_is_finished_by_the_other(
    queue_app, workers
):
    def ready(name: str) -> None:
        _wait_for(lambda: READY in workers.log(name), f"ready {name} worker", workers)

    def question_step(run_id: int) -> SynthesisRunStep | None:
        return db.session.scalar(
            select(SynthesisRunStep).where(
                SynthesisRunStep.run_id == run_id,
                SynthesisRunStep.step == run_steps.question_step("1"),
            )
        )

    # Alone, the first worker takes every step of the first run and stops in its themes.
    workers.start("hanging", "--hang-in-themes")
    ready("hanging")
    hanging_id = _queue_run("forste")
    _wait_for(
        lambda: _runs([hanging_id])[0].stage == "themes" and question_step(hanging_id),
        "run hanging in its themes",
        workers,
    )
    # The second worker executes the second run meanwhile: the first worker, with one thread,
    # fetches no message while busy.
    workers.start("survivor")
    ready("survivor")
    done_id = _queue_run("andre")
    _wait_for(lambda: _runs([done_id])[0].status == RunStatus.DONE, "second run done", workers)
    hanging_run = _runs([hanging_id])[0]
    assert (hanging_run.status, question_step(hanging_id).attempts) == (RunStatus.RUNNING, 1)

    workers.kill("hanging")  # SIGKILL, mid-run: nothing in it can say goodbye
    _wait_for(
        lambda: _runs([hanging_id])[0].status in (RunStatus.DONE, RunStatus.FAILED),
        "end of the killed worker's run",
        workers,
    )
    runs = _runs([hanging_id, done_id])
    assert [run.status for run in runs] == [RunStatus.DONE, RunStatus.DONE], workers.all_logs()
    assert all(run.result is not None for run in runs)
    # The killed worker's step (the question's themes) was started again, once, by the other.
    assert question_step(hanging_id).attempts == 2

    # The survivor's worker process runs under the memory limit it set at boot.
    [worker_process] = _children(workers.started["survivor"].pid)
    assert _address_space_limit(worker_process) == str(MEMORY_LIMIT_MB * 1024 * 1024)


def test_two_workers_share_the_questions_of_one_run(queue_app, workers, tmp_path):
    """Each question of a run is a task of its own: two workers execute a run's two questions
    at the same time (each question's themes wait until the other's have started), and the
    finishing task, queued by whichever question ends last, marks the run done."""
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    for name in ("first", "second"):
        workers.start(name, "--meet-in-themes", str(meeting))
    for name in workers.started:
        _wait_for(lambda name=name: READY in workers.log(name), f"ready {name} worker", workers)

    run_id = _queue_run("delt", questions=2)
    _wait_for(
        lambda: _runs([run_id])[0].status in (RunStatus.DONE, RunStatus.FAILED),
        "end of the run",
        workers,
    )
    run = _runs([run_id])[0]
    assert (run.status, run.error) == (RunStatus.DONE, ""), workers.all_logs()
    met = sorted(path.name for path in meeting.iterdir())
    assert len({name.split("-")[0] for name in met}) == 2  # two worker processes
    assert sorted(name.split("-")[1] for name in met) == ["1", "2"]
    latest = synthesis_runs.latest_result(db.session.get(Consultation, run.consultation_id))
    assert [found.question_code for found in latest.result.themes] == ["1", "2"]
