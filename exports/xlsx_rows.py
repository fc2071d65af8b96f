"""Rows as tall as their wrapped text, in a sheet that streams (write-only mode).

A row stored without a height is drawn one line tall: neither Excel nor LibreOffice grows it to
fit wrapped text when it opens a written file (and never in a merged cell), so the lines of a
long comment print over the rows below. Each row's height is therefore estimated from its text
and written with it. And since a row never breaks across printed pages, one very tall row
leaves most of a page empty before it: a long comment continues in the rows below instead, in
pieces of at most `MAX_ROW_LINES` lines.

Speed: a question sheet can hold 100,000 rows. openpyxl's write-only writer adds to each row
element the attribute pairs it finds under the row's number in `row_dimensions`, so a row's
height is given as one of a few shared attribute mappings (one per line count) and removed
once the row is written, instead of an openpyxl `RowDimension` per row, which cost a fifth of
the whole export.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

LINE_POINTS = 15.0  # one line of the default 11 pt font
CHAR_WIDTH = 0.85  # an average character of Calibri 11 (and Carlito), in column-width units
MAX_ROW_POINTS = 409.0  # Excel's largest row height
MAX_ROW_LINES = 8  # lines per row: a longer comment continues below, so pages fill


def wrapped_lines(text: str, width: float, *, char_width: float = CHAR_WIDTH) -> int:
    """How many lines `text` takes when wrapped between words in a column `width` wide.

    Column widths count the default font's digit "0"; `char_width` is an average letter's
    width in those units (a bold 13 pt title's is larger). An estimate, as glyphs differ, but
    it breaks lines where a spreadsheet does: between words, a too-long word on its own.
    """
    per_line = max(1, int(width / char_width))
    if len(text) <= per_line and "\n" not in text:
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        if len(paragraph) <= per_line:
            continue
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


def split_for_rows(
    text: str, width: float, max_lines: int = MAX_ROW_LINES
) -> list[tuple[str, int]]:
    """`text` in pieces of at most `max_lines` wrapped lines, each with its line count; split
    between paragraphs or, inside a very long paragraph, between words."""
    lines = wrapped_lines(text, width)
    if lines <= max_lines:
        return [(text, lines)]
    pieces: list[tuple[str, int]] = []
    current: list[str] = []
    used = 0
    for paragraph in _paragraph_pieces(text, width, max_lines):
        lines = wrapped_lines(paragraph, width)
        if current and used + lines > max_lines:
            pieces.append(("\n".join(current).strip("\n"), used))
            current, used = [], 0
        current.append(paragraph)
        used += lines
    if current:
        pieces.append(("\n".join(current).strip("\n"), used))
    return [(piece, count) for piece, count in pieces if piece]


def _paragraph_pieces(text: str, width: float, max_lines: int) -> list[str]:
    """The lines of `text`, a line longer than `max_lines` wrapped lines cut between words."""
    per_piece = max(1, int(width / CHAR_WIDTH)) * max_lines * 0.9
    pieces = []
    for paragraph in text.split("\n"):
        if wrapped_lines(paragraph, width) <= max_lines:
            pieces.append(paragraph)
            continue
        current = ""
        for word in paragraph.split():
            if current and len(current) + 1 + len(word) > per_piece:
                pieces.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        pieces.append(current)
    return pieces


def set_row_height(worksheet: WriteOnlyWorksheet, row: int, lines: int, points: float) -> None:
    """Give row number `row`, the next to be appended, room for `lines` lines of text.

    Call `forget_row_height` once the row is appended, so a streamed sheet keeps nothing.
    """
    if lines > 1:
        worksheet.row_dimensions[row] = _height_attributes(min(MAX_ROW_POINTS, lines * points + 3))


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


@cache
def _height_attributes(points: float) -> dict[str, str]:
    """The `<row>` attributes of a row `points` tall, as a `RowDimension` would give them."""
    return {"ht": f"{points:g}", "customHeight": "1"}
