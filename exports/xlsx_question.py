"""One question's sheet: seed 004's listing by category, closed by its tallies.

Layout: the question's heading; a header row (Instans | Svar | Kommentar) that is repeated on
every printed page; per category a shaded row with its name, then one row per respondent; then
the tallies, per category and for everyone (how many chose each scale point, said "Vet ikke",
answered at all), and the closing line "N andre instanser … har ikke svart på dette
spørsmålet." Columns are those the question has: a text question has no empty "Svar" column.

The listing can hold 100,000 rows, so it streams (write-only sheet): the styled cells of a row
are made once and refilled for every row (a write-only sheet serialises each row inside
`append`), empty cells are skipped, and the tallies are counted while the rows go by.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.safe_cell import set_text
from exports.summary import CompiledSummary, ExportedRespondent, QuestionSummary
from exports.xlsx_cells import (
    BOLD,
    GROUP_FILL,
    ITALIC,
    TITLE_FONT,
    TOP,
    TOP_LEFT,
    WRAP,
    header_row,
    print_setup,
    set_widths,
    styled,
)
from exports.xlsx_rows import (
    LINE_POINTS,
    append_fitted,
    forget_row_height,
    set_row_height,
    split_for_rows,
    wrapped_lines,
)
from synthesis.snapshot import DONT_KNOW_LABEL

# Together 140 characters: the width of a landscape A4 page at 100 %, so nothing shrinks.
NAME_WIDTH, ANSWER_WIDTH, COMMENT_WIDTH, WIDE_COMMENT_WIDTH = 34, 16, 90, 106


@dataclass
class _Tally:
    """Counts of one category (or everyone) as the rows go by."""

    points: list[int]
    dont_know: int = 0
    answered: int = 0

    def positions_text(self, points: tuple[str, ...], dont_know_label: str) -> str:
        """ "Helt enig 8 · Delvis enig 13 · Vet ikke 1": the points someone chose, in order."""
        chosen = [(label, count) for label, count in zip(points, self.points, strict=True)]
        chosen.append((dont_know_label, self.dont_know))
        return " · ".join(f"{label} {count}" for label, count in chosen if count)

    def add(self, chosen: tuple[int, ...], dont_know: bool) -> None:
        self.answered += 1
        if dont_know:
            self.dont_know += 1
        for column in chosen:
            self.points[column] += 1


@dataclass
class _Tallies:
    n_points: int
    by_category: dict[str, _Tally] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.overall = _Tally([0] * self.n_points)

    def category(self, label: str) -> _Tally:
        return self.by_category.setdefault(label, _Tally([0] * self.n_points))


def write_question_sheet(
    worksheet: WriteOnlyWorksheet, question: QuestionSummary, summary: CompiledSummary
) -> None:
    labels = summary.labels
    has_answer = question.kind.tabulated or any(row.cell for row in question.rows)
    has_comment = question.kind.takes_text(question) or any(row.comment for row in question.rows)
    headers = [labels["respondent"]]
    if has_answer:
        headers.append(labels["answer"])
    if has_comment:
        headers.append(labels["comment"])
    columns = _ColumnWidths(
        NAME_WIDTH,
        ANSWER_WIDTH if has_answer else 0,
        (WIDE_COMMENT_WIDTH if not has_answer else COMMENT_WIDTH) if has_comment else 0,
    )
    # A scale question's tallies need a third column for their positions even without comments.
    widths = [w for w in (columns.name, columns.answer, columns.comment or COMMENT_WIDTH) if w]
    set_widths(worksheet, widths)
    worksheet.merged_cells.add(f"A1:{get_column_letter(len(headers))}1")
    heading_width = sum(widths[: len(headers)])
    set_row_height(worksheet, 1, wrapped_lines(question.heading, heading_width, char_width=1.2), 18)
    worksheet.freeze_panes = "A3"
    print_setup(worksheet, title_rows="1:2", footer=labels["page_of"].format(page="&P", pages="&N"))

    worksheet.append([styled(worksheet, question.heading, font=TITLE_FONT)])
    worksheet.append(header_row(worksheet, headers))
    tallies, next_row = _write_rows(worksheet, question, summary, columns, len(headers))
    worksheet.append([])
    _write_tallies(worksheet, question, summary, tallies, next_row + 1, widths[-1])
    if question.not_answered_line:
        worksheet.append([])
        worksheet.append(
            [styled(worksheet, question.not_answered_line, font=ITALIC, alignment=None)]
        )


@dataclass(frozen=True)
class _ColumnWidths:
    """The listing's column widths; 0 for a column the question does not have."""

    name: float
    answer: float
    comment: float


