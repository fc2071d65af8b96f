"""The Word report's tables: tallies by category, and the listing of answers by category.

Every table has a shaded header row that Word repeats on each page the table runs onto, so a
reader who turns the page still sees which category, or which scale point, a column holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docx.document import Document as DocumentType
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from exports.chart_layout import ChartRow, format_percent
from exports.docx_fields import add_bookmark, repeat_as_header
from exports.report_notes import Note
from exports.safe_cell import strip_control_characters as clean

TEXT_WIDTH = Cm(16)  # A4 with 2.5 cm margins
HEADER_SHADE = "DCE6F1"
SMALL = Pt(9)


def tally_table(
    document: DocumentType,
    rows: Sequence[ChartRow],
    scale_labels: Sequence[str],
    *,
    category_word: str,
    dont_know_label: str | None,
    positioned_word: str,
    locale: str,
) -> Table:
    """Positions by category: "8 (30 %)" per scale point, "Vet ikke", and who took a position.

    The rows are the chart's own (`chart_layout.category_rows`), everyone first.
    """
    headers = [category_word, *scale_labels]
    if dont_know_label is not None:
        headers.append(dont_know_label)
    headers.append(positioned_word)
    table = _table(document, headers, small=True)
    for index, row in enumerate(rows):
        counts = row.counts
        values = [
            f"{count} ({format_percent(share, locale)})" if count else "0"
            for count, share in zip(counts.counts, counts.percentages, strict=True)
        ]
        if dont_know_label is not None:
            values.append(str(counts.dont_know))
        values.append(str(counts.positioned))
        cells = table.add_row().cells
        _set(cells[0], row.label, bold=index == 0, small=True)
        for cell, value in zip(cells[1:], values, strict=True):
            _set(cell, value, bold=index == 0, small=True, right=True)
    label_width = Cm(3.8)
    other = (TEXT_WIDTH - label_width) // (len(headers) - 1)
    _widths(table, [label_width, *([other] * (len(headers) - 1))])
    return table


def count_table(
    document: DocumentType, rows: Sequence[tuple[str, int]], headers: tuple[str, str]
) -> Table:
    """Two columns: a name and a count, the last row (the total) in bold."""
    table = _table(document, list(headers))
    for index, (name, count) in enumerate(rows):
        cells = table.add_row().cells
        total = index == len(rows) - 1
        _set(cells[0], name, bold=total)
        _set(cells[1], str(count), bold=total, right=True)
    _widths(table, [Cm(11), TEXT_WIDTH - Cm(11)])
    return table


def listing_table(
    document: DocumentType,
    category: str,
    answer_word: str,
    rows: Sequence[tuple[str, str, str, Sequence[Note], str | None]],
    link: Callable[[_Cell, Note], None],
    next_bookmark_id: Callable[[], int],
) -> Table:
    """Seed 004's table for one category: respondent | answer (scale point, then the comment).

    Each row is (respondent, scale label, comment, notes, bookmark or None); notes go in
    italics under the answer, a note with an anchor as a link (`link` writes it).
    """
    table = _table(document, [category, answer_word])
    for respondent, scale_label, comment, notes, bookmark in rows:
        cells = table.add_row().cells
        _set(cells[0], respondent)
        paragraphs = [scale_label] if scale_label else []
        paragraphs += [line for line in comment.splitlines() if line.strip()]
        answer = cells[1]
        answer.text = clean(paragraphs[0]) if paragraphs else ""
        if bookmark is not None:
            add_bookmark(answer.paragraphs[0], bookmark, next_bookmark_id())
        for text in paragraphs[1:]:
            answer.add_paragraph(clean(text))
        for note in notes:
            if note.anchor is not None:
                link(answer, note)
            else:
                answer.add_paragraph().add_run(clean(note.text)).italic = True
    _widths(table, [Cm(5), TEXT_WIDTH - Cm(5)])
    return table


def _table(document: DocumentType, headers: Sequence[str], *, small: bool = False) -> Table:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _set(cell, text, bold=True, small=small)
        _shade(cell, HEADER_SHADE)
    repeat_as_header(table.rows[0])
    return table


def _set(
    cell: _Cell, text: str, *, bold: bool = False, small: bool = False, right: bool = False
) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(clean(text))
    run.bold = bold or None
    if small:
        run.font.size = SMALL
    if right:
        paragraph.alignment = 2  # right


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _widths(table: Table, widths: Sequence[int]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
