"""What one uploaded file may cost: rows, columns, cells, pages, content, text and seconds.

Small files that cause huge work: a 5 KB workbook declaring the sheet `A1:XFD1048576`, which
openpyxl padded cell by cell (some twenty minutes of a worker), and a 5 KB PDF whose ten pages
share one 1.2 MB content stream, parsed once per page (half a minute; hours for thousands of
pages). Each is refused or read as what it holds, with a message naming the limit, on the
upload pages and the command line alike. No test here measures time: they assert what was read
and what was said, with limits made small where a real file would be large.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from hearing.imports.compiled import parse_compiled, read_compiled_file
from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded
from hearing.imports.long_format import read_long_file
from hearing.imports.messages import message
from hearing.imports.pdf_text import extract_text
from tests.test_compiled_import import PDF_LINES, minimal_pdf
from tests.test_import_consent import SEED
from tests.test_import_long_format import EN_HEADER, ROWS, csv_bytes
from tests.test_upload_limits import (
    COMPILED,
    NEW,
    RESPONSES,
    assert_refused,
    form_errors,
    header_strings,
    upload,
    workbook,
)

FULL_SHEET = '<dimension ref="A1:XFD1048576"/>'
# The last cell such a sheet may have: openpyxl filled every row up to it with 16,384 cells.
LAST_CELL = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


@pytest.fixture()
def instance(app: Flask, tmp_path: Path) -> Path:
    app.instance_path = str(tmp_path)
    return tmp_path


def inline_row(number: int, cells: list[str], first_column: int = 0) -> str:
    """A worksheet row of inline strings, starting at column `first_column` (0 = A)."""
    return (
        f'<row r="{number}">'
        + "".join(
            f'<c r="{column_letters(first_column + index)}{number}" t="inlineStr"><is><t>{text}'
            "</t></is></c>"
            for index, text in enumerate(cells)
        )
        + "</row>"
    )


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def sheet_of(rows: list[list[str]], *, header: list[str] = EN_HEADER) -> str:
    return "".join(inline_row(n, cells) for n, cells in enumerate([header, *rows], 1))


def book(sheet_rows: str, sheet_head: str = "") -> bytes:
    return workbook(sheet_rows, header_strings(), sheet_head=sheet_head)


# Workbooks -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dimension", "last"), [('<dimension ref="A1:XFD10"/>', ""), (FULL_SHEET, LAST_CELL)]
)
def test_a_declared_sheet_size_is_ignored(dimension: str, last: str) -> None:
    """The sheet says 16,384 columns (and up to a million rows); it holds a header and six
    rows, and that is what is read: no row padded to the declared width, and the far corner
    cell, past the columns used, is not read either."""
    data = book(sheet_of(ROWS) + last, dimension)
    assert len(data) < 5_000
    table = read_long_file(data, "svar.xlsx")
    assert len(table.header) == len(EN_HEADER)
    assert [raw.row for raw in table.rows] == [2, 3, 4, 5, 6, 7]
    assert {len(raw.cells) for raw in table.rows} == {len(EN_HEADER)}


def test_a_declared_sheet_size_on_the_upload_page(admin_client: FlaskClient, instance) -> None:
    data = book(sheet_of(ROWS) + LAST_CELL, FULL_SHEET)
    response = upload(admin_client, RESPONSES, data, "svar.xlsx", **NEW)
    html = response.get_data(as_text=True)
    assert "Ingenting er lagret ennå." in html, form_errors(response)
    assert "<dd>6 (6 gyldige, 0 med feil)</dd>" in html


def _refused(data: bytes, filename: str, limits: ImportLimits) -> LimitExceeded:
    with pytest.raises(LimitExceeded) as caught:
        read_long_file(data, filename, limits)
    return caught.value


def test_too_many_rows_are_refused_in_csv_and_xlsx() -> None:
    limits = ImportLimits(max_rows=5)
    assert read_long_file(csv_bytes(ROWS[:5]), "svar.csv", limits).rows
    for data, filename in ((csv_bytes(ROWS), "svar.csv"), (book(sheet_of(ROWS)), "s.xlsx")):
        refused = _refused(data, filename, limits)
        assert (refused.code, refused.params) == ("too_many_rows", {"limit": 5})
    assert message("too_many_rows", "nb", {"limit": 5}).startswith(
        "Filen har mer enn 5 rader med svar, som er grensen for én import."
    )


def test_too_many_columns_are_refused() -> None:
    wide_header = [*EN_HEADER, *(f"x{n}" for n in range(45))]  # 51 columns
    refused = _refused(csv_bytes(ROWS, header=wide_header), "svar.csv", ImportLimits())
    assert (refused.code, refused.params) == ("too_many_columns", {"limit": 50})
    # A row of sixty cells is refused before openpyxl builds it.
    wide_row = inline_row(2, ["x"] * 60)
    refused = _refused(book(inline_row(1, EN_HEADER) + wide_row), "s.xlsx", ImportLimits())
    assert refused.code == "too_many_columns"
    # So is a header whose last title stands past the limit, in a sheet of few cells.
    far_title = inline_row(1, EN_HEADER)[: -len("</row>")] + (
        '<c r="BA1" t="inlineStr"><is><t>consent</t></is></c></row>'
    )
    refused = _refused(book(far_title + inline_row(2, ROWS[0])), "s.xlsx", ImportLimits())
    assert refused.code == "too_many_columns"


def test_trailing_empty_header_cells_cost_nothing() -> None:
    """Excel's CSV pads the header with separators; a hundred thousand of them used to cost
    a quadratic trim (the header shortened one cell at a time)."""
    header = ";".join(EN_HEADER) + ";" * 100_000
    data = (header + "\r\n" + ";".join(ROWS[0])).encode()
    assert read_long_file(data, "svar.csv").header == tuple(EN_HEADER)


def test_too_many_cells_are_refused_before_reading() -> None:
    refused = _refused(book(sheet_of(ROWS)), "s.xlsx", ImportLimits(max_cells=20))
    assert (refused.code, refused.params) == ("too_many_cells", {"limit": 20})
    assert "mer enn 20 celler i ett ark" in message(refused.code, "nb", refused.params)


def test_reading_stops_at_the_time_limit() -> None:
    refused = _refused(book(sheet_of(ROWS)), "s.xlsx", ImportLimits(max_seconds=-1))
    assert refused.code == "too_slow"
    assert message(refused.code, "en", refused.params).startswith(
        "Reading the file took more than -1 seconds"
    )


def test_the_upload_page_names_the_limit(app: Flask, admin_client: FlaskClient, instance) -> None:
    app.config["IMPORT_MAX_ROWS"] = 3
    for data, filename in ((csv_bytes(ROWS), "svar.csv"), (book(sheet_of(ROWS)), "s.xlsx")):
        response = upload(admin_client, RESPONSES, data, filename, **NEW)
        assert_refused(response, admin_client, instance, "Filen har mer enn 3 rader med svar")


def test_the_command_line_names_the_limit(app: Flask, runner: FlaskCliRunner, tmp_path) -> None:
    app.config["IMPORT_MAX_ROWS"] = 3
    path = tmp_path / "svar.csv"
    path.write_bytes(csv_bytes(ROWS))
    result = runner.invoke(args=["import-responses", str(path), "--slug", "ny", "--create"])
    assert result.exit_code == 1
    assert "Filen har mer enn 3 rader med svar" in result.output


def test_limits_come_from_the_settings() -> None:
    limits = ImportLimits.from_config({"IMPORT_MAX_ROWS": "10", "IMPORT_MAX_SECONDS": "2.5"})
    assert (limits.max_rows, limits.max_seconds, limits.max_columns) == (10, 2.5, 50)


# PDF -------------------------------------------------------------------------------------------


def pdf_of(pages: int, body: bytes, *, shared: bool = True, forms: int = 0) -> bytes:
    """`pages` pages showing `body` (Helvetica text operators), all through one shared content
    stream when `shared`; with `forms`, each page's content instead draws a form holding
    `body` that many times."""
    font_number = 3 + pages + (0 if shared else pages) + 1
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (3 + n) for n in range(pages)), pages),
    ]
    content_numbers = [font_number + 1 + (0 if shared else n) for n in range(pages)]
    resources = b"/Font << /F1 %d 0 R >>" % font_number
    if forms:
        resources += b" /XObject << /Fm1 %d 0 R >>" % (content_numbers[-1] + 1)
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> "
        b"/Contents %d 0 R >>" % (resources, number)
        for number in content_numbers
    ]
    objects += [b"null"] * (font_number - 1 - len(objects))
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    page_body = b"/Fm1 Do\n" * forms if forms else body
    for _ in range(1 if shared else pages):
        objects.append(_stream(b"", page_body))
    if forms:
        extra = b"/Subtype /Form /BBox [0 0 595 842] /Resources << %s >>" % resources[:26]
        objects.append(_stream(extra, body))
    return _pdf(objects)


def _stream(extra: bytes, body: bytes) -> bytes:
    packed = zlib.compress(body, 9)
    head = b"<< %s /Length %d /Filter /FlateDecode >>\nstream\n" % (extra, len(packed))
    return head + packed + b"\nendstream"


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


TEXT_OPERATORS = b"BT /F1 12 Tf 10 10 Td (x) Tj ET\n"
SHARED_MEGABYTE = TEXT_OPERATORS * (1_200_000 // len(TEXT_OPERATORS))


def _pdf_refused(data: bytes, limits: ImportLimits | None = None) -> LimitExceeded:
    with pytest.raises(LimitExceeded) as caught:
        extract_text(data, limits)
    return caught.value


def test_a_shared_content_stream_counts_once_per_page() -> None:
    """5 KB, ten pages, one 1.2 MB stream: 11.4 MB of parsing, over two thousand times the
    file's size, refused before any page is parsed."""
    data = pdf_of(10, SHARED_MEGABYTE)
    assert len(data) < 6_000
    refused = _pdf_refused(data)
    assert (refused.code, refused.params) == ("pdf_content_reused", {"size": "11.4", "ratio": 50})
    assert "bruker det samme sideinnholdet om igjen" in message(refused.code, "nb", refused.params)


