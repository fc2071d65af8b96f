"""The task queue: background work goes through Dramatiq, embedded or on Redis.

`TASK_BROKER` chooses where messages wait and who executes them:

- "embedded" (the default, what `make run` uses): Dramatiq's in-memory broker and a Worker of a
  few threads inside the web process, started when the first task is sent. Nothing to install,
  but the tasks live and die with the process: a server started again cannot know what its
  predecessor was doing, so on its first request it fails the runs queued or running before it
  started (`fail_runs_lost_in_restart`).
- "redis" (production; the default when REDIS_URL is set): Dramatiq's Redis broker, and
  `hearing worker` processes on as many hosts as needed. Redis keeps a message until a worker
  acknowledges it after the task returned. Workers send heartbeats to Redis as they poll; one
  silent for `TASK_WORKER_LOST_AFTER_SECONDS` is dead, and its unacknowledged messages go back
  on the queue for another worker (`hearing.services.run_execution` decides what a run does on
  coming back).

Every task runs under Dramatiq's time limit (an exception raised in the worker thread, so it
lands between two Python steps), and a worker process caps its address space at boot
(`AddressSpaceLimit`), so a runaway run fails with MemoryError instead of taking the host down.

The broker and its actors belong to the app (`app.extensions["tasks"]`), not to the module: the
test suite builds many apps in one process, some embedded and some on Redis. Background work is
a plain function that runs in an app context, listed in `TASKS`; the actors are declared from
that table for each app. Adding work (mail from an outbox, …) is a function and a row.
"""

from __future__ import annotations

import functools
import logging
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from flask import Flask, current_app
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from hearing.extensions import db
from hearing.models.types import utcnow
from hearing.services import outbox, run_execution
from synthesis.freed_memory import release_freed_memory

