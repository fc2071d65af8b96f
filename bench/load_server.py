"""The system under load: a fresh database with the demo consultation, served by gunicorn.

The load harness needs a server it can kill with SIGKILL and start again on the same port and
database, exactly as a supervisor would after a crash. Gunicorn runs in its own session, so
`kill -9` of its process group takes the master and every worker at once, mid-request.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
READY_TIMEOUT_SECONDS = 180.0


@dataclass(frozen=True)
class QuestionSpec:
    """What a client needs to answer one question: its form field names follow from the id."""

    id: int
    kind: str  # a synthesis.snapshot.QuestionKind value


@dataclass(frozen=True)
class ConsultationSpec:
    slug: str
    questions: tuple[QuestionSpec, ...]
    scale_size: int
    category_ids: tuple[int, ...]


@dataclass
class LoadDatabase:
    """A database made for one load run; `drop()` removes it (temp dir or PostgreSQL database)."""

    url: str
    kind: str
    _temp_dir: Path | None = None
    _server_url: str | None = None
    _name: str | None = None

    @classmethod
    def create(cls, kind: str, postgres_server: str = DEFAULT_POSTGRES_SERVER) -> LoadDatabase:
        if kind == "sqlite":
            temp_dir = Path(tempfile.mkdtemp(prefix="hearing_load_"))
            return cls(url=f"sqlite:///{temp_dir / 'load.db'}", kind=kind, _temp_dir=temp_dir)
        if kind != "postgresql":
            raise ValueError(f"unknown database kind {kind!r}")
        name = f"hearing_load_{os.getpid()}_{secrets.token_hex(3)}"
        _postgres_admin(postgres_server, f'CREATE DATABASE "{name}"')
        url = _with_database(postgres_server, name)
        return cls(url=url, kind=kind, _server_url=postgres_server, _name=name)

    def drop(self) -> None:
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
        if self._server_url is not None and self._name is not None:
            statement = f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)'
            _postgres_admin(self._server_url, statement)

    @property
    def work_dir(self) -> Path:
        """Where server logs go: the SQLite temp dir, or a temp dir of its own for PostgreSQL."""
        if self._temp_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="hearing_load_"))
        return self._temp_dir


def server_url_of(database_url: str) -> str:
    """The maintenance database on the same server as `database_url` (to create others)."""
    return _with_database(database_url, "postgres")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _postgres_admin(server_url: str, statement: str) -> None:
    """CREATE/DROP DATABASE cannot run in a transaction: use an autocommit connection."""
    import psycopg

    plain = server_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(statement)


def prepare(database_url: str, secret_key: str) -> ConsultationSpec:
    """Migrate the database and load the demo consultation, open with a future deadline."""
    from flask_migrate import upgrade

    from hearing import create_app
    from hearing.demo import load_demo
    from hearing.extensions import db
    from hearing.models import Status
    from hearing.models.types import utcnow

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secret_key, "TESTING": False}
    )
    with app.app_context():
        upgrade()
        consultation, _count, _created = load_demo()
        consultation.status = Status.OPEN
        consultation.opens_at = utcnow() - timedelta(days=1)
        consultation.closes_at = utcnow() + timedelta(days=30)
        db.session.commit()
        spec = ConsultationSpec(
            slug=consultation.slug,
            questions=tuple(QuestionSpec(q.id, q.kind) for q in consultation.questions),
            scale_size=len(consultation.scale_points),
            category_ids=tuple(c.id for c in consultation.categories),
        )
        db.session.remove()
        db.engine.dispose()
    return spec


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class ServerSettings:
    """Overrides of the production settings (hearing/gunicorn_conf.py); None keeps them."""

    workers: int | None = None
    worker_class: str | None = None
    threads: int | None = None
    extra_env: tuple[tuple[str, str], ...] = ()  # e.g. (("HEARING_WTF_I18N_ENABLED", "false"),)


class GunicornServer:
    """Gunicorn serving `hearing:create_app()` on loopback; can be SIGKILLed and started again."""

    def __init__(
        self,
        database_url: str,
        secret_key: str,
        settings: ServerSettings,
        log_path: Path,
        port: int | None = None,
    ) -> None:
        self.database_url = database_url
        self.secret_key = secret_key
        self.settings = settings
        self.log_path = log_path
        self.port = port or free_port()
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def command(self) -> list[str]:
        settings = self.settings
        command = [sys.executable, "-m", "gunicorn", "-c", "python:hearing.gunicorn_conf"]
        if settings.workers is not None:
            command += ["-w", str(settings.workers)]
        if settings.worker_class is not None:
            command += ["-k", settings.worker_class]
        if settings.threads is not None:
            command += ["--threads", str(settings.threads)]
        command += ["-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "5"]
        return [*command, "hearing:create_app()"]

    def environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        environment.update(
            DATABASE_URL=self.database_url,
            HEARING_SECRET_KEY=self.secret_key,
            HEARING_RATELIMIT_ENABLED="false",
            HEARING_WTF_CSRF_ENABLED="true",
        )
        environment.update(self.settings.extra_env)
        environment.pop("FLASK_DEBUG", None)
        return environment

    def start(self) -> float:
        """Start and wait until `/healthz?db=1` answers; returns the seconds it took."""
        started = time.perf_counter()
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            self.command(),
            cwd=REPO_ROOT,
            env=self.environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill -9 reaches every worker
        )
        self._wait_ready()
        return time.perf_counter() - started

    def kill(self) -> None:
        """SIGKILL the master and all workers at once: no graceful shutdown, no cleanup."""
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        self._process = None
        self._close_log()

    def stop(self) -> None:
        """A graceful stop (SIGTERM), falling back to SIGKILL."""
        if self._process is None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._process = None
        self._close_log()

    def worker_pids(self) -> list[int]:
        """The master's children: the workers."""
        if self._process is None:
            return []
        children = Path(f"/proc/{self._process.pid}/task/{self._process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and the workers alive now (Linux /proc).

        On a machine shared with other work, CPU per request is steadier than wall time.
        """
        if self._process is None:
            return 0.0
        ticks = 0
        for pid in (self._process.pid, *self.worker_pids()):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def _wait_ready(self) -> None:
        import http.client

        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                raise RuntimeError(f"gunicorn exited during start; see {self.log_path}")
            connection = http.client.HTTPConnection(*self.address, timeout=5)
            try:
                connection.request("GET", "/healthz?db=1")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn not ready after {READY_TIMEOUT_SECONDS:.0f} s")
