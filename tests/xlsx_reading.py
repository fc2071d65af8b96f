"""Reading a question sheet of the workbook back, as a reader would: listing, tallies, closing.

Shared by the workbook tests. A question sheet holds: the heading (row 1), the column headers
(row 2), per category a shaded row with its name and one row per respondent (a long comment
continues in the rows below, with the name cell empty), a blank row, the tallies under their
own header row, and the closing "N andre instanser …" line when someone did not answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from exports.xlsx_cells import GROUP_FILL


@dataclass
class Answer:
    category: str
    name: str
    answer: str | None
    comment: str | None


@dataclass
class QuestionSheet:
    heading: str
    headers: tuple[str, ...]
    answers: list[Answer]
    tallies: dict[str, tuple]  # first column → the rest of the row
    tally_header: tuple
    closing: str | None


def read_question_sheet(sheet, tallies_word: str = "Oppsummert") -> QuestionSheet:
    rows = list(sheet.iter_rows())
    heading = rows[0][0].value
    headers = tuple(cell.value for cell in rows[1] if cell.value is not None)
    answer_column = _column(headers, ("Svar", "Answer"))
    comment_column = _column(headers, ("Kommentar", "Comment"))
    answers: list[Answer] = []
    category = ""
    index = 2
    while index < len(rows) and rows[index][0].value != tallies_word:
        cells = rows[index]
        values = [cell.value for cell in cells]
        index += 1
        if not any(value is not None for value in values):
            continue
        if cells[0].fill.fgColor.rgb in (GROUP_FILL.fgColor.rgb, f"00{GROUP_FILL.fgColor.rgb}"):
            category = values[0]
            continue
        answer = values[answer_column] if answer_column is not None else None
        comment = values[comment_column] if comment_column is not None else None
        if values[0] is None and answers:  # a long comment continued
            answers[-1].comment = f"{answers[-1].comment}\n{comment}"
            continue
        answers.append(Answer(category, values[0], answer, comment))
    tally_header = tuple(cell.value for cell in rows[index] if cell.value is not None)
    tallies = {}
    index += 1
    while index < len(rows) and rows[index][0].value is not None:
        values = tuple(cell.value for cell in rows[index])
        tallies[values[0]] = values[1:]
        index += 1
    closing = next((row[0].value for row in rows[index:] if row and row[0].value is not None), None)
    return QuestionSheet(heading, headers, answers, tallies, tally_header, closing)


def _column(headers: tuple[str, ...], names: tuple[str, ...]) -> int | None:
    return next((i for i, header in enumerate(headers) if header in names), None)


def words(text: str | None) -> str | None:
    """Text compared by its words: the sheet may break a long comment over several rows."""
    return " ".join(text.split()) if text else None
