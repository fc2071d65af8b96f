"""Coding in Debian's headless Chromium: selecting a passage fills the tag form, the server
stores the same characters (an emoji before the passage counts as one character, as Python
counts, though JavaScript counts two), and the coding pages pass axe-core's serious checks.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from hearing.extensions import db
from hearing.models import CodeAssignment, Role
from hearing.services import coding
from tests.coding_support import SLUG, answer_of, make_coding_consultation
from tests.conftest import PASSWORD, create_user, make_app
from tests.test_browser_respond import CHROMIUM, CHROMIUM_ARGS, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"
    ),
]
PASSAGE = "ventetiden er lang"
SELECT_PASSAGE = """([answerId, passage]) => {
  const box = document.querySelector(`.coding-text[data-answer="${answerId}"]`);
  const node = box.firstChild;
  const start = node.textContent.indexOf(passage);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + passage.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""


@pytest.fixture()
def coding_server(tmp_path: Path) -> Iterator[tuple[str, Any, int]]:
    app = make_app(
        f"sqlite:///{tmp_path / 'browser.db'}",
        SERVER_NAME=None,
        WTF_CSRF_ENABLED=True,
        TESTING=False,
    )
    with app.app_context():
        upgrade()
        consultation = make_coding_consultation()
        oslo = answer_of(consultation, "Oslo kommune")
        oslo.text = "👍 Finansieringen er for svak, og ventetiden er lang."
        waiting = coding.add_code(consultation, "Ventetid", "Lang ventetid på tjenester")
        coding.tag_answer(answer_of(consultation, "Bergen kommune"), waiting, user_id=None)
        create_user("analyst@example.no", Role.ANALYST)
        db.session.commit()
        answer_id = oslo.id
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app, answer_id
    server.shutdown()
    thread.join()


@pytest.fixture()
def tab(coding_server: tuple[str, Any, int]) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=coding_server[0], viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/auth/login")
        page.fill("#email", "analyst@example.no")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        yield page
        context.close()
        browser.close()


def test_a_selected_passage_is_tagged_as_selected(tab, coding_server, artifacts_dir):
    _base, app, answer_id = coding_server
    errors: list[str] = []
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    tab.goto(f"/admin/consultations/{SLUG}/coding/questions/1")
    tab.evaluate(SELECT_PASSAGE, [answer_id, PASSAGE])
    form = tab.locator(f"#tag-form-{answer_id}")
    assert form.locator("textarea[name=quote]").input_value() == PASSAGE
    assert form.locator("input[name=start]").input_value() == "33"  # the emoji is one character
    assert PASSAGE in form.locator(".coding-selection").inner_text()
    form.locator("button[type=submit]").click()
    tab.wait_for_url(f"**#answer-{answer_id}")
    mark = tab.locator(f'.coding-text[data-answer="{answer_id}"] mark')
    assert mark.inner_text() == PASSAGE
    tab.screenshot(path=str(artifacts_dir / "coding-question.png"), full_page=True)
    with app.app_context():
        stored = db.session.scalar(
            select(CodeAssignment).where(CodeAssignment.answer_id == answer_id)
        )
        assert (stored.span_start, stored.span_end, stored.quote) == (33, 51, PASSAGE)
        db.session.remove()
    assert errors == []
    assert serious_violations(tab) == []


def test_the_coding_pages_are_accessible(tab, artifacts_dir):
    for name, url in (
        ("coding", f"/admin/consultations/{SLUG}/coding"),
        ("coding-summary", f"/admin/consultations/{SLUG}/coding/summary"),
    ):
        tab.goto(url)
        tab.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
        assert serious_violations(tab) == [], name
