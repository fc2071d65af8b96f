"""The compiled summary as a Word document, the form in which seed 004 was published.

Layout mirrors seed 004: the consultation title, then per question a heading
"N. Spørsmål: …", per category a two-column table (respondent | answer, the category label in
the header row, the scale answer above the comment), and the closing line
"N andre instanser … har ikke svart på dette spørsmålet.". A short overview paragraph states
the edition (public or internal) and how many responses are included and left out.

Word tables are built cell by cell, so this format suits consultations of human size (hundreds
or a few thousand responses); the workbook and CSV writers stream for the large ones.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Cm
from docx.table import _Cell

from exports.safe_cell import strip_control_characters as _clean
from exports.summary import CategoryGroup, CompiledSummary, QuestionSummary, SummaryRow

RESPONDENT_COLUMN = Cm(5.5)
ANSWER_COLUMN = Cm(11)


def write_docx(summary: CompiledSummary, stream: BinaryIO) -> None:
    """Write the Word document of `summary` to a binary `stream`."""
    document = Document()
    overview = summary.overview
    document.add_heading(_clean(overview.title), level=0)
    labels = summary.labels
    document.add_paragraph(overview.edition_note)
    document.add_paragraph(
        f"{labels['respondents']}: {overview.respondent_count}. "
        f"{labels['unpublished']}: {overview.unpublished_count}."
    )
    for question in summary.questions:
        _write_question(document, question, summary)
    document.save(stream)


def docx_bytes(summary: CompiledSummary) -> bytes:
    """The Word document as bytes, for a download response."""
    buffer = io.BytesIO()
    write_docx(summary, buffer)
    return buffer.getvalue()


def _write_question(
    document: DocumentType, question: QuestionSummary, summary: CompiledSummary
) -> None:
    document.add_heading(_clean(question.heading), level=1)
    for group in question.groups:
        _write_group(document, group, summary.labels["answer"])
    closing = document.add_paragraph()
    closing.add_run(question.not_answered_line).italic = True


def _write_group(document: DocumentType, group: CategoryGroup, answer_word: str) -> None:
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].paragraphs[0].add_run(_clean(group.category.display_label)).bold = True
    header[1].paragraphs[0].add_run(answer_word).bold = True
    for row in group.rows:
        cells = table.add_row().cells
        cells[0].text = _clean(_respondent_text(row))
        _fill_answer(cells[1], row)
    for table_row in table.rows:
        table_row.cells[0].width = RESPONDENT_COLUMN
        table_row.cells[1].width = ANSWER_COLUMN
    document.add_paragraph()


def _fill_answer(cell: _Cell, row: SummaryRow) -> None:
    """The scale answer on its own line, then the comment paragraph by paragraph."""
    paragraphs = [row.scale_label] if row.scale_label else []
    paragraphs += [line for line in row.comment.splitlines() if line.strip()]
    cell.text = _clean(paragraphs[0]) if paragraphs else ""
    for text in paragraphs[1:]:
        cell.add_paragraph(_clean(text))


def _respondent_text(row: SummaryRow) -> str:
    respondent = row.respondent
    if respondent.on_behalf_of:
        return f"{respondent.display_name} ({respondent.on_behalf_of})"
    return respondent.display_name
