"""Load and crash harness: a last-day burst of responses against the production setup.

It makes a fresh database (SQLite in a temp dir, or a new PostgreSQL database that it drops
afterwards), loads the demo consultation, starts gunicorn with several workers on loopback
(CSRF on, rate limits off) and lets C concurrent clients answer the real form N times in all.
Meanwhile a prober times `/healthz` and `/healthz?db=1`, so the submit latency is reported next
to the bare cost of a request in the same run, as a ratio. With `--crash-at F` the whole server
is killed with SIGKILL once a fraction F of the responses is acknowledged, then started again;
the clients retry what was in flight with the same idempotency key. Afterwards every
acknowledged reference must be stored exactly once with all its answers, nothing partial, and
the database must pass its integrity checks.

    .venv/bin/python -m bench.load_harness --db sqlite --clients 50 --responses 10000

Gunicorn runs with the production settings (hearing/gunicorn_conf.py) unless --workers,
--threads or --worker-class override them.

It prints a Markdown table and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load_clients import BodyQueue, KeepAliveClient, Prober, Respondent, answer_bodies
from bench.load_server import (
    DEFAULT_POSTGRES_SERVER,
    GunicornServer,
    LoadDatabase,
    ServerSettings,
    prepare,
)
from bench.load_verify import Verification, verify
from hearing import gunicorn_conf

RESULTS_DIRECTORY = Path(__file__).parent / "results"
TARGET_PER_SECOND = 300.0
TARGET_P99_SECONDS = 0.250
RUN_DEADLINE_SECONDS = 900.0


@dataclass(frozen=True)
class LoadConfig:
    db: str = "sqlite"
    clients: int = 50
    responses: int = 10_000
    workers: int | None = None  # None: as in production (hearing/gunicorn_conf.py)
    threads: int | None = None
    worker_class: str | None = None
    crash_at: float | None = None
    rate: float | None = None  # responses started per second (open loop); None: as fast as can be
    postgres_server: str = DEFAULT_POSTGRES_SERVER
    seed: int = 0
    server_env: tuple[tuple[str, str], ...] = ()  # experiments: extra settings for the server


@dataclass(frozen=True)
class Latency:
    count: int
    p50_ms: float
    p99_ms: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        ordered = sorted(seconds)
        p50, p99 = _percentile(ordered, 0.50), _percentile(ordered, 0.99)
        return cls(len(ordered), p50 * 1000, p99 * 1000)


def _percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile; 0 for no samples."""
    if not ordered:
        return 0.0
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class LoadResult:
    config: LoadConfig
    acknowledged: list[str]
    seconds: float
    submit: Latency
    flow: Latency  # the whole response: form page, POST, receipt
    healthz: Latency
    healthz_db: Latency
    transport_retries: int
    server_error_retries: int
    submit_retries: int
    errors: list[str]
    load_average_max: float
    load_average_end: float
    server_start_seconds: float
    server_cpu_seconds: float | None  # None in a crash run: the killed workers' CPU is lost
    client_cpu_seconds: float
    crash: dict[str, float] = field(default_factory=dict)
    verification: Verification | None = None

    @property
    def per_second(self) -> float:
        return len(self.acknowledged) / self.seconds if self.seconds else 0.0

    def cpu_ms_per_submission(self, seconds: float | None) -> float | None:
        if seconds is None or not self.acknowledged:
            return None
        return seconds * 1000 / len(self.acknowledged)

    @property
    def ok(self) -> bool:
        complete = len(self.acknowledged) == self.config.responses and not self.errors
        return complete and self.verification is not None and self.verification.ok

    def as_dict(self) -> dict[str, Any]:
        summary = {
            key: value
            for key, value in asdict(self).items()
            if key not in ("acknowledged", "verification")
        }
        summary["acknowledged"] = len(self.acknowledged)
        summary["per_second"] = round(self.per_second, 1)
        summary["server_cpu_ms_per_submission"] = self.cpu_ms_per_submission(
            self.server_cpu_seconds
        )
        summary["client_cpu_ms_per_submission"] = self.cpu_ms_per_submission(
            self.client_cpu_seconds
        )
        summary["verification"] = self.verification.as_dict() if self.verification else None
        summary["ok"] = self.ok
        summary["errors"] = self.errors[:20]
        return summary


class CrashAt(threading.Thread):
    """Kills the server with SIGKILL once enough responses are acknowledged, then restarts it."""

    def __init__(self, server: GunicornServer, respondents: list[Respondent], after: int) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.respondents = respondents
        self.after = after
        self.report: dict[str, float] = {}
        self.failure: BaseException | None = None
        self._done = threading.Event()

    def stop(self) -> None:
        self._done.set()

    def run(self) -> None:
        try:
            while not self._done.wait(0.01):
                acknowledged = sum(len(r.stats.acknowledged) for r in self.respondents)
                if acknowledged >= self.after:
                    self.server.kill()
                    self.report["killed_after_acknowledged"] = acknowledged
                    self.report["restart_seconds"] = round(self.server.start(), 2)
                    return
        except BaseException as error:  # reported by the harness; the run then fails
            self.failure = error