BROKERS = ("embedded", "redis")
EMBEDDED_THREADS = 2
# What the Dramatiq CLI imports in each worker process it starts (`hearing worker`).
WORKER_BROKER = "hearing.tasks:worker_broker"
EXTENSION = "tasks"
log = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The broker did not take the message (Redis down or unreachable): nothing was queued."""


def execute_synthesis_run(run_id: int) -> None:
    """The first step of a queued synthesis run, which sends a task for each step after it.
    An exception escapes a synthesis task only when its step could not be claimed (the
    database unreachable): nothing started, so the engine may retry it."""
    run_execution.start_run(run_id, _send_synthesis_step)


def execute_synthesis_step(run_id: int, attempt: int, step: str) -> None:
    """One step of a run that may run beside the others (the positions, one question); the
    last of them to end sends the finish."""
    run_execution.run_step(run_id, attempt, step, _send_synthesis_step)


def finish_synthesis_run(run_id: int, attempt: int) -> None:
    """The step after all others: campaign tables, resubmissions; the run is done."""
    run_execution.finish_run(run_id, attempt)


def _send_synthesis_step(task: str, run_id: int, attempt: int, step: str) -> None:
    if task == run_execution.STEP_TASK:
        send(SYNTHESIS_STEP, run_id, attempt, step)
    else:
        send(SYNTHESIS_FINISH, run_id, attempt)


def deliver_mail(message_id: int) -> None:
    """Send one message of the outbox; after a temporary failure, queue the next attempt for
    when its back-off ends (`hearing send-mail` catches it too if this task is lost)."""
    outcome = outbox.deliver(message_id)
    if outcome is not None and outcome.retry_in is not None:
        send(DELIVER_MAIL, message_id, delay_seconds=outcome.retry_in.total_seconds())


@dataclass(frozen=True)
class Task:
    """One kind of background work and how the engine treats it."""

    function: Callable[..., None]
    queue_name: str
    time_limit_setting: str  # the config key with the limit in seconds; 0: none
    max_retries: int  # retries of an exception escaping the function, with back-off


SYNTHESIS_RUN = "execute_synthesis_run"
SYNTHESIS_STEP = "execute_synthesis_step"
SYNTHESIS_FINISH = "finish_synthesis_run"
DELIVER_MAIL = "deliver_mail"
# A run's steps share one queue: a worker takes whichever comes next, and one run's steps
# spread over every worker that is free.
TASKS = {
    name: Task(
        function,
        queue_name="synthesis",
        time_limit_setting="SYNTHESIS_TIME_LIMIT_SECONDS",
        max_retries=2,
    )
    for name, function in (
        (SYNTHESIS_RUN, execute_synthesis_run),
        (SYNTHESIS_STEP, execute_synthesis_step),
        (SYNTHESIS_FINISH, finish_synthesis_run),
    )
} | {
    # Retries are the outbox's own (its back-off, its attempts, visible on the admin page).
    DELIVER_MAIL: Task(
        deliver_mail,
        queue_name="mail",
        time_limit_setting="MAIL_TIME_LIMIT_SECONDS",
        max_retries=0,
    ),
}


class OneMessagePerThread(dramatiq.Middleware):
    """A worker takes a message off the queue only when a thread is free to execute it.

    Dramatiq prefetches twice as many messages as a worker has threads, which suits short
    tasks; a synthesis run takes minutes, and a run prefetched by a busy worker would wait
    there while another worker stands idle (and be lost with it if it dies)."""

    def before_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        worker.queue_prefetch = worker.worker_threads


class ReleaseMemory(dramatiq.Middleware):
    """After each task, hand freed memory back to the operating system (a full garbage
    collection, then glibc's `malloc_trim`): a synthesis step frees gigabytes, and a worker
    process that kept them as free heap would start its next step from there."""

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: dramatiq.Message,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        release_freed_memory(between_tasks=True)


class AddressSpaceLimit(dramatiq.Middleware):
    """Caps the address space of a worker process when it boots (RLIMIT_AS), so that a run
    needing more memory fails with MemoryError, recorded on the run, instead of pushing the
    host into swapping or the kernel's out-of-memory killer. The limit is per process, for all
    its threads; address space runs somewhat above resident memory."""

    def __init__(self, megabytes: int) -> None:
        self.megabytes = megabytes

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        limit_address_space(self.megabytes)


def limit_address_space(megabytes: int) -> None:
    """Cap this process's address space (never above the hard limit); 0 leaves it alone."""
    if megabytes <= 0:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class TaskQueue:
    """The app's broker with its actors and, when embedded, the worker inside this process."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        if config["TASK_BROKER"] not in BROKERS:
            raise ValueError(f"TASK_BROKER must be one of {BROKERS}, not {config['TASK_BROKER']!r}")
        self.embedded = config["TASK_BROKER"] == "embedded"
        self.broker = StubBroker() if self.embedded else _redis_broker(config)
        self.broker.add_middleware(OneMessagePerThread())
        self.broker.add_middleware(ReleaseMemory())
        for name, task in TASKS.items():
            _declare(self.broker, app, name, task)
        self.started_at = utcnow()
        self._worker: dramatiq.Worker | None = None
        self._lock = threading.Lock()
        self._lost_runs_failed = not self.embedded

    def send(self, actor_name: str, *args: Any, delay_seconds: float = 0) -> None:
        """Queue a task (to start no sooner than `delay_seconds` from now); `QueueUnavailable`
        when the broker cannot take it."""
        if self.embedded:
            self._start_embedded_worker()
        delay = int(delay_seconds * 1000) or None
        try:
            self.broker.get_actor(actor_name).send_with_options(args=args, delay=delay)
        except (RedisError, dramatiq.BrokerError) as error:
            raise QueueUnavailable(str(error)) from error

    def join(self) -> None:
        """Wait until every queued task has been executed (tests; embedded only)."""
        assert isinstance(self.broker, StubBroker)
        for queue_name in self.broker.get_declared_queues():
            self.broker.join(queue_name)
        if self._worker is not None:
            self._worker.join()

    def stop(self) -> None:
        """Stop the embedded worker after the tasks it is executing (tests)."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()

    def fail_lost_runs_once(self) -> None:
        """On the first request of an embedded server: fail the runs from before its start."""
        if self._lost_runs_failed:
            return
        with self._lock:
            if self._lost_runs_failed:
                return
            try:
                run_execution.fail_runs_lost_in_restart(self.started_at)
            except SQLAlchemyError:  # no schema yet, or the database is away: next request
                db.session.rollback()
                log.warning("could not look for runs lost in a restart", exc_info=True)
                return
            self._lost_runs_failed = True

    def _start_embedded_worker(self) -> None:
        with self._lock:
            if self._worker is not None:
                return
            self.broker.emit_after("process_boot")  # starts the time limit's watcher thread
            self._worker = dramatiq.Worker(self.broker, worker_threads=EMBEDDED_THREADS)
            self._worker.start()


def _redis_broker(config: dict[str, Any]) -> RedisBroker:
    if not config.get("REDIS_URL"):
        raise ValueError('TASK_BROKER = "redis" needs REDIS_URL')
    return RedisBroker(
        url=config["REDIS_URL"],
        namespace=config["TASK_REDIS_NAMESPACE"],
        heartbeat_timeout=int(float(config["TASK_WORKER_LOST_AFTER_SECONDS"]) * 1000),
        maintenance_chance=int(config["TASK_REDIS_MAINTENANCE_CHANCE"]),
    )


def _declare(broker: dramatiq.Broker, app: Flask, name: str, task: Task) -> None:
    """Declare the task's actor on the broker: its function, in an app context of its own."""

    @functools.wraps(task.function)
    def in_app_context(*args: Any) -> None:
        with app.app_context():
            try:
                task.function(*args)
            finally:
                db.session.remove()

    seconds = float(app.config[task.time_limit_setting])
    dramatiq.actor(
        in_app_context,
        broker=broker,
        actor_name=name,
        queue_name=task.queue_name,
        time_limit=seconds * 1000 if seconds > 0 else float("inf"),
        max_retries=task.max_retries,
    )


def init_app(app: Flask) -> None:
    queue = TaskQueue(app)
    app.extensions[EXTENSION] = queue
    if queue.embedded:
        app.before_request(queue.fail_lost_runs_once)


def task_queue() -> TaskQueue:
    queue: TaskQueue = current_app.extensions[EXTENSION]
    return queue


def send(actor_name: str, *args: Any, delay_seconds: float = 0) -> None:
    """Queue a task of the current app; `QueueUnavailable` when the broker cannot take it."""
    task_queue().send(actor_name, *args, delay_seconds=delay_seconds)


def worker_broker() -> dramatiq.Broker:
    """The broker of one `hearing worker` process: the Dramatiq CLI calls this in every worker
    process it starts. The process builds its own app (the same configuration layers as the web
    app) and caps its address space at boot."""
    from hearing import create_app

    app = create_app()
    queue: TaskQueue = app.extensions[EXTENSION]
    if queue.embedded:
        raise RuntimeError('hearing worker needs TASK_BROKER = "redis" (set REDIS_URL)')
    queue.broker.add_middleware(AddressSpaceLimit(int(app.config["SYNTHESIS_MEMORY_LIMIT_MB"])))
    dramatiq.set_broker(queue.broker)
    return queue.broker
