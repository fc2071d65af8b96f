"""Read a long-format response file (CSV or XLSX) into plain rows, before anything is checked.

The long ("tidy") format of DESIGN.md has one row per respondent × question. Files reach the
secretariat from many hands, so the reader is forgiving about the container and strict about
nothing else: CSV in UTF-8, UTF-16 or Windows-1252 (see `csv_decode`), separated by
commas, semicolons or tabs; XLSX with the rows on the first sheet or on the exporter's flat
sheet ("Svar (langt format)" / "Responses (long format)"); header names in English or Norwegian,
in any case. Whether a row makes sense for a consultation is `long_validate`'s business.

No Flask and no database here: bytes and a filename in, rows out.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from operator import itemgetter
from pathlib import PurePath
from typing import Any, NamedTuple

from exports.long_format import LONG_COLUMNS
from exports.safe_cell import FORMULA_TRIGGERS
from hearing.imports.csv_decode import decode_csv
from hearing.imports.format_error import LongFormatError
from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded
from hearing.imports.xlsx_scan import check_workbook_cells

FIELD_INDEX: dict[str, int] = {name: index for index, name in enumerate(LONG_COLUMNS)}
_SUBMITTED_AT = FIELD_INDEX["submitted_at"]
REQUIRED_FIELDS: tuple[str, ...] = ("respondent", "category", "question")
# Header spellings, after `_header_key` (case folded, spaces and hyphens as underscores).
HEADER_ALIASES: dict[str, str] = {
    "respondent": "respondent",
    "instans": "respondent",
    "category": "category",
    "kategori": "category",
    "sector": "sector",
    "sektor": "sector",
    "question": "question",
    "spørsmål": "question",
    "sporsmal": "question",
    "value": "value",
    "verdi": "value",
    "text": "text",
    "tekst": "text",
    "on_behalf_of": "on_behalf_of",
    "på_vegne_av": "on_behalf_of",
    "pa_vegne_av": "on_behalf_of",
    "email": "email",
    "e_mail": "email",
    "e_post": "email",
    "epost": "email",
    "submitted_at": "submitted_at",
    "innsendt": "submitted_at",
    "consent": "consent",
    "samtykke": "consent",
}
LONG_SHEET_NAMES: tuple[str, ...] = ("Svar (langt format)", "Responses (long format)")
CSV_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm")
_XLSX_MAGIC = b"PK\x03\x04"
_HEADER_SEPARATORS = re.compile(r"[\s\-]+")
# The exporter's CSV-injection guard writes "'=SUM(…)" for "=SUM(…)"; the reader undoes it.
_GUARDED = tuple(f"'{trigger}" for trigger in FORMULA_TRIGGERS)


class RawRow(NamedTuple):
    """One data row: `row` is the number a spreadsheet shows (the header is row 1).

    `values` holds every long-format column in `LONG_COLUMNS` order, stripped (text, or a
    datetime for an XLSX date; "" for a column the file lacks): a tuple, not a dict, because a
    large import builds one per row and the validator unpacks it in one step. `cells` is the row
    as it stood in the file, kept so rejected rows can be written back unchanged.
    """

    row: int
    values: tuple[object, ...]
    cells: Sequence[object]

    def text(self, name: str) -> str:
        value = self.values[FIELD_INDEX[name]]
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class LongTable:
    """The header as written in the file, which field each column holds, and the data rows."""

    header: tuple[str, ...]
    fields: tuple[str | None, ...]
    rows: list[RawRow]
    delimiter: str = ","

    def column_name(self, field_name: str) -> str:
        """The header the user wrote for `field_name`, for error messages."""
        for title, known in zip(self.header, self.fields, strict=True):
            if known == field_name:
                return title
        return field_name


def read_long_file(data: bytes, filename: str, limits: ImportLimits | None = None) -> LongTable:
    """Read CSV or XLSX bytes; the content decides the type, the filename only breaks a tie.

    Raises `LongFormatError` for a file that is not the long format, `LimitExceeded` for one
    that would cost more than `limits` allow."""
    limits = limits or ImportLimits()
    if data.startswith(_XLSX_MAGIC):
        return read_long_xlsx(data, limits)
    suffix = PurePath(filename).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        raise LongFormatError("not_xlsx")
    return read_long_csv(data, limits)


def sniff_delimiter(first_line: str) -> str:
    """The separator the header line uses most: ";" (Norwegian Excel), "," or a tab."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_long_csv(data: bytes, limits: ImportLimits | None = None) -> LongTable:
    text = decode_csv(data)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # A cell can only start with a guard if the file holds one somewhere: looked for once here
    # instead of in every cell.
    guarded = any(prefix in text for prefix in _GUARDED)
    try:
        return _table(
            records,
            delimiter=delimiter,
            from_csv=True,
            guarded=guarded,
            limits=limits or ImportLimits(),
        )
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise LongFormatError(
                "csv_field_too_long", line=records.line_num, limit=csv.field_size_limit()
            ) from error
        raise LongFormatError("bad_csv", detail=str(error)) from error


