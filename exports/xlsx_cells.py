"""Cell styles and helpers shared by the workbook's sheets (write-only mode).

In openpyxl's write-only mode a styled cell is a `WriteOnlyCell` built before the row is
appended, and column widths must be set before the first row; these helpers keep that ritual in
one place. Every text cell they make is typed as a string (see `safe_cell`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.safe_cell import text_cell

TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
GROUP_FILL = PatternFill("solid", fgColor="EEF2F7")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TOP_LEFT = Alignment(horizontal="left", vertical="top")

OSLO = ZoneInfo("Europe/Oslo")
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


LINE_POINTS = 15.0  # one line of the default 11 pt font
CHAR_WIDTH = 0.87  # an average character of the default font (Calibri 11), in column-width units
MAX_ROW_POINTS = 409.0  # Excel's largest row height
MAX_ROW_LINES = 12  # lines per row: a longer comment continues below, so pages fill


def wrapped_lines(text: str, width: float, *, char_width: float = CHAR_WIDTH) -> int:
    """How many lines `text` takes when wrapped between words in a column `width` wide.

    Column widths count the default font's digit "0"; `char_width` is an average letter's
    width in those units (a bold 13 pt title's is larger). An estimate, as glyphs differ, but
    it breaks lines where a spreadsheet does: between words, a too-long word on its own.
    """
    per_line = max(1, int(width / char_width))
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            length = len(word)
            if used and used + 1 + length <= per_line:
                used += 1 + length
                continue
            if used:
                lines += 1
            lines += (length - 1) // per_line
            used = (length - 1) % per_line + 1
    return lines


def split_for_rows(text: str, width: float, max_lines: int = MAX_ROW_LINES) -> list[str]:
    """`text` in pieces of at most `max_lines` wrapped lines, split between paragraphs (or,
    inside a very long paragraph, between words).

    A row is at most 409 points tall, and a row never breaks across printed pages, so one
    very tall row leaves most of a page empty before it; a long comment continues in the rows
    below instead, in pieces of `MAX_ROW_LINES` lines.
    """
    if wrapped_lines(text, width) <= max_lines:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for paragraph in _paragraph_pieces(text, width, max_lines):
        lines = wrapped_lines(paragraph, width)
        if current and used + lines > max_lines:
            pieces.append("\n".join(current).strip("\n"))
            current, used = [], 0
        current.append(paragraph)
        used += lines
    if current:
        pieces.append("\n".join(current).strip("\n"))
    return [piece for piece in pieces if piece]


def _paragraph_pieces(text: str, width: float, max_lines: int) -> list[str]:
    """The lines of `text`, a line longer than `max_lines` wrapped lines cut between words."""
    per_piece = max(1, int(width / CHAR_WIDTH)) * max_lines
    pieces = []
    for paragraph in text.split("\n"):
        if wrapped_lines(paragraph, width) <= max_lines:
            pieces.append(paragraph)
            continue
        words, current = paragraph.split(), ""
        for word in words:
            if current and len(current) + 1 + len(word) > per_piece * 0.9:
                pieces.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        pieces.append(current)
    return pieces


def set_row_height(worksheet: WriteOnlyWorksheet, row: int, lines: int, points: float) -> None:
    """Give the next row (number `row`) room for `lines` lines of wrapped text.

    A row is stored without a height, so neither Excel nor LibreOffice grows it to fit
    wrapped text when it opens a written file (nor ever, in a merged cell), and the lines of
    a long comment print over the next row. Call `forget_row_height` after the row is
    appended, so a streamed sheet of 100,000 rows keeps no dimension objects.
    """
    if lines > 1:
        worksheet.row_dimensions[row].height = min(MAX_ROW_POINTS, lines * points + 3)


def forget_row_height(worksheet: WriteOnlyWorksheet, row: int) -> None:
    worksheet.row_dimensions.pop(row, None)


def append_fitted(
    worksheet: WriteOnlyWorksheet,
    row: int,
    cells: list[object],
    texts: Iterable[tuple[str, float]],
) -> None:
    """Append `cells` as row number `row`, tall enough for each (text, column width)."""
    lines = max((wrapped_lines(text, width) for text, width in texts), default=1)
    set_row_height(worksheet, row, lines, LINE_POINTS)
    worksheet.append(cells)
    forget_row_height(worksheet, row)


def excel_datetime(value: datetime) -> datetime:
    """Excel has no time zones: a time for people to read is shown in Norwegian time.

    The consultation's own clock is Europe/Oslo (a deadline of 23:59 is 23:59 in Norway, not
    22:59 UTC); the labels of such cells say "norsk tid". Naive times are UTC, as stored.
    Seconds and their fractions are dropped: nobody reads an export time to the microsecond.
    """
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(OSLO).replace(tzinfo=None, second=0, microsecond=0)


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
