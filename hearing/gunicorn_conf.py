"""Gunicorn settings for production; the load harness (bench/) measures exactly these.

    gunicorn -c python:hearing.gunicorn_conf "hearing:create_app()"

The work is CPU-bound Python, so processes give the parallelism: one worker per core plus one
(measured best on 2 cores: 3 workers × 2 threads). Two threads per worker keep a slow client
from holding a whole worker, and gthread keeps browsers' connections alive between the form,
the POST and the receipt. Override with WEB_CONCURRENCY, HEARING_THREADS and HEARING_BIND.
"""

from __future__ import annotations

import os

bind = os.environ.get("HEARING_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
worker_class = "gthread"
threads = int(os.environ.get("HEARING_THREADS", "2"))
preload_app = True  # load the app (catalogues, models) once, before forking
keepalive = 5
graceful_timeout = 30
