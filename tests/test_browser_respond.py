"""The response journey in a real browser, by keyboard only, checked with axe-core.

Debian's headless Chromium (never a downloaded browser) drives the app served by a werkzeug
server in a thread. axe-core comes from the axe-playwright-python package, loaded from disk:
nothing is fetched at run time. Screenshots go to test-artifacts/ for a human look.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade

from hearing.extensions import db
from tests.browser_support import BROWSER_MARKS, chromium, new_tab, served
from tests.conftest import make_app
from tests.respond_support import SLUG, make_consultation, question_ids

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = BROWSER_MARKS


def _axe_script() -> Path:
    try:
        return Path(str(resources.files("axe_playwright_python").joinpath("axe.min.js")))
    except ModuleNotFoundError:
        pytest.skip("axe-playwright-python (dev dependency) is not installed")


@pytest.fixture()
def live_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, int]]]:
    """The app on 127.0.0.1 with a random port, a migrated file-based SQLite DB, CSRF on."""
    app = make_app(
        f"sqlite:///{tmp_path / 'browser.db'}",
        SERVER_NAME=None,
        WTF_CSRF_ENABLED=True,
        TESTING=False,
    )
    with app.app_context():
        upgrade()
        ids = question_ids(make_consultation())
        db.session.remove()
    with served(app) as base_url:
        yield base_url, ids


@pytest.fixture()
def page(live_server: tuple[str, dict[str, int]]) -> Iterator[Any]:
    with chromium() as browser:
        yield new_tab(browser, live_server[0], 1100)


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the current page."""
    # Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
    page.evaluate(_axe_script().read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))
            }));
        }""",
        AXE_TAGS,
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def check_page(page: Any, name: str, artifacts_dir: Path) -> None:
    page.screenshot(path=str(artifacts_dir / f"respond-{name}.png"), full_page=True)
    assert serious_violations(page) == [], name


def test_keyboard_only_response_is_accessible(page, live_server, artifacts_dir):
    ids = live_server[1]
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )

    page.goto("/")
    check_page(page, "list", artifacts_dir)
    tab_to(page, f'a[href="/h/{SLUG}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/h/{SLUG}")
    check_page(page, "consultation", artifacts_dir)

    tab_to(page, f'a.button[href="/h/{SLUG}/svar"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/h/{SLUG}/svar")
    tab_to(page, "#respondent_name")
    page.keyboard.type("Bergen kommune")
    tab_to(page, f"#q{ids['1.a']}_text")
    page.keyboard.type("Et svar som må bevares.")
    counter = page.inner_text(f"#q{ids['1.a']}_text-count")
    assert "19\u00a0977" in counter  # respond.js runs under the CSP and counts as we type
    tab_to(page, 'button[value="submit"]')
    page.keyboard.press("Space")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.input_value("#respondent_name") == "Bergen kommune"
    assert page.input_value(f"#q{ids['1.a']}_text") == "Et svar som må bevares."
    check_page(page, "form-with-errors", artifacts_dir)

    # Correct the errors, still by keyboard only.
    tab_to(page, "#category")
    page.keyboard.type("Forvaltning")
    tab_to(page, "#email")
    page.keyboard.type("post@bergen.kommune.no")
    tab_to(page, 'input[name="consent"]')
    page.keyboard.press("Space")  # the first choice: publish with name
    tab_to(page, f'input[name="q{ids["1"]}_value"]')
    page.keyboard.press("ArrowDown")  # the second scale point: "Delvis enig"
    tab_to(page, f"#q{ids['3']}_text")
    page.keyboard.type("At maten er sunn.")
    tab_to(page, 'button[value="submit"]')
    page.keyboard.press("Space")
    page.wait_for_url("**/kvittering")
    assert page.locator("h1").inner_text() == "Takk for svaret"
    body = page.inner_text("main")
    for typed in ("Delvis enig", "At maten er sunn.", "Et svar som må bevares."):
        assert typed in body
    check_page(page, "receipt", artifacts_dir)
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts_dir / "respond-receipt-print.png"), full_page=True)
    assert csp_errors == []
