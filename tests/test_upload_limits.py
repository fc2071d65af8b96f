"""Hostile uploads to the two upload endpoints (the secretariat's import pages).

`hearing/admin/imports.py` holds the only `request.files` users: /admin/import/compiled (.txt or
.pdf) and /admin/import/responses (.csv or .xlsx). Each refuses, with a message on the form or
the 413 page, a file over the size limit, a file whose content is not what its name says (a
program, a picture, a ZIP that is no workbook, a PDF that is not one), a damaged workbook and
a ZIP bomb; it never uses the uploaded name as a path; and a refusal leaves nothing behind: no
stashed file, no pending import in the session, no row in the database.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearing.admin import upload_store
from hearing.extensions import db
from hearing.imports.long_format import MAX_XLSX_UNPACKED_BYTES
from hearing.models import AuditEvent, Consultation, Submission
from tests.test_import_long_format import NB_HEADER, ROWS, csv_bytes, xlsx_bytes

COMPILED = "/admin/import/compiled"
RESPONSES = "/admin/import/responses"
NEW = {"consultation": "__new__", "new_slug": "ny"}
SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = ("respondent", "category", "sector", "question", "value", "text")

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 512
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" + b"\x00" * 64


@pytest.fixture()
def instance(app: Flask, tmp_path: Path) -> Path:
    """A private instance folder, so stashed uploads of tests running alongside never mix."""
    app.instance_path = str(tmp_path)
    return tmp_path


def upload(client: FlaskClient, url: str, data: bytes, filename: str, **fields: str):
    form = {"file": (io.BytesIO(data), filename), **fields}
    return client.post(url, data=form, content_type="multipart/form-data")


def form_errors(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [
        re.sub(r"<[^>]+>", "", error).replace("Feil:", "").strip()
        for error in re.findall(r'class="error-message"[^>]*>(.*?)</p>', html, re.S)
    ]


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def assert_nothing_left(client: FlaskClient, instance: Path) -> None:
    assert files_under(instance) == []
    with client.session_transaction() as session:
        assert not session.get(upload_store.SESSION_KEY)
    for model in (Consultation, Submission):
        assert db.session.scalar(select(func.count(model.id))) == 0
    assert not db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action.startswith("import"))
    )


def assert_refused(response, client: FlaskClient, instance: Path, expected: str) -> None:
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    errors = form_errors(response)
    assert any(expected in error for error in errors), errors
    assert "Ingenting er lagret ennå." not in response.get_data(as_text=True)  # no preview
    assert_nothing_left(client, instance)


# Workbooks built part by part, so each can be damaged in one place -----------------------------


def _rels(*targets: tuple[str, str]) -> str:
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONS}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, 1)
    )
    return f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}">{items}</Relationships>'


def workbook(
    sheet_rows: str,
    write_strings: Callable[[io.BufferedIOBase], None] | None = None,
    *,
    sheet_head: str = "",
) -> bytes:
    """A minimal XLSX: one sheet "Data" and, when `write_strings` is given, a shared-strings part
    it streams (so a large one is never held in memory). `sheet_head` goes before the sheet's
    data (e.g. a `<dimension>` element)."""
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    book = (
        f'<?xml version="1.0"?><workbook xmlns="{SPREADSHEET}" xmlns:r="{RELATIONS}"><sheets>'
        '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{SPREADSHEET}">{sheet_head}<sheetData>'
        f"{sheet_rows}</sheetData></worksheet>"
    )
    targets = [("worksheet", "worksheets/sheet1.xml")]
    if write_strings is not None:
        targets.append(("sharedStrings", "sharedStrings.xml"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", _rels(("officeDocument", "xl/workbook.xml")))
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", _rels(*targets))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if write_strings is not None:
            with archive.open("xl/sharedStrings.xml", "w") as part:
                write_strings(part)
    return buffer.getvalue()


def header_row() -> str:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(HEADER)))
    return f'<row r="1">{cells}</row>'


def header_strings(count: str = "6", *, filler: int = 0) -> Callable[[io.BufferedIOBase], None]:
    """The header's shared strings, declared with `count`, followed by `filler` MB of more."""

    def write(part: io.BufferedIOBase) -> None:
        part.write(f'<sst xmlns="{SPREADSHEET}" count="{count}" uniqueCount="{count}">'.encode())
        for title in HEADER:
            part.write(f"<si><t>{title}</t></si>".encode())
        block = b"<si><t>a</t></si>" * (1024 * 1024 // 17)
        for _ in range(filler):
            part.write(block)
        part.write(b"</sst>")

    return write


def pdf_with_content(raw: bytes, repeat: int) -> bytes:
    """A one-page PDF whose content stream inflates to `len(raw) * repeat` bytes."""
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(raw) for _ in range(repeat)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


# Size ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "filename"), [(COMPILED, "svar.txt"), (RESPONSES, "svar.csv")])
def test_over_the_size_limit_gets_the_413_page(
    admin_client: FlaskClient, app: Flask, instance: Path, url: str, filename: str
) -> None:
    too_big = b"a;b;c\n" * (app.config["MAX_CONTENT_LENGTH"] // 6 + 1024)
    response = upload(admin_client, url, too_big, filename, **NEW)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "For mye data" in page and "Kort ned teksten eller filen" in page
    assert_nothing_left(admin_client, instance)


# Types -----------------------------------------------------------------------------------------


NOT_DOCUMENTS = [
    (EXE, "svar.txt", "verken tekst eller PDF"),  # a program renamed
    (PNG, "svar.txt", "verken tekst eller PDF"),  # a picture renamed
    (PNG, "svar.png", "Last opp en .txt- eller .pdf-fil."),
    (EXE, "svar.exe", "Last opp en .txt- eller .pdf-fil."),
    (b"%PDF-1.7\n\x00\x01 this is no PDF", "svar.pdf", "Klarte ikke å lese PDF-filen"),
    (b"%PDF-1.7\n\x00\x01 this is no PDF", "svar.txt", "Klarte ikke å lese PDF-filen"),
    (b"", "svar.txt", ""),
]


def test_compiled_upload_refuses_what_is_not_a_document(
    admin_client: FlaskClient, instance: Path
) -> None:
    for data, filename, expected in NOT_DOCUMENTS:
        response = upload(admin_client, COMPILED, data, filename)
        assert_refused(response, admin_client, instance, expected)


def test_compiled_upload_survives_a_pdf_bomb(admin_client: FlaskClient, instance: Path) -> None:
    """128 MB of page content packed into a few hundred kilobytes: pypdf stops inflating at its
    own limit and the page refuses the file instead of exhausting memory."""
    bomb = pdf_with_content(b" " * (1024 * 1024), 128)
    assert len(bomb) < 2 * 1024 * 1024
    response = upload(admin_client, COMPILED, bomb, "svar.pdf")
    assert_refused(response, admin_client, instance, "")
    assert form_errors(response)


def _zip_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


NOT_TABLES = [
    (EXE, "svar.csv", "verken CSV eller Excel"),  # a program renamed
    (PNG, "svar.csv", "verken CSV eller Excel"),  # a picture renamed
    (PNG, "svar.png", "Last opp en .csv- eller .xlsx-fil."),
    (_zip_of("readme.txt", b"hei"), "svar.xlsx", "Excel-filen kan ikke leses"),  # not a workbook
    (_zip_of("readme.txt", b"hei"), "svar.csv", "Excel-filen kan ikke leses"),
    (b"PK\x03\x04 truncated", "svar.xlsx", "Excel-filen kan ikke leses"),
    # The content decides, not the name: text called .xlsx is read (and checked) as CSV.
    (b"respondent;kategori\nA;B\n", "svar.xlsx", "Filen mangler kolonnene"),
    (b"", "svar.csv", ""),
]


def test_responses_upload_refuses_what_is_not_a_table(
    admin_client: FlaskClient, instance: Path
) -> None:
    for data, filename, expected in NOT_TABLES:
        response = upload(admin_client, RESPONSES, data, filename, **NEW)
        assert_refused(response, admin_client, instance, expected)


def test_a_workbook_naming_a_missing_shared_string_is_refused(
    admin_client: FlaskClient, instance: Path
) -> None:
    """Read-only sheets are parsed lazily, so this damage used to surface as an IndexError while
    reading rows: a 500 instead of a message."""
    rows = header_row() + '<row r="2"><c r="A2" t="s"><v>99999</v></c></row>'
    response = upload(admin_client, RESPONSES, workbook(rows, header_strings()), "svar.xlsx", **NEW)
    assert_refused(response, admin_client, instance, "Excel-filen kan ikke leses")


def test_a_broken_sheet_is_refused(admin_client: FlaskClient, instance: Path) -> None:
    data = workbook(header_row() + "<row r='2'><c r='A2'><v>1</v>", header_strings())
    response = upload(admin_client, RESPONSES, data, "svar.xlsx", **NEW)
    assert_refused(response, admin_client, instance, "Excel-filen kan ikke leses")


def test_a_huge_shared_strings_declaration_is_only_a_number(
    admin_client: FlaskClient, instance: Path
) -> None:
    """count/uniqueCount of two billion: nothing is allocated from the declaration; the file is
    read as what it holds (the header and one row)."""
    cells = zip("ABCDEF", ("Kari", "Annet", "Privat", "1", "Helt enig", "Ja"), strict=True)
    row = "".join(f'<c r="{col}2" t="inlineStr"><is><t>{text}</t></is></c>' for col, text in cells)
    data = workbook(header_row() + f'<row r="2">{row}</row>', header_strings("2147483647"))
    response = upload(admin_client, RESPONSES, data, "svar.xlsx", **NEW)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ingenting er lagret ennå." in html, form_errors(
        response
    )
    assert "<dd>1 (1 gyldige, 0 med feil)</dd>" in html


@pytest.mark.parametrize("megabytes", [4, MAX_XLSX_UNPACKED_BYTES // (1024 * 1024) + 8])
def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(
    admin_client: FlaskClient, instance: Path, megabytes: int
) -> None:
    """One-letter shared strings packed a thousand to one: 4 MB of them kept openpyxl busy for
    about ten seconds (40 MB: a hundred), more than the limit would also take its memory. Both
    are refused from the ZIP directory, before openpyxl parses a byte of them."""
    bomb = workbook(header_row(), header_strings(filler=megabytes))
    assert len(bomb) < 1024 * 1024
    response = upload(admin_client, RESPONSES, bomb, "svar.xlsx", **NEW)
    assert_refused(response, admin_client, instance, "blir for stor når den pakkes ut")


def test_a_real_workbook_is_not_mistaken_for_a_bomb(
    admin_client: FlaskClient, instance: Path
) -> None:
    """Thousands of respondents with ordinary text and repetitive columns unpack well over a
    megabyte at a ratio real files have, and are read."""
    words = ("skolemat", "barn", "unge", "kommune", "helse", "læring", "penger", "kjøkken")
    chooser = random.Random(0)
    rows = [
        [f"Respondent {n}", "Forvaltning", "Offentlig", "2", "Delvis enig", sentence]
        for n in range(3000)
        for sentence in [" ".join(chooser.choice(words) for _ in range(40))]
    ]
    data = xlsx_bytes(rows, sheet="Svar (langt format)")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(info.file_size for info in archive.infolist()) > 1024 * 1024
    response = upload(admin_client, RESPONSES, data, "svar.xlsx", **NEW)
    assert "Ingenting er lagret ennå." in response.get_data(as_text=True), form_errors(response)


# Names -----------------------------------------------------------------------------------------

HOSTILE_NAMES = [
    "../../etc/passwd.csv",
    "/etc/passwd.csv",
    "..\\..\\windows\\win.ini.csv",
    "svar\x00.png.csv",
    "....//....//instance.csv",
]


def test_the_uploaded_name_is_never_a_path(admin_client: FlaskClient, instance: Path) -> None:
    """The file waits under a random name in the instance folder, whatever it was called, and is
    gone once imported."""
    for number, filename in enumerate(HOSTILE_NAMES):
        fields = {"consultation": "__new__", "new_slug": f"ny-{number}"}
        data = csv_bytes(ROWS, header=NB_HEADER)
        response = upload(admin_client, RESPONSES, data, filename, **fields)
        html = response.get_data(as_text=True)
        assert "Ingenting er lagret ennå." in html, (filename, form_errors(response))
        stashed = files_under(instance)
        assert len(stashed) == 1
        assert stashed[0].parent == instance / upload_store.DIRECTORY
        assert re.fullmatch(r"[0-9a-f]{32}\.upload", stashed[0].name)
        target = instance / upload_store.DIRECTORY / filename.replace("\x00", "")
        assert not target.resolve().exists()
        token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', html)[1]
        assert admin_client.post(f"{RESPONSES}/confirm", data={"token": token}).status_code == 302
        assert files_under(instance) == []
        assert db.session.scalar(select(func.count(Consultation.id))) == number + 1


def test_a_forged_confirm_token_reads_no_file(admin_client: FlaskClient, instance: Path) -> None:
    """The confirm step takes only a token this session was given; a path or someone else's
    token imports nothing."""
    (instance / upload_store.DIRECTORY).mkdir()
    planted = instance / upload_store.DIRECTORY / f"{'a' * 32}.upload"
    planted.write_bytes(csv_bytes(ROWS, header=NB_HEADER))
    for token in ("../../etc/passwd", "a" * 32, "A" * 32, ""):
        for url in (f"{RESPONSES}/confirm", f"{COMPILED}/confirm"):
            response = admin_client.post(url, data={"token": token})
            assert response.status_code == 302
    assert planted.exists()  # not ours to import, not ours to delete either
    assert db.session.scalar(select(func.count(Consultation.id))) == 0


def test_an_analyst_cannot_upload(analyst_client: FlaskClient, instance: Path) -> None:
    response = upload(analyst_client, RESPONSES, csv_bytes(ROWS, header=NB_HEADER), "s.csv", **NEW)
    assert response.status_code == 403
    assert_nothing_left(analyst_client, instance)
