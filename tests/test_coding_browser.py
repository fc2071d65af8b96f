"""Coding in Debian's headless Chromium: selecting a passage fills the tag form, the server
stores the same characters (an emoji before the passage counts as one character, as Python
counts, though JavaScript counts two), and the coding pages pass axe-core's serious checks.
Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import CodeAssignment, Role
from hearing.services import coding
from tests.browser_support import BROWSER_MARKS, chromium, new_tab, served, sign_in
from tests.coding_support import SLUG, answer_of, make_coding_consultation
from tests.conftest import create_user, make_app
from tests.test_browser_respond import serious_violations

pytestmark = BROWSER_MARKS
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
    with served(app) as base_url:
        yield base_url, app, answer_id


@pytest.fixture()
def tab(coding_server: tuple[str, Any, int]) -> Iterator[Any]:
    with chromium() as browser:
        page = new_tab(browser, coding_server[0], 1280)
        sign_in(page, "analyst@example.no")
        yield page


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
