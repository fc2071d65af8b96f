"""Layout in Debian's headless Chromium: nothing runs off the side of a phone, the positions
table fits a laptop screen, and the new consultation form proposes its address while typed.

The demo consultation (seed 004's 33 responses; one quote holds a long URL, which once made
the summary 481 px wide at 390) is published, analysed and served; screenshots go to
test-artifacts/ for a human look.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hearing.demo import DEMO_SLUG
from tests.browser_support import (
    BROWSER_MARKS,
    chromium,
    new_tab,
    published_demo,
    served,
    sign_in,
)
from tests.test_browser_respond import serious_violations

pytestmark = BROWSER_MARKS

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
    with served(published_demo(tmp_path_factory.mktemp("layout"))) as base_url:
        yield base_url


@pytest.fixture()
def browser(demo_server: str) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _tab(browser: Any, base_url: str, width: int, *, signed_in: bool = False) -> Any:
    tab = new_tab(browser, base_url, width)
    if signed_in:
        sign_in(tab, "admin@example.no")
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