def run_load(config: LoadConfig) -> LoadResult:
    """One complete run: fresh database, server, load, optional crash, verification, clean-up."""
    database = LoadDatabase.create(config.db, config.postgres_server)
    secret_key = secrets.token_hex(32)  # fixed for the run: signed tokens survive a restart
    server: GunicornServer | None = None
    try:
        spec = prepare(database.url, secret_key)
        settings = ServerSettings(
            config.workers, config.worker_class, config.threads, extra_env=config.server_env
        )
        log_path = database.work_dir / "gunicorn.log"
        server = GunicornServer(database.url, secret_key, settings, log_path)
        start_seconds = server.start()
        result = _drive(config, spec, server)
        result.server_start_seconds = round(start_seconds, 2)
        server.stop()
        server = None
        result.verification = verify(
            database.url,
            spec.slug,
            result.acknowledged,
            answers_per_submission=len(spec.questions),
            abandoned=len(result.errors),
        )
        return result
    finally:
        if server is not None:
            server.kill()
        database.drop()


def _drive(config: LoadConfig, spec: Any, server: GunicornServer) -> LoadResult:
    bodies = answer_bodies(spec, config.responses, seed=config.seed)
    queue = BodyQueue(bodies, per_second=config.rate)
    deadline = time.monotonic() + RUN_DEADLINE_SECONDS
    respondents = [
        Respondent(KeepAliveClient(server.address), spec.slug, queue, deadline)
        for _ in range(config.clients)
    ]
    prober = Prober(server.address)
    crash = None
    if config.crash_at is not None:
        crash = CrashAt(server, respondents, after=int(config.responses * config.crash_at))
    threads = [threading.Thread(target=r.run, daemon=True) for r in respondents]
    prober_thread = threading.Thread(target=prober.run, daemon=True)
    server_cpu_before = server.cpu_seconds()
    client_cpu_before = time.process_time()
    started = time.perf_counter()
    prober_thread.start()
    if crash is not None:
        crash.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu_before
    server_cpu = None if crash is not None else server.cpu_seconds() - server_cpu_before
    prober.stop()
    prober_thread.join()
    if crash is not None:
        crash.stop()
        crash.join()
        if crash.failure is not None:
            raise RuntimeError("the server did not restart after the crash") from crash.failure
    submit_seconds = [s for r in respondents for s in r.stats.submit_seconds]
    return LoadResult(
        config=config,
        acknowledged=[ref for r in respondents for ref in r.stats.acknowledged],
        seconds=round(seconds, 3),
        submit=Latency.of(submit_seconds),
        flow=Latency.of([s for r in respondents for s in r.stats.flow_seconds]),
        healthz=Latency.of(prober.plain_seconds),
        healthz_db=Latency.of(prober.database_seconds),
        transport_retries=sum(r.stats.transport_retries for r in respondents),
        server_error_retries=sum(r.stats.server_error_retries for r in respondents),
        submit_retries=sum(r.stats.submit_retries for r in respondents),
        errors=[error for r in respondents for error in r.stats.errors],
        load_average_max=max(prober.load_averages, default=os.getloadavg()[0]),
        load_average_end=os.getloadavg()[0],
        server_start_seconds=0.0,
        server_cpu_seconds=None if server_cpu is None else round(server_cpu, 2),
        client_cpu_seconds=round(client_cpu, 2),
        crash=crash.report if crash is not None else {},
    )