def test_a_form_drawn_again_and_again_counts_each_time() -> None:
    data = pdf_of(1, TEXT_OPERATORS * 1_000, forms=200)
    refused = _pdf_refused(data, ImportLimits(max_pdf_content_bytes=4_000_000))
    assert refused.code == "pdf_too_much_content"
    assert refused.params["limit"] == "3.8"
    # Drawn a few times, the same form is read.
    assert "x" in extract_text(pdf_of(1, TEXT_OPERATORS * 10, forms=3))


def test_pages_content_and_text_have_limits() -> None:
    many = pdf_of(5, TEXT_OPERATORS, shared=False)
    refused = _pdf_refused(many, ImportLimits(max_pdf_pages=4))
    assert (refused.code, refused.params) == ("pdf_too_many_pages", {"pages": 5, "limit": 4})
    refused = _pdf_refused(many, ImportLimits(max_pdf_content_bytes=100))
    assert refused.code == "pdf_too_much_content"
    document = minimal_pdf(PDF_LINES)
    refused = _pdf_refused(document, ImportLimits(max_text_chars=50))
    assert (refused.code, refused.params) == ("too_much_text", {"limit": 50})
    assert "Høring om tidlig innsats" in extract_text(document, ImportLimits())


def test_a_compiled_text_file_has_a_character_limit() -> None:
    with pytest.raises(LimitExceeded) as caught:
        read_compiled_file(SEED.read_bytes(), "svar.txt", ImportLimits(max_text_chars=1_000))
    assert caught.value.code == "too_much_text"


def test_parsing_a_compiled_document_stops_at_the_time_limit() -> None:
    with pytest.raises(LimitExceeded) as caught:
        parse_compiled(SEED.read_text(encoding="utf-8"), Deadline(-1))
    assert caught.value.code == "too_slow"


def test_the_compiled_upload_page_says_why(admin_client: FlaskClient, instance: Path) -> None:
    response = upload(admin_client, COMPILED, pdf_of(10, SHARED_MEGABYTE), "svar.pdf")
    assert_refused(response, admin_client, instance, "bruker det samme sideinnholdet om igjen")
    admin_client.get("/language/en")
    response = upload(admin_client, COMPILED, pdf_of(10, SHARED_MEGABYTE), "svar.pdf")
    assert any("reuses the same page content" in error for error in form_errors(response))


def test_import_compiled_says_why(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "svar.pdf"
    path.write_bytes(pdf_of(10, SHARED_MEGABYTE))
    result = runner.invoke(args=["import-compiled", str(path), "--slug", "x"])
    assert result.exit_code == 1
    assert "bruker det samme sideinnholdet om igjen så mange ganger at det blir 11.4 MB" in (
        result.output
    )