# Ten times the upload limit: real workbooks compress their XML about 5:1 (text) to 20:1.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_XLSX_PACKING_RATIO = 100


def check_unpacked_size(data: bytes) -> None:
    """Refuse a zip bomb before openpyxl opens it.

    openpyxl parses the shared strings in full even in read-only mode, at some 40 µs a string:
    a 100 KB upload packing 40 MB of one-letter strings kept a request busy for 100 seconds.
    So the archive may neither unpack beyond a size nor pack tighter than real workbooks do.
    Python's zipfile never inflates a member beyond the size its directory declares, so the
    declared sizes bound the work that follows.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise LongFormatError("bad_xlsx", detail=str(error)) from error
    unpacked = sum(info.file_size for info in members)
    packed = max(1, sum(info.compress_size for info in members))
    if unpacked > MAX_XLSX_UNPACKED_BYTES or (
        unpacked > 1024 * 1024 and unpacked / packed > MAX_XLSX_PACKING_RATIO
    ):
        raise LongFormatError(
            "xlsx_too_large",
            limit=MAX_XLSX_UNPACKED_BYTES // (1024 * 1024),
            ratio=MAX_XLSX_PACKING_RATIO,
        )


def read_long_xlsx(data: bytes, limits: ImportLimits | None = None) -> LongTable:
    """The long-format sheet of a workbook, read within `limits`.

    The size a sheet declares (`<dimension ref="A1:XFD1048576"/>`) is ignored: openpyxl would
    pad every row to its width and add empty rows up to its height, 17 billion cells from a
    5 KB file. Rows are read as they are in the file, no wider than the column limit, after
    `xlsx_scan` has counted the rows and cells of every part.
    """
    from openpyxl import load_workbook

    limits = limits or ImportLimits()
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
        wanted = {name.casefold() for name in LONG_SHEET_NAMES}
        sheet = next(
            (ws for ws in workbook.worksheets if ws.title.casefold() in wanted),
            workbook.worksheets[0],
        )
        sheet.reset_dimensions()
        rows = _xlsx_rows(sheet, limits.max_columns, deadline)
        return _table(rows, delimiter=",", from_csv=False, guarded=False, limits=limits)
    finally:
        workbook.close()


def _xlsx_rows(sheet: Any, max_columns: int, deadline: Deadline) -> Iterator[list[object]]:
    """The sheet's rows, no wider than the column limit and the data rows no wider than the
    header (nothing past it is used). The header row alone is read whole, so a sheet whose
    header goes past the limit is refused rather than cut short.

    Read-only sheets are parsed lazily, so damage shows only here (a cell naming a shared
    string that does not exist, broken XML) and must read as a bad file.
    """
    width = max_columns  # until the header is found
    header_found = False
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=width), 1):
            if not number % 1024:
                deadline.check()
            if row.count(None) == len(row):  # also the rows the sheet skips, one per number
                yield []
                continue
            cells = [_xlsx_cell(value) for value in row[:width]]
            if not header_found and any(cells):
                header_found = True
                _check_header_width(sheet, number, max_columns)
                width = _filled_width(cells)
            yield cells
    except LimitExceeded:
        raise
    except Exception as error:  # openpyxl and the XML parser raise many types
        raise LongFormatError("bad_xlsx", detail=str(error)) from error


def _check_header_width(sheet: Any, number: int, max_columns: int) -> None:
    """Refuse a header with a title past the column limit. One row, read to its last cell: at
    most 16,384 cells, once."""
    whole = next(sheet.iter_rows(min_row=number, max_row=number, values_only=True), ())
    if any(value is not None and str(value).strip() for value in whole[max_columns:]):
        raise LimitExceeded("too_many_columns", limit=max_columns)


def _filled_width(cells: Sequence[object]) -> int:
    """The number of cells up to the last one that is not blank."""
    for index in range(len(cells) - 1, -1, -1):
        if cells[index] != "":
            return index + 1
    return 0


def _xlsx_cell(value: object) -> object:
    """Cells as the long format means them: text, or a datetime for `submitted_at`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_key(title: str) -> str:
    return _HEADER_SEPARATORS.sub("_", title.strip().lstrip("\ufeff").casefold())


