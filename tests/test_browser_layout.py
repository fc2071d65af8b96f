"""Layout in Debian's headless Chromium: nothing runs off the side of a phone, the positions
table fits a laptop screen, and the new consultation form proposes its address while typed.

The demo consultation (seed 004's 33 responses; one quote holds a long URL, which once made
the summary 481 px wide at 390) is published, analysed and served; screenshots go to
test-artifacts/ for a human look.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from hearing.demo import DEMO_SLUG, load_demo
from hearing.extensions import db
from hearing.models import Role, RunScope
from hearing.services import synthesis_runs
from tests.conftest import PASSWORD, create_user, make_app
from tests.publish_support import publish_now
from tests.test_browser_respond import CHROMIUM, CHROMIUM_ARGS, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"
    ),
]

# Elements whose right edge passes the viewport, outside the frames meant to scroll sideways.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('main *')) {
    if (el.closest('.table-scroll, .chart-scroll, .document')) continue;
    if (el.getBoundingClientRect().right > width + 1 || el.scrollWidth > el.clientWidth + 1
        && getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0)
      out.push(el.tagName + ' ' + (el.textContent || '').trim().slice(0, 60));
  }
  return {page: document.documentElement.scrollWidth, width: width, elements: out.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("layout")
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
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture()
def browser(demo_server: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def _tab(browser: Any, base_url: str, width: int, *, signed_in: bool = False) -> Any:
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    if signed_in:
        tab.goto("/auth/login")
        tab.fill("#email", "admin@example.no")
        tab.fill("#password", PASSWORD)
        tab.click("button[type=submit]")
    return tab


def test_the_public_summary_fits_a_phone(browser: Any, demo_server: str, artifacts_dir: Path):
    tab = _tab(browser, demo_server, 390)
    tab.goto(f"/h/{DEMO_SLUG}/oppsummering")
    tab.screenshot(path=str(artifacts_dir / "summary-390.png"), full_page=True)
    measured = tab.evaluate(OVERFLOWING)
    assert measured["page"] <= 390, measured
    assert measured["elements"] == [], measured
    # The chart keeps a legible size (its 13-unit labels at least 10 px) and scrolls in a frame
    # the keyboard can reach; the table's title is outside its frame, so it is never cut.
    chart = tab.locator(".position-chart").first
    assert chart.bounding_box()["width"] >= 600 * 0.99
    frame = tab.locator(".chart-scroll").first
    assert frame.get_attribute("tabindex") == "0"
    title = tab.locator(".table-title").first
    assert title.bounding_box()["x"] + title.bounding_box()["width"] <= 390
    assert serious_violations(tab) == []


def test_the_public_pages_fit_a_phone(browser: Any, demo_server: str):
    tab = _tab(browser, demo_server, 390)
    for url in ("/", f"/h/{DEMO_SLUG}"):
        tab.goto(url)
        measured = tab.evaluate(OVERFLOWING)
        assert measured["page"] <= 390, (url, measured)


def test_the_positions_table_fits_1280_without_sideways_scrolling(
    browser: Any, demo_server: str, artifacts_dir: Path
):
    tab = _tab(browser, demo_server, 1280, signed_in=True)
    tab.goto(f"/admin/consultations/{DEMO_SLUG}/synthesis/positions")
    tab.screenshot(path=str(artifacts_dir / "positions-1280.png"), full_page=True)
    frames = tab.evaluate(
        "() => [...document.querySelectorAll('.table-scroll')]"
        ".map(f => [f.scrollWidth, f.clientWidth])"
    )
    assert frames and all(scroll <= client for scroll, client in frames), frames
    header = tab.get_by_role("columnheader", name="Netto enighet").first
    assert header.bounding_box()["x"] + header.bounding_box()["width"] <= 1280


def test_admin_list_rows_keep_their_lines(browser: Any, demo_server: str):
    """Every cell of a row starts at the row's top: a cell of buttons once left the table."""
    tab = _tab(browser, demo_server, 1280, signed_in=True)
    for url in (
        "/admin/",
        f"/admin/consultations/{DEMO_SLUG}",
        f"/admin/consultations/{DEMO_SLUG}/submissions?q=kompetanse",
    ):
        tab.goto(url)
        misaligned = tab.evaluate(
            """() => [...document.querySelectorAll('tbody tr')].filter(row => {
                 const edges = [...row.cells].map(c => c.getBoundingClientRect());
                 return new Set(edges.map(e => Math.round(e.top))).size > 1
                   || new Set(edges.map(e => Math.round(e.bottom))).size > 1;
               }).length"""
        )
        assert misaligned == 0, url


def test_the_run_page_keeps_technical_details_folded(browser: Any, demo_server: str):
    tab = _tab(browser, demo_server, 1280, signed_in=True)
    tab.goto(f"/admin/consultations/{DEMO_SLUG}/synthesis")
    tab.locator("a[href*='/synthesis/runs/']").first.click()
    assert not tab.get_by_text("Tilfeldighetsfrø").is_visible()
    tab.get_by_text("Tekniske detaljer").click()
    assert tab.get_by_text("Tilfeldighetsfrø").is_visible()


def test_the_address_follows_the_title_while_typed(browser: Any, demo_server: str):
    tab = _tab(browser, demo_server, 1280, signed_in=True)
    tab.goto("/admin/consultations/new")
    tab.get_by_label("Tittel").press_sequentially("Høring om små barns ærlige svar")
    assert tab.get_by_label("Kortnavn i adressen").input_value() == (
        "horing-om-sma-barns-aerlige-svar"
    )
    tab.get_by_label("Kortnavn i adressen").fill("mitt-eget")
    tab.get_by_label("Tittel").press_sequentially(" 2")
    assert tab.get_by_label("Kortnavn i adressen").input_value() == "mitt-eget"
