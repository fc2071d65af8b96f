"""Cell styles and helpers shared by the workbook's sheets (write-only mode).

In openpyxl's write-only mode a styled cell is a `WriteOnlyCell` built before the row is
appended, and column widths must be set before the first row; these helpers keep that ritual in
one place. Every text cell they make is typed as a string (see `safe_cell`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.local_time import in_oslo
from exports.safe_cell import text_cell

# The workbook's default font, named: a font without a name is drawn in the reader's fallback
# (a serif in LibreOffice), so bold headers looked unlike the rest of the sheet.
FONT_NAME = "Calibri"
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=13)
BOLD = Font(name=FONT_NAME, bold=True, size=11)
ITALIC = Font(name=FONT_NAME, italic=True, size=11)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
GROUP_FILL = PatternFill("solid", fgColor="EEF2F7")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TOP_LEFT = Alignment(horizontal="left", vertical="top")

A4_PAPER = 9  # the paperSize code of ISO A4 in SpreadsheetML
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


def set_widths(worksheet: WriteOnlyWorksheet, widths: Iterable[float]) -> None:
    """Column widths in characters; must run before the sheet's first row."""
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width


def styled(
    worksheet: WriteOnlyWorksheet,
    value: object,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    alignment: Alignment | None = WRAP,
    number_format: str | None = None,
) -> WriteOnlyCell:
    """A styled cell; text is always a string cell, never a formula."""
    cell = (
        text_cell(worksheet, value) if isinstance(value, str) else WriteOnlyCell(worksheet, value)
    )
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    return cell


def excel_datetime(value: datetime) -> datetime:
    """Excel has no time zones: a time for people to read is shown in Norwegian time.

    The consultation's own clock is Europe/Oslo (a deadline of 23:59 is 23:59 in Norway, not
    22:59 UTC); the labels of such cells say "norsk tid". Naive times are UTC, as stored.
    Seconds and their fractions are dropped: nobody reads an export time to the microsecond.
    """
    return in_oslo(value).replace(tzinfo=None, second=0, microsecond=0)


def excel_utc(value: datetime) -> datetime:
    """A machine-readable time (the long format): UTC, as importers read it back."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def print_setup(
    worksheet: WriteOnlyWorksheet, *, title_rows: str | None, footer: str, landscape: bool = True
) -> None:
    """Print as a reader expects: A4, fitted to the page width, `title_rows` (e.g. "1:2")
    repeated on every page, a footer with the sheet name and "page N of M".

    Without this a sheet prints at 100 % and a wide column (the comments) spills onto pages
    of its own. Set before the first row (the page setup is written after the rows, but the
    habit keeps every sheet's setup in one visible place).
    """
    setup = worksheet.page_setup
    setup.orientation = "landscape" if landscape else "portrait"
    setup.paperSize = A4_PAPER
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages tall as the rows need
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_options.gridLines = False
    worksheet.page_margins.left = worksheet.page_margins.right = 0.5
    worksheet.page_margins.top = worksheet.page_margins.bottom = 0.6
    if title_rows:
        worksheet.print_title_rows = title_rows
    worksheet.oddFooter.left.text = "&A"
    worksheet.oddFooter.right.text = footer
    worksheet.oddFooter.left.size = worksheet.oddFooter.right.size = 9


def header_row(worksheet: WriteOnlyWorksheet, values: Iterable[object]) -> list[WriteOnlyCell]:
    """A bold, shaded header row."""
    return [styled(worksheet, value, font=BOLD, fill=HEADER_FILL) for value in values]


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\), recorded in `taken`."""
    base = _SHEET_TITLE_FORBIDDEN.sub(" ", text).strip()[:SHEET_TITLE_MAX] or "Ark"
    title, suffix = base, 2
    while title.casefold() in {t.casefold() for t in taken}:
        ending = f" ({suffix})"
        title = base[: SHEET_TITLE_MAX - len(ending)] + ending
        suffix += 1
    taken.add(title)
    return title