def markdown(result: LoadResult) -> str:
    """The report: latency table with ratios to /healthz, then throughput and checks."""
    config = result.config
    base = result.healthz
    crash = f", SIGKILL at {config.crash_at:.0%}" if config.crash_at is not None else ""
    lines = [
        f"### Load: {config.db}, {config.workers or gunicorn_conf.workers} gunicorn workers "
        f"({config.worker_class or gunicorn_conf.worker_class}, "
        f"{config.threads or gunicorn_conf.threads} threads), {config.clients} clients, "
        f"{config.responses} responses"
        f"{f', offered at {config.rate:g}/s' if config.rate else ''}{crash}",
        *([f"server settings: {dict(config.server_env)}"] if config.server_env else []),
        "",
        "| request | samples | p50 ms | p99 ms | p50 ÷ /healthz | p99 ÷ /healthz |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, latency in (
        ("submit POST", result.submit),
        ("whole response (form, POST, receipt)", result.flow),
        ("/healthz?db=1", result.healthz_db),
        ("/healthz", result.healthz),
    ):
        p50_ratio = latency.p50_ms / base.p50_ms if base.p50_ms else 0.0
        p99_ratio = latency.p99_ms / base.p99_ms if base.p99_ms else 0.0
        lines.append(
            f"| {name} | {latency.count} | {latency.p50_ms:.1f} | {latency.p99_ms:.1f} | "
            f"{p50_ratio:.1f} | {p99_ratio:.1f} |"
        )
    target_met = (
        result.per_second >= TARGET_PER_SECOND and result.submit.p99_ms <= TARGET_P99_SECONDS * 1000
    )
    verification = result.verification
    lines += [
        "",
        f"- acknowledged: {len(result.acknowledged)} of {config.responses} in "
        f"{result.seconds:.1f} s = **{result.per_second:.0f} submissions/s** "
        f"(target ≥ {TARGET_PER_SECOND:.0f}/s with p99 < {TARGET_P99_SECONDS * 1000:.0f} ms: "
        f"{'met' if target_met else 'not met'})",
        f"- load average (1 min): max {result.load_average_max:.1f} during the run, "
        f"{result.load_average_end:.1f} at the end; {os.cpu_count()} CPUs",
        _cpu_line(result),
        f"- retries: {result.transport_retries} after a cut connection, "
        f"{result.server_error_retries} after a 5xx ({result.submit_retries} of them POSTs "
        f"sent again with the same idempotency key); client errors: {len(result.errors)}",
    ]
    if result.crash:
        lines.append(
            f"- crash: SIGKILL after {result.crash['killed_after_acknowledged']:.0f} "
            f"acknowledged, server back in {result.crash['restart_seconds']:.1f} s"
        )
    if verification is not None:
        verdict = "ok" if verification.ok else "FAILED: " + "; ".join(verification.problems)
        lines.append(
            f"- verification: {verification.stored_web} web submissions stored, "
            f"{verification.acknowledged} acknowledged, each once with all answers, "
            f"no orphans, integrity check: {verdict}"
        )
    return "\n".join(lines)


def _cpu_line(result: LoadResult) -> str:
    """CPU per submission is what a shared machine cannot blur; it bounds the throughput."""
    client = result.cpu_ms_per_submission(result.client_cpu_seconds) or 0.0
    server = result.cpu_ms_per_submission(result.server_cpu_seconds)
    if server is None:
        return f"- CPU per acknowledged submission: clients {client:.1f} ms (server not measured)"
    ceiling = (os.cpu_count() or 1) * 1000 / (server + client)
    return (
        f"- CPU per acknowledged submission (GET form + POST + receipt, plus the prober): "
        f"server {server:.1f} ms, clients {client:.1f} ms, so at most {ceiling:.0f} "
        f"submissions/s if the {os.cpu_count()} CPUs were ours alone"
    )


def write_json(result: LoadResult) -> Path:
    RESULTS_DIRECTORY.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    crash = "_crash" if result.config.crash_at is not None else ""
    path = RESULTS_DIRECTORY / f"load_{result.config.db}{crash}_{stamp}.json"
    document = {
        "benchmark": "load_harness",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        **result.as_dict(),
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--workers", type=int, help="default: hearing/gunicorn_conf.py")
    parser.add_argument("--threads", type=int, help="threads per gthread worker (default: same)")
    parser.add_argument("--worker-class", choices=("gthread", "sync"), help="default: gthread")
    parser.add_argument("--crash-at", type=float, default=None, metavar="FRACTION")
    parser.add_argument(
        "--rate",
        type=float,
        metavar="PER_SECOND",
        help="start responses at this rate (open loop) instead of as fast as the clients can",
    )
    parser.add_argument("--postgres-server", default=DEFAULT_POSTGRES_SERVER)
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an extra setting for the server (experiments), e.g. HEARING_WTF_I18N_ENABLED=false",
    )
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/")
    arguments = parser.parse_args(argv)
    config = LoadConfig(
        db=arguments.db,
        clients=arguments.clients,
        responses=arguments.responses,
        workers=arguments.workers,
        threads=arguments.threads,
        worker_class=arguments.worker_class,
        crash_at=arguments.crash_at,
        rate=arguments.rate,
        postgres_server=arguments.postgres_server,
        server_env=tuple(tuple(item.split("=", 1)) for item in arguments.server_env),
    )
    # A plain SIGTERM would skip the clean-up; as SystemExit it stops gunicorn, drops the database.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(143))
    result = run_load(config)
    print(markdown(result))
    if not arguments.no_json:
        print(f"\nJSON: {write_json(result)}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
