"""Hostile text in every field a person can fill comes out as text, never as markup or formula.

One module-wide world is built the way people would build it: an admin creates a consultation
through the secretariat's forms (title, summary, Markdown document, question text and help, a
category name), respondents answer through the public form (name, on behalf of, e-mail where
the syntax allows, every answer text), one edits (a version), the admin hides one (a reason),
imports a long-format file (file name, respondent names, category, texts), runs the synthesis
inline (themes, quotes, duplicates) and publishes. Then every page and file that shows the text
is read back. Requests run outside any pushed app context, each with its own `g`, as in
production.

An HTML page is safe when no payload survives as markup: no `<script>alert`, no element with an
`on…=` handler attribute (the app's own markup has none: the CSP forbids inline handlers), no
`javascript:` URL in `href`/`src`, and `{{7*7}}` shows as typed (a template never evaluated it).
Each page is also checked to *show* the escaped payload where the field belongs, so a check
can never pass because the text is simply absent.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from importlib import resources
from xml.etree import ElementTree

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from hearing.extensions import db
from hearing.models import Answer, Consultation, RespondentCategory, Role, Submission, SynthesisRun
from hearing.models.types import utcnow
from tests.conftest import create_user, make_app, sign_in
from tests.publish_support import publish_now
from tests.respond_support import token_from
from tests.test_import_long_format import NB_HEADER, csv_bytes

PAYLOAD = (
    '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    "</textarea><script>alert(1)</script>{{7*7}}<svg onload=alert(1)>"
)
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
FORMULA = '=HYPERLINK("https://example.invalid","klikk")'
EMAIL = "{{7*7}}'/onfocus='alert`1`@example.no"  # as hostile as e-mail syntax allows
SLUG = "xss"
IMPORTED_SLUG = "xss-import"
# Werkzeug's test client cannot send a '"' in a file name (browsers send %22), so none here.
HOSTILE_FILENAME = "../../<img src=x onerror=alert(1)>{{7*7}}.csv"
DOCUMENT = (
    f"# Bakgrunn\n\nDOKUMENT {PAYLOAD}\n\n"
    '[lenke](javascript:alert(1)) <a href="javascript:alert(1)">rå</a> '
    "![bilde](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>)\n"
)
# Shared answer texts: equal ones make a duplicate group, and all of them one theme or more.
ANSWERS = (
    f"SVAR {PAYLOAD} Skolemat gir barn og unge bedre læring og helse.",
    f"SVAR {PAYLOAD} Skolemat gir barn og unge bedre læring og helse.",
    f"SVAR {PAYLOAD} Gratis skolemat er viktig for barn i familier med dårlig råd.",
    f"SVAR {PAYLOAD} Kommunene trenger penger til kjøkken og ansatte for skolemat.",
)

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}


class MarkupAudit(HTMLParser):
    """Reads a page as a browser would and lists markup that could run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>: an event handler")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.problems.append(f"<{tag} {name}={value!r}>: a script URL")
        if tag == "script":
            sources = [value for name, value in attrs if name == "src"]
            if not sources or not (sources[0] or "").startswith("/static/"):
                self.problems.append(f"<script {attrs}>: not one of the app's scripts")
            self._inline_script = True
        if tag in ("img", "iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag} {attrs}>: an element the app never writes")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script = False

    def handle_data(self, data: str) -> None:
        if self._inline_script and data.strip():
            self.problems.append(f"inline script {data[:60]!r}")


def assert_safe(html: str, where: str) -> None:
    """No payload survived as markup (the raw text check catches what a parser might forgive)."""
    assert "<script>alert" not in html, f"{where}: a raw <script>alert"
    audit = MarkupAudit()
    audit.feed(html)
    audit.close()
    assert not audit.problems, f"{where}: {audit.problems}"


