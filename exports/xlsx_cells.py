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

from exports.safe_cell import text_cell

TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

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
    """Excel has no time zones: an aware time is shown in UTC, a naive one as stored."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


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
