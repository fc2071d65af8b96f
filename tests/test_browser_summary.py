"""The published summary page in Debian's headless Chromium, checked with axe-core.

Reuses the browser set-up of the response-journey tests (Chromium at /usr/bin/chromium, axe-core
from the axe-playwright-python package, nothing fetched at run time). The page holds seed 004's
33 responses, with a chart and a data table per scale question; a screenshot goes to
test-artifacts/ for a human look.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade

from hearing.demo import DEMO_SLUG, load_demo
from hearing.extensions import db
from tests.browser_support import BROWSER_MARKS, chromium, new_tab, served
from tests.conftest import make_app
from tests.publish_support import publish_now
from tests.test_browser_respond import serious_violations

pytestmark = BROWSER_MARKS


@pytest.fixture()
def summary_server(tmp_path: Path) -> Iterator[str]:
    """The app on a random local port with the demo consultation published."""
    app = make_app(f"sqlite:///{tmp_path / 'browser.db'}", SERVER_NAME=None, TESTING=False)
    with app.app_context():
        upgrade()
        consultation, _, _ = load_demo()
        publish_now(consultation)
        db.session.remove()
    with served(app) as base_url:
        yield base_url


@pytest.fixture()
def browser_page(summary_server: str) -> Iterator[Any]:
    with chromium() as browser:
        yield new_tab(browser, summary_server, 1100)


def test_summary_page_is_accessible(browser_page: Any, artifacts_dir: Path) -> None:
    csp_errors: list[str] = []
    browser_page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    browser_page.goto(f"/h/{DEMO_SLUG}")
    browser_page.get_by_role("link", name="Les oppsummeringen av høringssvarene").click()
    browser_page.wait_for_url(f"**/h/{DEMO_SLUG}/oppsummering")

    charts = browser_page.get_by_role("img", name="Standpunkter til spørsmål 1 etter kategori")
    assert charts.count() == 1
    table = browser_page.get_by_role("table", name="Standpunkter til spørsmål 1", exact=False)
    assert table.count() == 1
    assert browser_page.get_by_text(
        "Sju andre instanser som har svart på dette notatet har ikke svart på dette spørsmålet."
    ).is_visible()

    browser_page.screenshot(path=str(artifacts_dir / "summary-top.png"))
    browser_page.locator("section.summary-question").first.screenshot(
        path=str(artifacts_dir / "summary-question-1.png")
    )
    browser_page.locator("figure.position-figure").first.screenshot(
        path=str(artifacts_dir / "summary-chart.png")
    )
    assert serious_violations(browser_page) == []
    assert csp_errors == []  # no inline style or script for the CSP to refuse