def header_fields(header: Iterable[str]) -> tuple[str | None, ...]:
    """Which long-format field each header cell names (None for columns we do not use)."""
    fields: list[str | None] = []
    for title in header:
        known = HEADER_ALIASES.get(_header_key(title))
        fields.append(known if known not in fields else None)
    return tuple(fields)


def _table(
    records: Iterator[list[Any]],
    *,
    delimiter: str,
    from_csv: bool,
    guarded: bool,
    limits: ImportLimits,
) -> LongTable:
    """The header and the data rows; `from_csv` strips cells (XLSX cells come stripped) and
    `guarded` undoes the exporter's formula guard. A header without rows is refused here, so
    neither the CLI nor the upload page ever offers to import nothing; so are a header wider
    than the column limit and more rows than the row limit."""
    header: tuple[str, ...] | None = None
    header_row = 0
    for header_row, cells in enumerate(records, start=1):  # noqa: B007 (numbering goes on below)
        header = tuple(str(cell).strip() for cell in cells)
        if any(header):
            break
    if not header or not any(header):
        raise LongFormatError("empty_file")
    header = header[: _filled_width(header)]
    if len(header) > limits.max_columns:
        raise LimitExceeded("too_many_columns", limit=limits.max_columns)
    max_rows = limits.max_rows
    fields = header_fields(header)
    missing = [name for name in REQUIRED_FIELDS if name not in fields]
    if "value" not in fields and "text" not in fields:
        missing.append("value/text")
    if missing:
        raise LongFormatError("missing_columns", columns=", ".join(missing))
    width = len(header)
    # Each field's column; a field the file lacks reads the blank cell appended after the last.
    pick = itemgetter(*(fields.index(name) if name in fields else width for name in LONG_COLUMNS))
    blank = [""]
    strip = str.strip
    rows: list[RawRow] = []
    append = rows.append
    # The hot loop of a 100,000-row import: C-level calls only, each cell stripped once here.
    for number, cells in enumerate(records, start=header_row + 1):
        if not any(cells):
            continue
        if len(cells) == width:
            values = pick(cells + blank)
        else:
            values = pick([*cells[:width], *[""] * (width - len(cells)), ""])
        values = tuple(map(strip, values)) if from_csv else _dates_only_when_due(values)
        if guarded:
            values = tuple(_unguard(value) for value in values)
        append(RawRow(number, values, cells))
        if len(rows) > max_rows:
            raise LimitExceeded("too_many_rows", limit=max_rows)
    if not rows:
        raise LongFormatError("no_rows")
    return LongTable(header=header, fields=fields, rows=rows, delimiter=delimiter)


def _dates_only_when_due(values: tuple[object, ...]) -> tuple[object, ...]:
    """XLSX date cells stay datetimes in `submitted_at` only; elsewhere they are text, as the
    validator expects (a date typed as a respondent's name is a name, if an odd one)."""
    return tuple(
        value if isinstance(value, str) or index == _SUBMITTED_AT else str(value)
        for index, value in enumerate(values)
    )


def _unguard(value: object) -> object:
    """ "'=SUM(…)" back to "=SUM(…)"; the quote was the exporter's, not the respondent's."""
    return value[1:] if isinstance(value, str) and value.startswith(_GUARDED) else value