def _write_rows(
    worksheet: WriteOnlyWorksheet,
    question: QuestionSummary,
    summary: CompiledSummary,
    widths: _ColumnWidths,
    n_columns: int,
) -> tuple[_Tallies, int]:
    """Category rows and respondent rows from row 3 on, each as tall as its wrapped text.

    Returns the counts and the number of the next row."""
    labels = summary.labels
    kind, scale = question.kind, summary.scale
    tallies = _Tallies(len(kind.columns(question, scale)))
    name_cell, answer_cell, comment_cell = (
        styled(worksheet, "", alignment=alignment) for alignment in (WRAP, TOP, WRAP)
    )
    row_number = 3
    for group in question.groups:
        name = group.category.display_label
        set_row_height(worksheet, row_number, wrapped_lines(name, widths.name), LINE_POINTS)
        worksheet.append(
            [
                styled(worksheet, name, font=BOLD, fill=GROUP_FILL),
                *(styled(worksheet, None, fill=GROUP_FILL) for _ in range(n_columns - 1)),
            ]
        )
        forget_row_height(worksheet, row_number)
        row_number += 1
        tally = tallies.category(group.category.label)
        for row in group.rows:
            chosen = kind.chosen(row.answer, question, scale)
            tally.add(chosen, row.answer.dont_know)
            tallies.overall.add(chosen, row.answer.dont_know)
            respondent = _respondent_text(row.respondent, labels)
            lines = wrapped_lines(respondent, widths.name)
            cells: list[WriteOnlyCell | None] = [set_text(name_cell, respondent)]
            if widths.answer:
                cells.append(set_text(answer_cell, row.cell) if row.cell else None)
            pieces = split_for_rows(row.comment, widths.comment) if row.comment else []
            if widths.comment:
                cells.append(set_text(comment_cell, pieces[0][0]) if pieces else None)
                lines = max(lines, pieces[0][1] if pieces else 1)
            set_row_height(worksheet, row_number, lines, LINE_POINTS)
            worksheet.append(cells)
            forget_row_height(worksheet, row_number)
            row_number += 1
            for piece, lines in pieces[1:]:  # a comment too long for one row goes on below
                set_row_height(worksheet, row_number, lines, LINE_POINTS)
                worksheet.append([None] * (n_columns - 1) + [set_text(comment_cell, piece)])
                forget_row_height(worksheet, row_number)
                row_number += 1
    return tallies, row_number


def _write_tallies(
    worksheet: WriteOnlyWorksheet,
    question: QuestionSummary,
    summary: CompiledSummary,
    tallies: _Tallies,
    first_row: int,
    positions_width: float,
) -> None:
    """Per category and for everyone: how many answered and, on a scale, who chose what.

    The positions are one line of text ("Helt enig 8 · Delvis enig 13 · …") rather than a
    column per scale point, so the table keeps the listing's width and the sheet prints as
    large as before; the Positions sheet has the same counts as numbers.
    """
    labels = summary.labels
    with_scale = question.kind.tabulated
    headers = [labels["tallies"], labels["answered"]]
    if with_scale:
        headers.append(labels["positions"])
    worksheet.append(header_row(worksheet, headers))
    dont_know_label = summary.scale.dont_know or DONT_KNOW_LABEL
    lines = [(labels["all_respondents"], tallies.overall, BOLD)]
    lines += [
        (group.category.display_label, tallies.by_category[group.category.label], None)
        for group in question.groups
    ]
    for row, (name, tally, font) in enumerate(lines, start=first_row + 1):
        answered = styled(worksheet, tally.answered, alignment=TOP_LEFT)
        values: list[object] = [styled(worksheet, name, font=font), answered]
        texts = [(name, NAME_WIDTH)]
        if with_scale:
            columns = question.kind.columns(question, summary.scale)
            positions = tally.positions_text(columns, dont_know_label)
            values.append(styled(worksheet, positions))
            texts.append((positions, positions_width))
        append_fitted(worksheet, row, values, texts)


def _respondent_text(respondent: ExportedRespondent, labels: Mapping[str, str]) -> str:
    if not respondent.on_behalf_of:
        return respondent.display_name
    return f"{respondent.display_name}\n({labels['on_behalf_of']} {respondent.on_behalf_of})"
