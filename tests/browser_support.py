"""What the browser tests share: Debian's headless Chromium (never a downloaded browser), the app
served by a werkzeug server in a thread, and a tab signed in as a secretariat user."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from hearing.demo import load_demo
from hearing.extensions import db
from hearing.models import Consultation, Role, RunScope
from hearing.services import synthesis_runs
from tests.conftest import PASSWORD, create_user, make_app
from tests.publish_support import publish_now

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# A browser test's module marks: `pytestmark = BROWSER_MARKS`.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"
    ),
]


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """`app` on 127.0.0.1 at a free port until the block ends; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def published_demo(path: Path, prepare: Callable[[Consultation], object] | None = None) -> Flask:
    """An app on a fresh SQLite file holding the demo consultation (seed 004), analysed and
    published, and the admin admin@example.no; `prepare` adds to it before it is served."""
    app = make_app(f"sqlite:///{path / 'browser.db'}", SERVER_NAME=None, TESTING=False)
    with app.app_context():
        upgrade()
        consultation, _, _ = load_demo()
        db.session.commit()
        synthesis_runs.run_inline(
            consultation, synthesis_runs.run_parameters(), scope=RunScope.INTERNAL
        )
        publish_now(consultation)
        create_user("admin@example.no", Role.ADMIN)
        if prepare is not None:
            prepare(consultation)
            db.session.commit()
        db.session.remove()
    return app


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium (skips the test without Playwright)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_tab(browser: Any, base_url: str, width: int, height: int = 900) -> Any:
    """A tab of its own context (own cookies) with a viewport of `width` × `height`."""
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab


def sign_in(tab: Any, email: str) -> None:
    """Sign the tab in through the login form (the test users' password)."""
    tab.goto("/auth/login")
    tab.fill("#email", email)
    tab.fill("#password", PASSWORD)
    tab.click("button[type=submit]")