def assert_shows(html: str, where: str, *markers: str) -> None:
    """The field's text is on the page, escaped, with `{{7*7}}` as typed."""
    assert_safe(html, where)
    for marker in markers:
        assert f"{marker} {ESCAPED}" in html, f"{where}: {marker!r} is not shown escaped"
    if markers:
        assert "{{7*7}}" in html, f"{where}: the template payload is missing or was evaluated"


@dataclass
class World:
    app: Flask
    admin_session: str
    tokens: list[str]
    submission_ids: list[int]
    question_ids: list[int]
    pages: dict[str, str] = field(default_factory=dict)  # pages only seen while building

    def admin(self) -> FlaskClient:
        client = self.app.test_client()
        client.set_cookie("session", self.admin_session, domain="localhost")
        return client

    def public(self) -> FlaskClient:
        return self.app.test_client()


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _ok(response, what: str) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 302), f"{what}: {response.status_code} {html[:2000]}"
    return html


def _create_consultation(admin: FlaskClient) -> None:
    opens = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    closes = (utcnow() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    _ok(
        admin.post(
            "/admin/consultations/new",
            data={
                "title": f"TITTEL {PAYLOAD}",
                "slug": SLUG,
                "summary": f"SAMMENDRAG {PAYLOAD}",
                "document": DOCUMENT,
                "opens_at": opens,
                "closes_at": closes,
                "language": "nb",
                "scale_preset": "agreement",
                "custom_scale": "",
            },
        ),
        "new consultation",
    )
    base = f"/admin/consultations/{SLUG}"
    for code, kind in (("1", "scale_text"), ("2", "text")):
        question = {
            "code": code,
            "text": f"SPØRSMÅL{code} {PAYLOAD}",
            "kind": kind,
            "help_text": f"HJELP{code} {PAYLOAD}",
        }
        _ok(admin.post(f"{base}/questions/new", data=question), "new question")
    category = {"name": f"KATEGORI {PAYLOAD}", "sector": "private"}
    _ok(admin.post(f"{base}/categories/new", data=category), "new category")
    _ok(admin.post(f"{base}/categories/preset"), "preset")
    _ok(admin.post(f"{base}/status", data={"status": "open"}), "open")


def _response_data(question_ids: list[int], category_id: int, index: int) -> dict[str, str]:
    first, second = question_ids
    return {
        "respondent_name": f"NAVN{index} {PAYLOAD}",
        "category": str(category_id),
        "on_behalf_of": f"VEGNE{index} {PAYLOAD}",
        "email": EMAIL,
        "consent": "named",
        f"q{first}_value": str(index % 5),
        f"q{first}_text": ANSWERS[index],
        f"q{second}_text": f"{FORMULA} FORMEL{index} {PAYLOAD}",
        "idempotency_key": f"{index}" * 32,
        "action": "submit",
    }


def _import_file(admin: FlaskClient) -> str:
    rows = [
        [f"IMPNAVN{i} {PAYLOAD}", f"IMPKAT {PAYLOAD}", "Privat", "1", "Helt enig", ANSWERS[i]]
        for i in range(3)
    ]
    data = csv_bytes(rows, header=NB_HEADER)
    preview = admin.post(
        "/admin/import/responses",
        data={
            "file": (io.BytesIO(data), HOSTILE_FILENAME),
            "consultation": "__new__",
            "new_slug": IMPORTED_SLUG,
            "new_title": f"IMPTITTEL {PAYLOAD}",
        },
        content_type="multipart/form-data",
    )
    html = _ok(preview, "import preview")
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', html)
    assert token, html[:3000]
    _ok(admin.post("/admin/import/responses/confirm", data={"token": token[1]}), "import")
    return html


@pytest.fixture(scope="module")
def world(migrated: str) -> Iterator[World]:
    app = make_app(migrated, SYNTHESIS_EXECUTOR="inline")
    with app.app_context():
        _empty_tables()
        create_user("admin@example.no", Role.ADMIN)
    signed_in = app.test_client()
    sign_in(signed_in, "admin@example.no")
    built = World(app, signed_in.get_cookie("session").value, [], [], [])
    admin = built.admin()
    _create_consultation(admin)
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
        built.question_ids = [q.id for q in consultation.questions]
        hostile_category = db.session.scalar(
            select(RespondentCategory.id).where(
                RespondentCategory.consultation_id == consultation.id,
                RespondentCategory.name.startswith("KATEGORI"),
            )
        )
    for index in range(len(ANSWERS)):
        data = _response_data(built.question_ids, hostile_category, index)
        response = built.public().post(f"/h/{SLUG}/svar", data=data)
        _ok(response, "respond")
        built.tokens.append(token_from(response.headers["Location"]))
    # Respondent 0 edits: the old text becomes a version the secretariat can read.
    edited = _response_data(built.question_ids, hostile_category, 0)
    edited[f"q{built.question_ids[0]}_text"] = f"ENDRET {PAYLOAD} Skolemat gir læring."
    _ok(built.public().post(f"/h/{SLUG}/svar/{built.tokens[0]}", data=edited), "edit")
    with app.app_context():
        built.submission_ids = list(
            db.session.scalars(
                select(Submission.id)
                .join(Consultation)
                .where(Consultation.slug == SLUG)
                .order_by(Submission.id)
            )
        )
    base = f"/admin/consultations/{SLUG}"
    hidden = built.submission_ids[3]
    reason = {"reason": f"GRUNN {PAYLOAD}"}
    _ok(admin.post(f"{base}/submissions/{hidden}/hide", data=reason), "hide")
    built.pages["import preview"] = _import_file(admin)
    _ok(admin.post(f"{base}/synthesis/runs"), "synthesis")
    _ok(admin.post(f"{base}/status", data={"status": "closed"}), "closed")
    with app.app_context():
        publish_now(db.session.scalar(select(Consultation).where(Consultation.slug == SLUG)))
    built.pages["publication"] = _ok(admin.get(f"{base}/publication"), "publication page")
    yield built
    with app.app_context():
        _empty_tables()
        db.engine.dispose()


# Public pages --------------------------------------------------------------------------------


def test_public_pages(world: World) -> None:
    client = world.public()
    index = _ok(client.get("/"), "index")
    assert_shows(index, "index", "TITTEL", "SAMMENDRAG")
    page = _ok(client.get(f"/h/{SLUG}"), "consultation page")
    assert_shows(page, "consultation page", "TITTEL", "SAMMENDRAG", "DOKUMENT")
    for suffix in ("kvittering", "trekk", ""):
        url = f"/h/{SLUG}/svar/{world.tokens[0]}/{suffix}".rstrip("/")
        html = client.get(url).get_data(as_text=True)  # closed: "trekk" answers 403, a page
        assert_shows(html, url, "TITTEL", "NAVN0", "ENDRET", "FORMEL0", "SPØRSMÅL1")


def test_the_form_keeps_hostile_input_as_field_values(world: World) -> None:
    """The response form, opened again from the private link while the consultation is open,
    puts every value back into its input or textarea as text."""
    with world.app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
        consultation.status = "open"
        db.session.commit()
    try:
        client = world.public()
        html = _ok(client.get(f"/h/{SLUG}/svar/{world.tokens[1]}"), "resume form")
        assert_shows(html, "resume form", "NAVN1", "VEGNE1", "SVAR", "SPØRSMÅL1", "HJELP1")
        assert_shows(html, "resume form", "KATEGORI")  # an <option> of the category select
        assert "{{7*7}}&#39;/onfocus=&#39;alert`1`@example.no" in html  # the e-mail value
        blank = _ok(client.get(f"/h/{SLUG}/svar"), "blank form")
        assert_shows(blank, "blank form", "SPØRSMÅL2", "HJELP2", "KATEGORI")
        # A refused submit (too long a name) shows everything typed again, still escaped.
        data = _response_data(world.question_ids, 0, 2)
        data.update(respondent_name="x" * 400, idempotency_key="f" * 32)
        refused = client.post(f"/h/{SLUG}/svar", data=data)
        assert refused.status_code == 422
        assert_shows(refused.get_data(as_text=True), "refused form", "VEGNE2", "SVAR", "FORMEL2")
    finally:
        with world.app.app_context():
            consultation = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
            consultation.status = "published"
            db.session.commit()


def test_markdown_document_drops_script_links(world: World) -> None:
    html = _ok(world.public().get(f"/h/{SLUG}"), "consultation page")
    assert_safe(html, "consultation page")  # no javascript:/data: link or image became markup
    document = html.split("DOKUMENT", 1)[1].split("</section>", 1)[0]
    assert "<a " not in document and "<img" not in document
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;" in html  # raw HTML shown as text


def test_published_summary_page_and_chart(world: World) -> None:
    html = _ok(world.public().get(f"/h/{SLUG}/oppsummering"), "summary page")
    assert_shows(html, "summary page", "TITTEL", "NAVN0", "KATEGORI")
    charts = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert charts, "the summary page has a position chart"
    for chart in charts:
        root = ElementTree.fromstring(chart)  # well-formed: nothing broke out of a text node
        for element in root.iter():
            assert not element.tag.endswith("script"), chart[:500]
            assert not any(name.lower().startswith("on") for name in element.attrib), chart[:500]
        assert any("KATEGORI <script>" in text for text in root.itertext())


# The secretariat's pages ---------------------------------------------------------------------


def test_secretariat_pages(world: World) -> None:
    admin = world.admin()
    base = f"/admin/consultations/{SLUG}"
    first, hidden = world.submission_ids[0], world.submission_ids[3]
    expectations = {
        "/admin/": ("TITTEL", "IMPTITTEL"),
        base: ("TITTEL", "SPØRSMÅL1", "KATEGORI"),
        f"{base}/edit": ("TITTEL", "SAMMENDRAG", "DOKUMENT"),
        f"{base}/questions/{world.question_ids[0]}/edit": ("SPØRSMÅL1", "HJELP1"),
        f"{base}/submissions": ("NAVN0", "KATEGORI"),
        f"{base}/submissions?status=all&hidden=1": ("NAVN3",),
        f"{base}/submissions/{first}": ("NAVN0", "VEGNE0", "ENDRET", "SVAR", "FORMEL0"),
        f"{base}/submissions/{hidden}": ("NAVN3", "GRUNN"),
        f"{base}/submissions/new": ("SPØRSMÅL1", "HJELP1", "KATEGORI"),
        f"{base}/exports": ("TITTEL",),
        "/admin/audit": ("GRUNN", "KATEGORI"),
        f"/admin/consultations/{IMPORTED_SLUG}": ("IMPTITTEL", "IMPKAT"),
        f"/admin/consultations/{IMPORTED_SLUG}/submissions": ("IMPNAVN0",),
    }
    for url, markers in expectations.items():
        assert_shows(_ok(admin.get(url), url), url, *markers)
    assert_shows(world.pages["import preview"], "import preview", "IMPNAVN0", "IMPKAT")
    assert "onerror" not in world.pages["import preview"].replace("onerror=alert(1)&gt;", "")


def test_synthesis_pages(world: World) -> None:
    admin = world.admin()
    base = f"/admin/consultations/{SLUG}/synthesis"
    pages = {
        base: (),
        f"{base}/positions": ("KATEGORI",),
        f"{base}/duplicates": ("NAVN0",),
        f"{base}/opinions": (),
        f"{base}/themes/1": ("SPØRSMÅL1",),
        f"{base}/themes/2": ("SPØRSMÅL2",),
    }
    for url, markers in pages.items():
        assert_shows(_ok(admin.get(url), url), url, *markers)
    themes = admin.get(f"{base}/themes/1").get_data(as_text=True)
    assert "Skolemat gir barn og unge bedre læring" in themes  # the quotes are on the page
    with world.app.app_context():
        run_id = db.session.scalar(select(func.max(SynthesisRun.id)))
    assert_safe(_ok(admin.get(f"{base}/runs/{run_id}"), "run page"), "run page")


# Files -----------------------------------------------------------------------------------------

DOWNLOADS = [
    f"/h/{SLUG}/oppsummering.{{}}",
    f"/admin/consultations/{SLUG}/export.{{}}",
]


def _download(world: World, template: str, format_name: str) -> bytes:
    client = world.admin() if template.startswith("/admin") else world.public()
    response = client.get(template.format(format_name))
    assert response.status_code == 200
    assert not response.mimetype.startswith("text/html")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    return response.data


@pytest.mark.parametrize("template", DOWNLOADS)
def test_xlsx_holds_text_never_formulas(world: World, template: str) -> None:
    workbook = load_workbook(io.BytesIO(_download(world, template, "xlsx")))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    joined = "\n".join(texts)
    assert f"NAVN0 {PAYLOAD}" in joined and f"{FORMULA} FORMEL0" in joined
    assert "49" not in {text.strip() for text in texts if "7*7" in text}


@pytest.mark.parametrize("template", DOWNLOADS)
def test_csv_neutralises_formulas(world: World, template: str) -> None:
    text = _download(world, template, "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    if len(cells) < 10:  # the writer may use commas
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert any(cell.startswith(f"'{FORMULA} FORMEL0") for cell in cells)
    assert any(f"NAVN0 {PAYLOAD}" in cell for cell in cells)


@pytest.mark.parametrize("template", DOWNLOADS)
def test_json_holds_the_text_as_strings(world: World, template: str) -> None:
    document = json.loads(_download(world, template, "json"))
    flat = json.dumps(document, ensure_ascii=False)
    assert json.dumps(f"NAVN0 {PAYLOAD}", ensure_ascii=False) in flat
    assert json.dumps(f"{FORMULA} FORMEL0 {PAYLOAD}", ensure_ascii=False)[:-1] in flat


@pytest.mark.parametrize("template", DOWNLOADS)
def test_docx_holds_the_text_as_text(world: World, template: str) -> None:
    data = _download(world, template, "docx")
    document = Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(f"NAVN0 {PAYLOAD}" in text for text in texts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    ElementTree.fromstring(xml)  # still well-formed XML


def test_compiled_import_of_hostile_text(world: World) -> None:
    """A compiled document whose title and answers carry the payload: preview and the imported
    consultation show it as text."""
    seed = resources.files("hearing").joinpath("demo_data", "compiled_responses.txt")
    text = seed.read_text(encoding="utf-8")
    text = text.replace("Ledelse for kunnskapsbasert, ", f"CTITTEL {PAYLOAD} ", 1)
    text = text.replace("Det kunnskapssynet", f"CSVAR {PAYLOAD} Det kunnskapssynet", 1)
    admin = world.admin()
    upload = {"file": (io.BytesIO(text.encode()), HOSTILE_FILENAME.replace(".csv", ".txt"))}
    upload["slug"] = "xss-sammenstilt"
    preview = _ok(
        admin.post("/admin/import/compiled", data=upload, content_type="multipart/form-data"),
        "compiled preview",
    )
    assert_shows(preview, "compiled preview", "CTITTEL")
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', preview)
    assert token, preview[:3000]
    _ok(admin.post("/admin/import/compiled/confirm", data={"token": token[1]}), "confirm")
    for url in ("/admin/", "/admin/consultations/xss-sammenstilt"):
        assert_shows(_ok(admin.get(url), url), url, "CTITTEL")
    with world.app.app_context():
        answered = db.session.scalar(
            select(Answer.submission_id).where(Answer.text.startswith("CSVAR"))
        )
    url = f"/admin/consultations/xss-sammenstilt/submissions/{answered}"
    assert_shows(_ok(admin.get(url), url), url, "CSVAR")
