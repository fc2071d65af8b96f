"""Every secretariat page on a 390 px phone, in Debian's headless Chromium: the page itself never
scrolls sideways (a wide table scrolls inside its own frame or reflows), every menu link and
button is inside the screen, and the rows of the admin lists keep their lines.

The world is the demo consultation (seed 004's 33 responses), analysed and published, with a
registered letter corrected once, a codebook with a tagged answer, a høringsliste and a mail in
the outbox, so the lists have rows with long names in them; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from forms.response import ResponseContent
from hearing.demo import DEMO_SLUG
from hearing.extensions import db
from hearing.imports.invitee_file import InviteeRow
from hearing.models import Answer, Code, CodeAssignment, SynthesisRun
from hearing.models.outbox import MessageKind
from hearing.models.types import utcnow
from hearing.services import invitees, outbox, responses
from synthesis.answers import Answer as GivenAnswer
from tests.browser_support import BROWSER_MARKS, chromium, new_tab, published_demo, served, sign_in

pytestmark = BROWSER_MARKS

PHONE = 390
D = f"/admin/consultations/{DEMO_SLUG}"
LONG_NAME = "Landsforeningen for barnevernsbarn og ungdommers medvirkningsrettigheter i Norge"

# What sticks out of the screen: elements whose right edge passes it or whose text passes their
# own edge, unless a frame they are in scrolls sideways (and that frame itself fits); menu links
# and buttons that are cut; table rows whose cells do not start and end together.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const framed = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
      if (scrolls(up)) return up.getBoundingClientRect().right <= width + 1;
    return false;
  };
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const name = el => el.tagName + ' ' + (el.textContent || el.value || '').trim().slice(0, 50);
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!shown(el) || el.closest('.visually-hidden, .hp-field, .skip-link')) continue;
    const wider = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
      && getComputedStyle(el).overflowX === 'visible';  // a word longer than its box
    if ((el.getBoundingClientRect().right > width + 1 || wider) && !framed(el)) out.push(name(el));
  }
  const controls = 'header nav a, header nav button, main button, main .button';
  const cut = [...document.querySelectorAll(controls)]
    .filter(el => shown(el) && !framed(el))
    .filter(el => {
      const r = el.getBoundingClientRect();
      return r.left < -1 || r.right > width + 1;
    })
    .map(name);
  const misaligned = [...document.querySelectorAll('main tbody tr')].filter(row => {
    const edges = [...row.cells].map(c => c.getBoundingClientRect());
    return new Set(edges.map(e => Math.round(e.top))).size > 1
      || new Set(edges.map(e => Math.round(e.bottom))).size > 1;
  }).map(row => (row.textContent || '').trim().slice(0, 40));
  return {page: document.documentElement.scrollWidth, body: document.body.scrollWidth,
          outside: out.slice(0, 8), cut: cut.slice(0, 8), misaligned: misaligned.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def admin_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The demo served, and the ids the pages' addresses need."""
    ids: dict[str, str] = {}
    path = tmp_path_factory.mktemp("admin-phone")
    with served(published_demo(path, lambda made: ids.update(_fill_the_lists(made)))) as url:
        yield url, ids


def _fill_the_lists(consultation: Any) -> dict[str, str]:
    """A corrected letter, a tagged answer, an invited body and a queued mail; the ids."""
    question = consultation.questions[-1]
    content = ResponseContent(
        respondent_name=LONG_NAME,
        category_id=consultation.categories[0].id,
        on_behalf_of="Fire fylkeslag",
        consent="named",
        answers={question.id: GivenAnswer(question.code, text="Se vedlagte brev. " * 40)},
    )
    letter = responses.register_by_hand(
        consultation, content, utcnow(), "p" * 32, received_on=date(2025, 3, 3)
    )
    responses.correct_registered(letter, content, date(2025, 3, 4))
    code = Code(consultation_id=consultation.id, name="Samhandling på tvers av sektorer")
    db.session.add(code)
    db.session.flush()
    answer = db.session.scalars(select(Answer).where(Answer.text.is_not(None))).first()
    db.session.add(CodeAssignment(code_id=code.id, answer_id=answer.id))
    address = "post@landsforeningen-for-barnevernsbarn-og-ungdom.example.no"
    invitees.import_rows(
        consultation, [InviteeRow(2, LONG_NAME, "987654321", address, "Organisasjon")]
    )
    outbox.enqueue(MessageKind.INVITATION, address, language="nb", consultation_id=consultation.id)
    run = db.session.scalar(select(SynthesisRun.id).order_by(SynthesisRun.id))
    return {
        "letter": str(letter.id),
        "run": str(run),
        "code": consultation.questions[1].code,
    }


@pytest.fixture()
def phone(admin_world: tuple[str, dict[str, str]]) -> Iterator[Any]:
    with chromium() as browser:
        tab = new_tab(browser, admin_world[0], PHONE, 844)
        sign_in(tab, "admin@example.no")
        tab.wait_for_url("**/admin/**")
        yield tab


def _pages(ids: dict[str, str]) -> list[str]:
    letter, run, code = ids["letter"], ids["run"], ids["code"]
    return [
        "/admin/",
        "/admin/consultations/new",
        D,
        f"{D}/edit",
        f"{D}/questions/new",
        f"{D}/categories/new",
        f"{D}/submissions",
        f"{D}/submissions?q=kompetanse",
        f"{D}/submissions/{letter}",
        f"{D}/submissions/{letter}/edit",
        f"{D}/submissions/new",
        f"{D}/synthesis",
        f"{D}/synthesis/runs/{run}",
        f"{D}/synthesis/positions",
        f"{D}/synthesis/themes/{code}",
        f"{D}/synthesis/duplicates",
        f"{D}/synthesis/opinions",
        f"{D}/publication",
        f"{D}/exports",
        f"{D}/coding",
        f"{D}/coding/questions/{code}",
        f"{D}/coding/summary",
        f"{D}/invitees",
        f"{D}/letters",
        "/admin/import/compiled",
        "/admin/import/responses",
        "/admin/outbox",
        "/admin/users",
        "/admin/audit",
        "/admin/mail-settings",
    ]


def test_every_admin_page_fits_a_phone(phone: Any, admin_world: Any, artifacts_dir: Path):
    _base, ids = admin_world
    failures = {}
    for url in _pages(ids):
        response = phone.goto(url)
        assert response is not None and response.ok, (url, response and response.status)
        measured = phone.evaluate(MEASURE)
        name = url.strip("/").replace("/", "_").replace("?", "_") or "admin"
        phone.screenshot(path=str(artifacts_dir / f"phone-{name}.png"), full_page=True)
        fits = measured["page"] <= PHONE and measured["body"] <= PHONE
        if not fits or measured["outside"] or measured["cut"] or measured["misaligned"]:
            failures[url] = measured
    (artifacts_dir / "phone-failures.json").write_text(json.dumps(failures, indent=1))
    assert failures == {}, failures


def test_the_menu_is_reachable_on_a_phone(phone: Any):
    phone.goto(D)
    for name in ("Sekretariat", "Brukere", "Logg", "E-post", "Logg ut"):
        link = phone.get_by_role("navigation", name="Hovedmeny").get_by_text(name).first
        assert link.is_visible(), name
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (name, box)
    phone.get_by_role("navigation", name="Hovedmeny").get_by_text("Brukere").first.click()
    assert phone.url.endswith("/admin/users")
