"""Read a høringsliste (the bodies invited to answer) from CSV or XLSX, and check each row.

The file has a header row naming its columns, in Norwegian or English, in any case: the name
of the body (required), its organisation number, e-mail address and category. The container is
read as forgivingly as a response file, with the same helpers and budgets: CSV in any of the
encodings spreadsheets write (`csv_decode`), separated by commas, semicolons or tabs; XLSX from
the first sheet, its rows and cells counted before openpyxl parses it (`xlsx_scan`, the
unpacked-size check). Each row is then checked: a name, an organisation number with the right
mod-11 check digit, an e-mail address that is one, no organisation number twice.

No Flask and no database here: bytes in, rows and problems (codes with parameters) out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email

from hearing.imports.csv_decode import decode_csv
from hearing.imports.format_error import LongFormatError
from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded
from hearing.imports.long_format import check_unpacked_size, sniff_delimiter
from hearing.imports.xlsx_scan import check_workbook_cells
from synthesis import org_number

FIELDS = ("name", "org_number", "email", "category")
HEADER_ALIASES: dict[str, str] = {
    "name": "name",
    "navn": "name",
    "instans": "name",
    "organisasjon": "name",
    "organisation": "name",
    "organization": "name",
    "virksomhet": "name",
    "mottaker": "name",
    "org_number": "org_number",
    "organisation_number": "org_number",
    "organization_number": "org_number",
    "organisasjonsnummer": "org_number",
    "orgnr": "org_number",
    "org_nr": "org_number",
    "orgnummer": "org_number",
    "email": "email",
    "e_mail": "email",
    "e_post": "email",
    "epost": "email",
    "category": "category",
    "kategori": "category",
    "gruppe": "category",
}
_HEADER_SEPARATORS = re.compile(r"[\s\-.]+")
_XLSX_MAGIC = b"PK\x03\x04"
MAX_NAME = 300
MAX_CATEGORY = 200


@dataclass(frozen=True)
class InviteeRow:
    row: int  # as a spreadsheet numbers it (the header is row 1)
    name: str
    org_number: str | None
    email: str
    category: str


@dataclass(frozen=True)
class RowProblem:
    row: int
    code: str  # missing_name, bad_org_number, duplicate_org_number, bad_email, too_long
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InviteeFile:
    rows: list[InviteeRow]
    problems: list[RowProblem]


def _header_key(title: object) -> str:
    return _HEADER_SEPARATORS.sub("_", str(title).strip().lstrip("\ufeff").casefold()).strip("_")


def read_invitee_file(data: bytes, limits: ImportLimits | None = None) -> InviteeFile:
    """Rows and problems of a høringsliste. Raises `LongFormatError` for a file that cannot be
    read as a table with a name column, `LimitExceeded` beyond the budget."""
    limits = limits or ImportLimits()
    records = _xlsx_records(data, limits) if data.startswith(_XLSX_MAGIC) else _csv_records(data)
    try:
        return _check(records, limits)
    except csv.Error as error:
        raise LongFormatError("bad_csv", detail=str(error)) from error


def _csv_records(data: bytes) -> Iterator[list[str]]:
    text = decode_csv(data)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_records(data: bytes, limits: ImportLimits) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    deadline = limits.deadline()
    check_unpacked_size(data)
    try:
        check_workbook_cells(data, limits, deadline)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except LimitExceeded:
        raise
    except Exception as error:  # zipfile, zlib and openpyxl raise many types for damage
        raise LongFormatError("bad_xlsx", detail=str(error)) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared size is not believed (see long_format)
        yield from _sheet_rows(sheet, limits.max_columns, deadline)
    finally:
        workbook.close()


def _sheet_rows(sheet: Any, max_columns: int, deadline: Deadline) -> Iterator[list[str]]:
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=max_columns), 1):
            if not number % 1024:
                deadline.check()
            yield [_cell(value) for value in row]
    except LimitExceeded:
        raise
    except Exception as error:  # lazily parsed: damage shows only here
        raise LongFormatError("bad_xlsx", detail=str(error)) from error


def _cell(value: object) -> str:
    """Cell text; a number stored as a number (an organisation number often is) without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check(records: Iterator[list[str]], limits: ImportLimits) -> InviteeFile:
    header: list[str] = []
    header_row = 0
    for header_row, cells in enumerate(records, start=1):  # noqa: B007 (numbering goes on)
        header = [str(cell).strip() for cell in cells]
        if any(header):
            break
    if not any(header):
        raise LongFormatError("empty_file")
    if len(header) > limits.max_columns:
        raise LimitExceeded("too_many_columns", limit=limits.max_columns)
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        known = HEADER_ALIASES.get(_header_key(title))
        if known and known not in columns:
            columns[known] = index
    if "name" not in columns:
        raise LongFormatError("missing_columns", columns="navn / name")
    rows: list[InviteeRow] = []
    problems: list[RowProblem] = []
    seen_numbers: dict[str, int] = {}
    for number, cells in enumerate(records, start=header_row + 1):
        values = {
            name: (cells[index].strip() if index < len(cells) else "")
            for name, index in columns.items()
        }
        if not any(values.values()):
            continue
        if len(rows) + len(problems) >= limits.max_rows:
            raise LimitExceeded("too_many_rows", limit=limits.max_rows)
        problem = _row_problem(number, values, seen_numbers)
        if problem is not None:
            problems.append(problem)
            continue
        organisation = org_number.normalise(values.get("org_number", "")) or None
        if organisation:
            seen_numbers[organisation] = number
        rows.append(
            InviteeRow(
                number,
                values["name"],
                organisation,
                values.get("email", "").lower(),
                values.get("category", ""),
            )
        )
    if not rows and not problems:
        raise LongFormatError("no_rows")
    return InviteeFile(rows, problems)


def _row_problem(number: int, values: dict[str, str], seen: dict[str, int]) -> RowProblem | None:
    name = values.get("name", "")
    if not name:
        return RowProblem(number, "missing_name")
    if len(name) > MAX_NAME or len(values.get("category", "")) > MAX_CATEGORY:
        return RowProblem(number, "too_long")
    written = values.get("org_number", "")
    organisation = org_number.normalise(written)
    if organisation and not org_number.is_valid(organisation):
        return RowProblem(number, "bad_org_number", {"value": written})
    if organisation in seen:
        return RowProblem(
            number, "duplicate_org_number", {"value": written, "first": seen[organisation]}
        )
    email = values.get("email", "")
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            return RowProblem(number, "bad_email", {"value": email})
    return None
