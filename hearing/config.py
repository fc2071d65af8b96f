"""Layered configuration: defaults, then the instance config file, then HEARING_* variables.

The test suite passes a mapping last. Secrets are never hard-coded: when no SECRET_KEY is given,
one is generated into the instance folder on first run and reused afterwards.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

INSTANCE_CONFIG_FILE = "hearing.cfg"
SECRET_KEY_FILE = "secret_key"


class DefaultConfig:
    """Settings that hold unless the instance file, the environment or a test overrides them."""

    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind TLS (HEARING_SESSION_COOKIE_SECURE=true)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 12 * 3600  # a respondent may take a long time over a form
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    LANGUAGES = ("nb", "en")
    TIMEZONE = "Europe/Oslo"
    ANSWER_MAX_CHARS = 20_000
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SUBMIT = "20 per minute;200 per hour"
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_LOGIN_ACCOUNT = "5 per 15 minutes"  # failed sign-ins per e-mail, then a pause
    RATELIMIT_DOWNLOAD = "30 per minute"  # public summary files, per client
    TRUSTED_PROXIES = 0  # reverse proxies in front (1 behind nginx): their X-Forwarded-* count
    SYNTHESIS_RANDOM_STATE = 0
    SYNTHESIS_EXECUTOR = "queue"  # or "inline": in the request or command itself (tests)
    SYNTHESIS_MAX_ACTIVE_RUNS = 2  # runs queued or running at once, in the whole installation
    SYNTHESIS_TIME_LIMIT_SECONDS = 3600  # a run still going after this is stopped; 0: no limit
    SYNTHESIS_MEMORY_LIMIT_MB = 4096  # address space of a `hearing worker` process; 0: no limit
    # The task queue (hearing/tasks.py): "embedded" in the web process, or "redis" with
    # `hearing worker` processes; None: "redis" when REDIS_URL is set, else "embedded".
    TASK_BROKER: str | None = None
    REDIS_URL: str | None = None
    TASK_REDIS_NAMESPACE = "hearing"  # prefix of the queue's keys in Redis
    TASK_WORKER_LOST_AFTER_SECONDS = 60  # a worker silent this long is dead: its tasks requeue
    TASK_REDIS_MAINTENANCE_CHANCE = 10_000  # per million broker calls: look for dead workers
    EMAIL_RETENTION_DAYS = 180  # contact e-mails are removed this long after publication
    # E-mail (hearing/services/mail.py): messages wait in the outbox table and the task queue
    # sends them over SMTP. Without MAIL_SERVER nothing is sent: the admin page lists them.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True  # STARTTLS after connecting
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = "Høringsløsningen <noreply@localhost>"
    MAIL_TIMEOUT_SECONDS = 30
    MAIL_MAX_ATTEMPTS = 6  # a temporary failure is retried until then; a 5xx refusal fails at once
    MAIL_RETRY_SECONDS = 60  # wait before the first retry; doubled for each one after
    MAIL_TIME_LIMIT_SECONDS = 300  # one delivery task, connection and all
    MAIL_OUTBOX_RETENTION_DAYS = 30  # sent, failed and skipped messages are then deleted
    # Links in messages sent from commands (reminders, digests); in a request: the request's.
    PUBLIC_BASE_URL: str | None = None
    RATELIMIT_MAIL_LINKS = "5 per minute;20 per hour"  # "send me my link again", per client
    RATELIMIT_MAIL_LINKS_ADDRESS = "3 per hour"  # … and per e-mail address asked for
    # What one imported file may cost (`hearing/imports/limits.py`): a response file's data
    # rows, its columns, the cells of a worksheet, a compiled PDF's pages and page content (a
    # shared stream counted each time it is used), a compiled document's characters, and the
    # seconds reading one file may take. Beyond a limit the file is refused with a message.
    IMPORT_MAX_ROWS = 200_000
    IMPORT_MAX_COLUMNS = 50
    IMPORT_MAX_CELLS = 2_000_000
    IMPORT_MAX_PDF_PAGES = 2_000
    IMPORT_MAX_PDF_CONTENT_BYTES = 16 * 1024 * 1024
    IMPORT_MAX_TEXT_CHARS = 5_000_000
    IMPORT_MAX_SECONDS = 120
    # Files with a response (`hearing/services/attachments.py`): PDF, DOCX or ODT, recognised
    # by content; their text is read within the IMPORT_MAX_* budgets above.
    ATTACHMENT_MAX_FILES = 5  # files a web respondent may attach to one response
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # one such file (letters: IMPORT_MAX_LETTER_BYTES)
    LETTER_BATCH_MAX_FILES = 500  # letters registered at once (a folder, a zip, an upload)
    LETTER_BATCH_MAX_BYTES = 200 * 1024 * 1024  # those letters together, and their upload
    # Letters (`hearing/letters/`): one file's size, its members unpacked (DOCX, ODT), and the
    # scanned pages read by text recognition (Tesseract), each within its own seconds.
    IMPORT_MAX_LETTER_BYTES = 25 * 1024 * 1024
    IMPORT_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
    IMPORT_MAX_OCR_PAGES = 20
    IMPORT_MAX_OCR_PAGE_SECONDS = 30


def _database_url(raw: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _secret_key(instance: Path) -> str:
    key_file = instance / SECRET_KEY_FILE
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Apply every layer in order; later layers win."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_object(DefaultConfig)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'hearing.db'}"
    app.config.from_pyfile(INSTANCE_CONFIG_FILE, silent=True)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = os.environ["REDIS_URL"]
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
    app.config.from_prefixed_env("HEARING")
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A database file cannot drop the connection: the ping would only cost a query per request.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not app.config.get("TASK_BROKER"):
        app.config["TASK_BROKER"] = "redis" if app.config.get("REDIS_URL") else "embedded"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
